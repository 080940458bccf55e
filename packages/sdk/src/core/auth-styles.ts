import type { ApiDefinition, AuthScheme } from "./api-definition.js";

/** Turns a key into what a request carries, per the spec's security scheme. */
export type Authorizer = (request: Request) => Request;

/** The first security alternative the SDK can apply, by the scheme's name. */
export function chooseAuthScheme(api: ApiDefinition): AuthScheme | undefined {
  for (const requirement of api.security) {
    const [first] = requirement;
    const scheme = first === undefined ? undefined : api.securitySchemes[first];
    if (scheme && scheme.type !== "unsupported") return scheme;
  }
  return undefined;
}

/**
 * Basic (the key as username, blank password, as Epsilon3 documents), Bearer, a header with an optional
 * scheme word (`token <t>` for Epoch, `Api-Key <k>` for Erathos), or a query parameter.
 */
export function createAuthorizer(scheme: AuthScheme | undefined, key: string | undefined): Authorizer {
  if (scheme === undefined || key === undefined) return (request) => request;
  switch (scheme.type) {
    case "basic": {
      const value = `Basic ${toBase64(`${key}:`)}`;
      return (request) => withHeader(request, "Authorization", value);
    }
    case "bearer": {
      const value = `Bearer ${key}`;
      return (request) => withHeader(request, "Authorization", value);
    }
    case "header": {
      const value = scheme.prefix ? `${scheme.prefix} ${key}` : key;
      return (request) => withHeader(request, scheme.name, value);
    }
    case "query":
      return (request) => {
        const url = new URL(request.url);
        url.searchParams.set(scheme.name, key);
        return new Request(url, request);
      };
    case "unsupported":
      return (request) => request;
  }
}

/**
 * Sets the header on the request itself. (Copying it into `new Request(request, { headers })` is slower, and
 * with MSW's interceptors installed, ky then sees every header of the copy twice.)
 */
function withHeader(request: Request, name: string, value: string): Request {
  request.headers.set(name, value);
  return request;
}

function toBase64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
