import { type RateLimitState, rateLimitOf } from "./rate-limit.js";

/** A call's answer with what came with it. */
export interface APIResponse<T> {
  readonly data: T;
  /** The final HTTP response (after any retries); its body has been read. */
  readonly response: Response;
  readonly requestId: string | undefined;
  readonly rateLimit: RateLimitState;
}

/**
 * What every generated method returns: a promise of the parsed body that also offers `withResponse()`, for
 * the status, headers, request id and rate-limit state.
 *
 * @example
 * const { data, requestId, rateLimit } = await epoch.events.list().withResponse();
 */
export interface APIPromise<T> extends Promise<T> {
  withResponse(): Promise<APIResponse<T>>;
}

export function apiPromise<T>(answer: Promise<{ data: T; response: Response }>): APIPromise<T> {
  const full = answer.then(({ data, response }) => ({
    data,
    response,
    requestId: response.headers.get("x-request-id") ?? response.headers.get("request-id") ?? undefined,
    rateLimit: rateLimitOf(response.headers),
  }));
  const data = full.then((result) => result.data) as APIPromise<T>;
  // only one of the two may be awaited: neither should be reported as an unhandled rejection
  full.catch(() => undefined);
  data.catch(() => undefined);
  data.withResponse = () => full;
  return data;
}
