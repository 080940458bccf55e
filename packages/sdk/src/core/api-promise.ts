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
  const data = answer.then((result) => result.data) as APIPromise<T>;
  // a caller may await only withResponse(): the data promise must not count as an unhandled rejection
  data.catch(() => undefined);
  // the headers are read only for callers who ask
  data.withResponse = () => answer.then(({ data: body, response }) => apiResponse(body, response));
  return data;
}

/** A body with what came with it: the response, its request id and rate-limit state. */
export function apiResponse<T>(data: T, response: Response): APIResponse<T> {
  return {
    data,
    response,
    requestId: response.headers.get("x-request-id") ?? response.headers.get("request-id") ?? undefined,
    rateLimit: rateLimitOf(response.headers),
  };
}
