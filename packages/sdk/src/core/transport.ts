import ky, { HTTPError, type Input, TimeoutError as KyTimeoutError } from "ky";
import type { Authorizer } from "./auth-styles.js";
import { ConnectionError } from "./errors/ConnectionError.js";
import { TimeoutError } from "./errors/TimeoutError.js";

export interface TransportConfig {
  readonly authorize: Authorizer;
  readonly maxRetries: number;
  readonly timeout: number;
  readonly fetch: ((request: Request) => Promise<Response>) | undefined;
}

/** What openapi-fetch calls to send a request; `signal` is the caller's own, when there is one. */
export type Transport = (request: Request, signal?: AbortSignal) => Promise<Response>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);
const RETRY_STATUS_CODES = [408, 429, 500, 502, 503, 504];

/**
 * Authorizes the request openapi-fetch built, then sends it through ky, which retries safe methods, and
 * writes that carry an `Idempotency-Key`, on timeouts and retryable statuses. ky throws on a non-2xx (its
 * retries only run when it throws); the final response goes back to openapi-fetch to parse.
 *
 * ky gets the URL and init, not the Request: given a Request, ky rebuilds it and joins its always-present
 * signal to its own with `AbortSignal.any`, which on Node 20 costs more than the rest of the call. The
 * caller's signal is passed on only when the caller gave one.
 */
export function createTransport(config: TransportConfig): Transport {
  const fetch = (resource: Input) => (config.fetch ? config.fetch(resource as Request) : globalThis.fetch(resource));
  // built once: ky normalises these on every call, so the fewer fresh objects the better
  const retry = (limit: number) => ({
    limit,
    methods: ["get", "head", "options", "put", "delete", "trace", "post", "patch"],
    statusCodes: RETRY_STATUS_CODES,
    afterStatusCodes: [413, 429, 503],
  });
  const retrying = retry(config.maxRetries);
  const once = retry(0);
  return async (input, signal) => {
    const request = config.authorize(input);
    const retryable = SAFE_METHODS.has(request.method) || request.headers.has("Idempotency-Key");
    try {
      return await ky(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body ? await request.arrayBuffer() : null,
        ...(signal ? { signal } : {}),
        fetch,
        timeout: config.timeout,
        retry: retryable ? retrying : once,
      });
    } catch (error) {
      if (error instanceof HTTPError) return error.response;
      const where = `${request.method} ${request.url.split("?")[0]}`;
      if (error instanceof KyTimeoutError) {
        throw new TimeoutError(`${where} timed out after ${config.timeout} ms`, { cause: error });
      }
      if (signal?.aborted || (error instanceof Error && error.name === "AbortError")) throw error;
      throw new ConnectionError(`${where} failed: no response`, { cause: error });
    }
  };
}
