import ky, { HTTPError, TimeoutError as KyTimeoutError } from "ky";
import type { Authorizer } from "./auth-styles.js";
import { ConnectionError } from "./errors/ConnectionError.js";
import { TimeoutError } from "./errors/TimeoutError.js";

export interface TransportConfig {
  readonly authorize: Authorizer;
  readonly maxRetries: number;
  readonly timeout: number;
  readonly fetch: ((request: Request) => Promise<Response>) | undefined;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);
const RETRY_STATUS_CODES = [408, 429, 500, 502, 503, 504];

/**
 * The `fetch` openapi-fetch calls: authorizes the request, then sends it through ky, which retries safe
 * methods, and writes that carry an `Idempotency-Key`, on timeouts and retryable statuses. ky throws on a
 * non-2xx (its retries only run when it throws); the final response is handed back for openapi-fetch to parse.
 */
export function createTransport(config: TransportConfig): (request: Request) => Promise<Response> {
  const send = (request: Request, init?: RequestInit) =>
    config.fetch ? config.fetch(request) : globalThis.fetch(request, init);
  return async (input) => {
    const request = config.authorize(input);
    const retryable = SAFE_METHODS.has(request.method) || request.headers.has("Idempotency-Key");
    try {
      return await ky(request, {
        fetch: (resource, init) => send(resource instanceof Request ? resource : new Request(resource, init), init),
        timeout: config.timeout,
        throwHttpErrors: true,
        retry: {
          limit: retryable ? config.maxRetries : 0,
          methods: [request.method.toLowerCase()],
          statusCodes: RETRY_STATUS_CODES,
          afterStatusCodes: [413, 429, 503],
        },
      });
    } catch (error) {
      if (error instanceof HTTPError) return error.response;
      if (error instanceof KyTimeoutError) {
        throw new TimeoutError(`${request.method} ${origin(request)} timed out after ${config.timeout} ms`, {
          cause: error,
        });
      }
      if (request.signal.aborted || (error instanceof Error && error.name === "AbortError")) throw error;
      throw new ConnectionError(`${request.method} ${origin(request)} failed: no response`, { cause: error });
    }
  };
}

function origin(request: Request): string {
  const url = new URL(request.url);
  return `${url.origin}${url.pathname}`;
}
