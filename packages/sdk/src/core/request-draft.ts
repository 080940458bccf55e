/**
 * What openapi-fetch builds for a typed call, in place of a full `Request`: just the URL, method, headers
 * and body it computed. `fetch` makes the one real Request from it; building two (and joining their
 * signals) is measurable per call on Node 20. Passed as openapi-fetch's documented per-request `Request`
 * option; path-style calls through `fetchClient` keep real Requests.
 */
export class RequestDraft {
  url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | null;

  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = String(input);
    this.method = (init.method ?? "GET").toUpperCase();
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body ?? null;
  }
}

/** A request as the transport takes it: a real `Request` (path-style calls) or a draft (typed calls). */
export type OutgoingRequest = Request | RequestDraft;
