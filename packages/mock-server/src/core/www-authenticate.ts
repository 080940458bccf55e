import type { MockApiSpec, MockAuthScheme } from "./mock-api-spec.js";

/** An RFC 9110 `quoted-string`: `"` and `\` escaped. */
const quoted = (value: string): string => `"${value.replace(/["\\]/g, "\\$&")}"`;

/**
 * The challenge (RFC 9110 §11.3) a client answers with one scheme's credential:
 *
 * | scheme                                   | challenge                                                 |
 * | ---------------------------------------- | --------------------------------------------------------- |
 * | HTTP Basic                               | `Basic realm="<API>", charset="UTF-8"` (RFC 7617)         |
 * | HTTP Bearer, OAuth2, OpenID Connect      | `Bearer realm="<API>"` (RFC 6750)                         |
 * | `apiKey` in `Authorization` with a word  | `<word> realm="<API>"` (`token`, `Api-Key`: the spec's `x-keysmith-auth-prefix`) |
 * | any other `apiKey` (query, header, cookie) | `ApiKey realm="<API>", in="query", name="api_key"`      |
 *
 * HTTP has no scheme for a key outside `Authorization`; `ApiKey` with `in` and `name` (OpenAPI's own words)
 * tells a client where to put it, and clients that do not know the scheme skip it, as RFC 9110 asks.
 */
export function challenge(scheme: MockAuthScheme, realm: string): string | undefined {
  const where = `realm=${quoted(realm)}`;
  switch (scheme.type) {
    case "basic":
      return `Basic ${where}, charset="UTF-8"`;
    case "bearer":
    case "oauth2":
    case "openIdConnect":
      return `Bearer ${where}`;
    case "header":
      if (scheme.name.toLowerCase() === "authorization" && scheme.prefix) return `${scheme.prefix} ${where}`;
      return `ApiKey ${where}, in="header", name=${quoted(scheme.name)}`;
    case "query":
      return `ApiKey ${where}, in="query", name=${quoted(scheme.name)}`;
    case "cookie":
      return `ApiKey ${where}, in="cookie", name=${quoted(scheme.name)}`;
    case "unsupported":
      return undefined;
  }
}

/**
 * The `WWW-Authenticate` value of a 401 for an operation with these security requirements: one challenge per
 * scheme it accepts, in the spec's order, comma-separated (RFC 9110 §11.6.1 allows a list in one field).
 * The realm is the API's title. Undefined when no scheme can be challenged.
 */
export function wwwAuthenticate(spec: MockApiSpec, security: readonly (readonly string[])[]): string | undefined {
  const names = [...new Set(security.flat())];
  const challenges = names.flatMap((name) => {
    const scheme = spec.securitySchemes[name];
    const text = scheme ? challenge(scheme, spec.title) : undefined;
    return text === undefined ? [] : [text];
  });
  return challenges.length > 0 ? challenges.join(", ") : undefined;
}
