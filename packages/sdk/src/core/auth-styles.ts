import type { ApiDefinition, AuthScheme } from "./api-definition.js";
import { type OutgoingRequest, RequestDraft } from "./request-draft.js";

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
 * Puts a key on a request in the spec's style: Basic (the key as username, blank password, as Epsilon3
 * documents), Bearer, a header with an optional scheme word (`token <t>` for Epoch, `Api-Key <k>` for
 * Erathos), or a query parameter. The same on every attempt.
 */
export function authorizer(
  scheme: AuthScheme | undefined,
): (request: OutgoingRequest, key: string | undefined) => OutgoingRequest {
  return (request, key) => {
    if (scheme === undefined || key === undefined) return request;
    switch (scheme.type) {
      case "basic":
        request.headers.set("Authorization", `Basic ${toBase64(`${key}:`)}`);
        return request;
      case "bearer":
        request.headers.set("Authorization", `Bearer ${key}`);
        return request;
      case "header":
        // set in place: copying into `new Request(request, { headers })` makes ky see every header twice under MSW
        request.headers.set(scheme.name, scheme.prefix ? `${scheme.prefix} ${key}` : key);
        return request;
      case "query": {
        const url = new URL(request.url);
        url.searchParams.set(scheme.name, key);
        if (request instanceof RequestDraft) {
          request.url = url.toString();
          return request;
        }
        return new Request(url, request);
      }
      case "unsupported":
        return request;
    }
  };
}

function toBase64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
