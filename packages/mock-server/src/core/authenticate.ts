import type { KeyRecord, KeyRing } from "./key-record.js";
import type { MockApiSpec, MockAuthScheme, RouteSpec } from "./mock-api-spec.js";
import type { MockRequest } from "./mock-http.js";
import { MockProblem } from "./mock-problem.js";

/** The caller of an operation that needs no credential, when it sends none. */
const ANONYMOUS: KeyRecord = { id: "anonymous", secret: "", label: "anonymous caller", status: "active" };

/**
 * The key a request to `route` is made with, as the operation's security says: `ANONYMOUS` where it needs no
 * credential (`security: []`), or where one is optional and none valid was sent; else the key its credential
 * names, known, active, unexpired, of the request's environment and holding the operation's permission, or a
 * 401 / 403 `MockProblem` saying which it is not. `checkKey` finds the key a secret names (known, active,
 * unexpired, else a `MockProblem`); `fields`: the body's fields, where a key may travel in them.
 */
export function authenticate(
  spec: MockApiSpec,
  checkKey: (secret: string, now: Date) => KeyRecord,
  route: RouteSpec,
  request: MockRequest,
  url: URL,
  environment: string | undefined,
  now: Date,
  fields: Record<string, unknown> | undefined,
): KeyRecord {
  const security = route.security ?? spec.security;
  if (security.length === 0) return ANONYMOUS;
  if (security.some((requirement) => requirement.length === 0)) {
    try {
      return checkKey(extractCredential(spec, spec.security, request, url, fields), now);
    } catch {
      return ANONYMOUS;
    }
  }
  const key = checkKey(extractCredential(spec, security, request, url, fields), now);
  if (environment !== undefined && key.environment !== undefined && key.environment !== environment) {
    throw new MockProblem(401, {
      code: "wrong_environment",
      message: `The API key belongs to the ${key.environment} environment, not ${environment}`,
      authFailure: "wrong_environment",
    });
  }
  if (route.permission && key.permissions && !key.permissions.includes(route.permission)) {
    throw new MockProblem(403, {
      code: "permission_denied",
      message: `The API key lacks the ${route.permission} permission`,
      authFailure: "permission",
    });
  }
  return key;
}

/** The key with this secret, if it is known, active and unexpired; else a 401 `MockProblem` saying which. */
export function checkKey(keys: KeyRing, secret: string, now: Date): KeyRecord {
  const key = keys.find(secret);
  if (!key) throw new MockProblem(401, { code: "invalid_key", message: "Invalid API key", authFailure: "unknown" });
  if (key.status !== "active") {
    throw new MockProblem(401, {
      code: "inactive_key",
      message: "The API key is inactive or revoked",
      authFailure: "inactive",
    });
  }
  if (key.expiresAt !== undefined && Date.parse(key.expiresAt) <= now.getTime()) {
    throw new MockProblem(401, {
      code: "expired_key",
      message: `The API key expired at ${key.expiresAt}`,
      authFailure: "expired",
    });
  }
  return key;
}

/**
 * Finds the credential a request carries in the API's documented style, exactly: Basic with the key as
 * username and a blank password, `Bearer <key>`, `<prefix> <key>` in a header, or a query parameter. A
 * credential sent in another style (a Bearer token to Epoch, say) is refused as malformed, never guessed at.
 */
export function extractCredential(
  spec: MockApiSpec,
  security: readonly (readonly string[])[],
  request: MockRequest,
  url: URL,
  bodyFields?: Readonly<Record<string, unknown>>,
): string {
  // the schemes in the requirements' order, read without building their list (needed only to refuse)
  let malformed: string | undefined;
  for (const requirement of security) {
    for (const name of requirement) {
      const scheme = spec.securitySchemes[name];
      if (!scheme) continue;
      const result = read(scheme, request, url, bodyFields);
      if (typeof result === "string") return result;
      if (result.malformed && malformed === undefined) malformed = result.malformed;
    }
  }
  const schemes = security.flatMap((requirement) =>
    requirement.flatMap((name) => (spec.securitySchemes[name] ? [spec.securitySchemes[name]] : [])),
  );
  const expected = schemes.map(describe).join(" or ");
  if (malformed !== undefined) {
    throw new MockProblem(401, {
      code: "malformed_credentials",
      message: `${malformed}; expected ${expected}`,
      authFailure: "malformed",
    });
  }
  throw new MockProblem(401, {
    code: "not_authenticated",
    message: `Authentication credentials were not provided; expected ${expected}`,
    authFailure: "missing",
  });
}

