import { isLoopback } from "./base-url.js";
import { RedirectError } from "./errors/RedirectError.js";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const SAFE_METHODS = new Set(["GET", "HEAD"]);
/** Headers that carry a credential; never sent to another origin. */
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie"];
export const MAX_REDIRECTS = 5;

/** The request a redirect leads to. */
export interface RedirectedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  /** False when the redirect turns the request into a GET (303, or 301/302 after a POST): the body is dropped. */
  readonly keepsBody: boolean;
}

/**
 * Where the SDK goes after a redirect, or why it does not. The policy, chosen for credentials' sake:
 * - a redirect within the same origin is followed as the fetch standard says (303, and 301/302 after a
 *   POST, become a GET without body; 307/308 repeat the request, body and credentials included);
 * - to another origin, only a GET or HEAD that carries no credential and no body is followed (credential
 *   headers stripped all the same); anything else is a `RedirectError`, so a key or a body never leaves
 *   for an origin the client was not pointed at;
 * - never to plain http off loopback, unless the request was already there;
 * - at most `MAX_REDIRECTS` in a row.
 * Undefined when `response` is not a redirect to follow (a 304, a 300, a 3xx without Location).
 */
export function followRedirect(
  response: Response,
  request: { url: string; method: string; headers: Headers; hasBody: boolean; hasCredentials: boolean },
  count: number,
  where: string,
): RedirectedRequest | undefined {
  if (response.type === "opaqueredirect") {
    throw new RedirectError(
      `${where} was redirected, and this runtime (a browser) hides where to; point the client at the final URL`,
      0,
      undefined,
    );
  }
  if (!REDIRECT_STATUSES.has(response.status)) return undefined;
  const location = response.headers.get("location");
  if (location === null) return undefined;
  const { status } = response;
  let target: URL;
  try {
    target = new URL(location, request.url);
  } catch {
    throw new RedirectError(`${where} answered ${status} with a Location that is not a URL`, status, undefined);
  }
  const shown = `${target.origin}${target.pathname}`;
  const refuse = (reason: string) =>
    new RedirectError(`${where} answered ${status} to ${shown}; not followed: ${reason}`, status, shown);
  if (count >= MAX_REDIRECTS) throw refuse(`more than ${MAX_REDIRECTS} redirects in a row`);
  const from = new URL(request.url);
  if (target.protocol !== "https:" && target.protocol !== "http:") throw refuse(`${target.protocol} is not http(s)`);
  const sameOrigin = target.origin === from.origin;
  if (target.protocol === "http:" && !isLoopback(target.hostname) && !sameOrigin) {
    throw refuse("plain http off loopback would expose the request");
  }
  const becomesGet =
    (status === 303 && request.method !== "HEAD") || ((status === 301 || status === 302) && request.method === "POST");
  const method = becomesGet ? "GET" : request.method;
  const keepsBody = !becomesGet && request.hasBody;
  const headers = new Headers(request.headers);
  if (becomesGet) {
    for (const name of ["content-type", "content-length", "content-encoding", "content-language", "content-location"])
      headers.delete(name);
  }
  if (!sameOrigin) {
    if (!SAFE_METHODS.has(method)) throw refuse(`a ${method} to another origin`);
    if (keepsBody) throw refuse("the request's body would go to another origin");
    if (request.hasCredentials) throw refuse("the request carries credentials, which go only to the API's origin");
    for (const name of CREDENTIAL_HEADERS) headers.delete(name);
  }
  return { url: target.href, method, headers, keepsBody };
}
