import ky, { HTTPError, type Input, TimeoutError as KyTimeoutError } from "ky";
import { AbortError } from "./errors/AbortError.js";
import { ConnectionError } from "./errors/ConnectionError.js";
import { KeysmithError } from "./errors/KeysmithError.js";
import { TimeoutError } from "./errors/TimeoutError.js";
import type { SdkLogger } from "./logger.js";
import { type OutgoingRequest, RequestDraft } from "./request-draft.js";
import {
  backoff,
  isRetryableRequest,
  isRetryStatus,
  jitter,
  RETRY_STATUSES,
  type RetryPolicy,
  retryDelay,
} from "./retry-policy.js";
import type { Authorization } from "./security.js";

export interface TransportConfig {
  readonly policy: RetryPolicy;
  readonly fetch: ((request: Request) => Promise<Response>) | undefined;
  readonly logger: SdkLogger;
}

export interface SendOptions {
  /** The caller's signal; absent when the caller gave none. */
  readonly signal?: AbortSignal | undefined;
  /** Puts the operation's credentials on the request (headers, query, cookie), the same on every attempt. */
  readonly auth?: Authorization | undefined;
}

/** What openapi-fetch calls to send a request. */
export type Transport = (request: OutgoingRequest, options: SendOptions) => Promise<Response>;

type Init = { method: string; headers: Headers; body: BodyInit | undefined; duplex?: "half" };

/**
 * Sends a request built by openapi-fetch. The first attempt goes straight to `fetch`, with a per-attempt
 * timeout and the caller's signal. If it fails in a retryable way (408, 429, 5xx, a reset connection, a
 * timeout) and the request is safe to repeat (an idempotent method, or a write with an `Idempotency-Key`,
 * the same key on every attempt), ky takes over for the retries: exponential backoff with jitter,
 * `Retry-After` and `retry-after-ms` honoured up to `maxRetryDelay`, within the overall `deadline`.
 *
 * ky handles only retries because on Node 20 a ky call costs about 45 µs before the network (an
 * AbortController, a rebuilt and cloned Request): a third of a loopback call. The common case, a first
 * attempt that succeeds, does not pay for it.
 */
export function createTransport(config: TransportConfig): Transport {
  const { policy, logger } = config;
  const send = (input: Input, init?: RequestInit): Promise<Response> =>
    config.fetch
      ? config.fetch(input instanceof Request && !init ? input : new Request(input, init))
      : globalThis.fetch(input, init);

  return async (input, { signal, auth }) => {
    if (signal?.aborted) throw new AbortError(`${input.method} aborted before sending`, { cause: signal.reason });
    const request = auth ? auth.apply(input) : input;
    const { url, method, headers } = request;
    const where = `${method} ${url.split("?")[0]}`;
    // a draft's body is what openapi-fetch serialised (a string, usually): it can be sent again as is
    const body =
      request instanceof RequestDraft
        ? (request.body ?? undefined)
        : request.body
          ? await request.arrayBuffer()
          : undefined;
    // a streamed body (a ReadableStream) must say so to fetch
    const init: Init =
      body instanceof ReadableStream ? { method, headers, body, duplex: "half" } : { method, headers, body };
    const started = Date.now();
    const attempts = policy.maxRetries + 1;
    const retryable = policy.maxRetries > 0 && isRetryableRequest(method, headers);
    const debug = logger.enabled("debug");

    if (debug) logger.log("debug", `→ ${where} (attempt 1/${retryable ? attempts : 1})`);
    let failed: { response?: Response; error?: unknown };
    try {
      const response = await attempt(send, url, init, signal, policy.timeout, where);
      if (debug)
        logger.log("debug", `← ${response.status} ${where} in ${Date.now() - started} ms${requestIdOf(response)}`);
      if (!retryable || !isRetryStatus(response.status)) return response;
      failed = { response };
    } catch (error) {
      if (!retryable || error instanceof AbortError) throw error;
      failed = { error };
    }

    const wait = retryDelay(1, failed.response?.headers, policy);
    if (policy.deadline !== undefined && Date.now() - started + wait >= policy.deadline) return giveUp(failed);
    logger.log(
      "info",
      `${where}: ${failed.response ? `got ${failed.response.status}` : describe(failed.error)}; retrying in ${Math.round(wait)} ms`,
    );
    void failed.response?.body?.cancel().catch(() => undefined);
    await sleep(wait, signal, where);

    let attemptNumber = 1;
    try {
      return await ky(url, {
        method,
        headers,
        body: init.body ?? null,
        ...(signal ? { signal } : {}),
        timeout: policy.timeout,
        throwHttpErrors: true,
        retry: {
          limit: policy.maxRetries - 1,
          methods: ["get", "head", "options", "put", "delete", "trace", "post", "patch"],
          statusCodes: [...RETRY_STATUSES],
          afterStatusCodes: [...RETRY_STATUSES],
          maxRetryAfter: policy.maxRetryDelay,
          backoffLimit: policy.maxRetryDelay,
          delay: (count) => backoff(count + 1, policy),
          jitter: (delay) => jitter(delay),
          retryOnTimeout: true,
          shouldRetry: () =>
            policy.deadline !== undefined && Date.now() - started >= policy.deadline ? false : undefined,
        },
        fetch: async (resource) => {
          attemptNumber += 1;
          if (debug) logger.log("debug", `→ ${where} (attempt ${attemptNumber}/${attempts})`);
          const response = normalizeRetryHints(await send(resource));
          if (debug) logger.log("debug", `← ${response.status} ${where}${requestIdOf(response)}`);
          return response;
        },
      });
    } catch (error) {
      if (error instanceof HTTPError) return error.response;
      throw toSdkError(error, signal, where, policy.timeout);
    }
  };
}