/** The credential, or why there is none (`{}`: none sent). Results are shared (cached): never changed. */
type ReadResult = string | { readonly malformed?: string };

const asIs = (value: string): ReadResult => value;

function read(
  scheme: MockAuthScheme,
  request: MockRequest,
  url: URL,
  bodyFields: Readonly<Record<string, unknown>> | undefined,
): ReadResult {
  switch (scheme.type) {
    case "basic":
      return readBasicAuthorization(request);
    case "bearer":
    case "oauth2":
    case "openIdConnect":
      return readAuthorization(request, "Bearer", asIs);
    case "cookie": {
      const cookie = (request.headers.get("cookie") ?? "")
        .split(";")
        .map((part) => part.trim())
        .find((part) => part.startsWith(`${scheme.name}=`));
      const value = cookie === undefined ? "" : decodeURIComponent(cookie.slice(scheme.name.length + 1));
      return value ? value : {};
    }
    case "header": {
      if (scheme.name.toLowerCase() === "authorization" && scheme.prefix) {
        return readAuthorization(request, scheme.prefix, asIs);
      }
      const value = request.headers.get(scheme.name)?.trim();
      return value ? value : {};
    }
    case "query": {
      const field = scheme.alsoInBody ? bodyFields?.[scheme.name] : undefined;
      const value = url.searchParams.get(scheme.name)?.trim() ?? (typeof field === "string" ? field.trim() : "");
      return value ? value : {};
    }
    case "unsupported":
      return {};
  }
}

/** Basic credentials (RFC 7617): base64 of `<key>:` in UTF-8, with a blank password. */
function readBasic(value: string): ReadResult {
  const decoded = decodeBase64Utf8(value);
  if (decoded === undefined) return { malformed: "the Basic credentials are not valid base64" };
  const colon = decoded.indexOf(":");
  if (colon === -1) return { malformed: "the Basic credentials have no ':' separator" };
  if (colon + 1 !== decoded.length) return { malformed: "the Basic password must be blank (the key is the username)" };
  return decoded.slice(0, colon) || { malformed: "the Basic username (the API key) is empty" };
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Base64 of UTF-8 text, decoded; undefined when it is not base64, or not UTF-8 once decoded. */
function decodeBase64Utf8(value: string): string | undefined {
  let binary: string;
  try {
    binary = atob(value);
  } catch {
    return undefined;
  }
  // ASCII, as keys are, reads the same in UTF-8: no bytes to decode
  let ascii = true;
  for (let index = 0; index < binary.length; index++) {
    if (binary.charCodeAt(index) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return binary;
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * What `Authorization` headers say as Basic credentials, by header. A client sends the same header with every
 * request, and reading it takes a regexp, base64 and UTF-8 decoding: each is read once. At most `HEADERS_KEPT`
 * are kept (then the cache starts afresh), and only here: the results are never shown.
 */
const basicByHeader = new Map<string, ReadResult>();
const HEADERS_KEPT = 64;

function readBasicAuthorization(request: MockRequest): ReadResult {
  const header = request.headers.get("authorization");
  if (header === null) return {};
  let result = basicByHeader.get(header);
  if (result === undefined) {
    result = readAuthorization(request, "Basic", readBasic);
    if (basicByHeader.size >= HEADERS_KEPT) basicByHeader.clear();
    basicByHeader.set(header, result);
  }
  return result;
}

function readAuthorization(request: MockRequest, word: string, parse: (value: string) => ReadResult): ReadResult {
  const header = request.headers.get("authorization")?.trim();
  if (!header) return {};
  const match = /^(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match) return { malformed: "the Authorization header is malformed" };
  const [, scheme = "", value = ""] = match;
  if (scheme.toLowerCase() !== word.toLowerCase())
    return { malformed: `the Authorization scheme "${scheme}" is not accepted` };
  return parse(value);
}

function describe(scheme: MockAuthScheme): string {
  switch (scheme.type) {
    case "basic":
      return "HTTP Basic with the API key as username and a blank password";
    case "bearer":
      return "`Authorization: Bearer <key>`";
    case "header":
      return scheme.prefix ? `\`${scheme.name}: ${scheme.prefix} <key>\`` : `a \`${scheme.name}\` header`;
    case "query":
      return `an \`${scheme.name}\` query parameter${scheme.alsoInBody ? " or body field" : ""}`;
    case "cookie":
      return `a \`${scheme.name}\` cookie`;
    case "oauth2":
    case "openIdConnect":
      return "`Authorization: Bearer <token>`";
    case "unsupported":
      return scheme.description;
  }
}