/** One attempt with its own timeout, tied to the caller's signal without leaving a listener behind. */
async function attempt(
  send: (input: Input, init?: RequestInit) => Promise<Response>,
  url: string,
  init: Init,
  signal: AbortSignal | undefined,
  timeout: number,
  where: string,
): Promise<Response> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeout);
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await send(url, {
      method: init.method,
      headers: init.headers,
      body: init.body ?? null,
      signal: controller.signal,
      ...(init.duplex ? { duplex: init.duplex } : {}),
    } as RequestInit);
  } catch (error) {
    if (timedOut) throw new TimeoutError(`${where} timed out after ${timeout} ms`, { cause: error });
    throw toSdkError(error, signal, where, timeout);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

function toSdkError(error: unknown, signal: AbortSignal | undefined, where: string, timeout: number): KeysmithError {
  if (error instanceof KeysmithError) return error;
  if (signal?.aborted) return new AbortError(`${where} aborted`, { cause: signal.reason });
  if (error instanceof KyTimeoutError)
    return new TimeoutError(`${where} timed out after ${timeout} ms`, { cause: error });
  return new ConnectionError(`${where} failed: no response (${describe(error)})`, { cause: error });
}

function giveUp(failed: { response?: Response; error?: unknown }): Response {
  if (failed.response) return failed.response;
  throw failed.error;
}

/** ky reads `Retry-After` only; a `retry-after-ms` answer is restated in seconds so it is honoured too. */
function normalizeRetryHints(response: Response): Response {
  const ms = response.headers.get("retry-after-ms");
  if (ms === null || response.headers.has("retry-after") || !isRetryStatus(response.status)) return response;
  const headers = new Headers(response.headers);
  headers.set("retry-after", String(Number(ms) / 1000));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function sleep(ms: number, signal: AbortSignal | undefined, where: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError(`${where} aborted while waiting to retry`, { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as { code?: unknown } | undefined;
    return typeof cause?.code === "string" ? `${error.message}: ${cause.code}` : error.message;
  }
  return String(error);
}

function requestIdOf(response: Response): string {
  const id = response.headers.get("x-request-id") ?? response.headers.get("request-id");
  return id ? `, request ${id}` : "";
}
