import type { CallHooks } from "./call-hooks.js";
import type { CallScope } from "./call-scope.js";
import { ConnectionError } from "./errors/ConnectionError.js";
import { KeysmithError } from "./errors/KeysmithError.js";
import { TimeoutError } from "./errors/TimeoutError.js";
import { lazyModule } from "./lazy-module.js";
import type { SdkLogger } from "./logger.js";
import { type OutgoingRequest, RequestDraft } from "./request-draft.js";
import { bufferResponse, describeError } from "./response-body.js";
import { isRetryableRequest, isRetryStatus, type RetryPolicy, retryDelay } from "./retry-policy.js";
import { type Authorization, carriesCredentials } from "./security.js";

export interface TransportConfig {
  readonly policy: RetryPolicy;
  readonly fetch: ((request: Request) => Promise<Response>) | undefined;
  readonly logger: SdkLogger;
}

export interface SendOptions {
  /** What bounds the call: the caller's signal and the deadline. */
  readonly scope: CallScope;
  /** Puts the operation's credentials on the request (headers, query, cookie), the same on every attempt. */
  readonly auth?: Authorization | undefined;
  /** Hand a 2xx body over as a stream (each read bounded by `timeout`) instead of reading it whole. */
  readonly stream?: boolean | undefined;
  /** The call's hooks, told of every attempt (none: nothing to call). */
  readonly hooks?: CallHooks | undefined;
}

/** What openapi-fetch calls to send a request. */
export type Transport = (request: OutgoingRequest, options: SendOptions) => Promise<Response>;

interface Exchange {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | undefined;
  readonly where: string;
  readonly hasCredentials: () => boolean;
  readonly stream: boolean;
}

/** How an attempt ended: with an answer, or with a typed error. */
export type Outcome =
  | { readonly response: Response; readonly error?: undefined }
  | { readonly response?: undefined; readonly error: KeysmithError };

/**
 * Sends a request built by openapi-fetch. Each attempt is bounded by `timeout` from the first byte sent to
 * the last byte of the answer read (the body is read whole, up to `maxResponseBytes`, while the attempt
 * lasts), and by the call's scope (the caller's signal, the `deadline`); redirects are followed by the SDK's
 * own policy (see `followRedirect`). The first attempt goes straight to `fetch`. If it fails in a retryable
 * way (408, 429, 5xx, a broken connection, an attempt timeout) and the request is safe to repeat (an
 * idempotent method, or a write with an `Idempotency-Key`, the same on every attempt), ky runs the retries:
 * the wait before each is `retryDelay` (the server's `Retry-After` or rate-limit reset, else backoff with
 * jitter), and no retry starts when its wait would end past the deadline.
 *
 * ky handles only retries because on Node 20 a ky call costs about 45 µs before the network (an
 * AbortController, a rebuilt and cloned Request): a third of a loopback call. The common case, a first
 * attempt that succeeds, does not pay for it, nor load it: ky comes in with `ky-retries` (a dynamic import)
 * when the first retry is planned, during the wait before it. The call's `hooks` are told of every attempt.
 */
export function createTransport(config: TransportConfig): Transport {
  const { policy, logger } = config;
  const send = (url: string, init: RequestInit): Promise<Response> =>
    config.fetch ? config.fetch(new Request(url, init)) : globalThis.fetch(url, init);

  return async (input, { scope, auth, stream, hooks }) => {
    scope.throwIfEnded();
    const request = auth ? auth.apply(input) : input;
    const { url, method, headers } = request;
    // a draft's body is what openapi-fetch serialised (a string, usually): it can be sent again as is
    const body =
      request instanceof RequestDraft
        ? (request.body ?? undefined)
        : request.body
          ? await scope.bound(request.arrayBuffer(), policy.timeout, "reading the request body")
          : undefined;
    const exchange: Exchange = {
      url,
      method,
      headers,
      body,
      where: scope.where,
      // asked only when a redirect comes
      hasCredentials: () => carriesCredentials(auth) || headers.has("authorization") || headers.has("cookie"),
      stream: stream === true,
    };
    const attempts = policy.maxRetries + 1;
    // a streamed request body cannot be sent twice
    const retryable = policy.maxRetries > 0 && !(body instanceof ReadableStream) && isRetryableRequest(method, headers);
    const debug = logger.enabled("debug");

    // attempt number `number`: the hooks around it, then the request, its redirects and its answer
    const attempt = async (number: number): Promise<Response> => {
      const sent = hooks ? { ...exchange, headers: await hooks.request(url, headers) } : exchange;
      if (debug) logger.log("debug", `→ ${exchange.where} (attempt ${number}/${retryable ? attempts : 1})`);
      const started = Date.now();
      const response = await attemptOnce(send, sent, scope, policy);
      const took = Date.now() - started;
      if (debug) logger.log("debug", `← ${response.status} ${exchange.where} in ${took} ms${requestIdOf(response)}`);
      if (hooks) await hooks.response(response, took);
      return response;
    };

    const next = { wait: 0 };
    // whether retry number `retry` may follow this outcome, and after how long: only after a retryable status
    // or failure, and never when its wait would end past the deadline
    const decide = async (retry: number, outcome: Outcome): Promise<boolean> => {
      if (!(outcome.response ? isRetryStatus(outcome.response.status) : isRetryableFailure(outcome.error, scope))) {
        return false;
      }
      const wait = retryDelay(retry, outcome.response, policy);
      if (wait >= scope.remaining()) return false;
      next.wait = wait;
      logger.log(
        "info",
        `${exchange.where}: ${outcome.response ? `got ${outcome.response.status}` : describeError(outcome.error)}; retrying in ${Math.round(wait)} ms`,
      );
      if (outcome.error && hooks) await hooks.error(outcome.error);
      return true;
    };

    let first: Outcome;
    try {
      first = { response: await attempt(1) };
    } catch (error) {
      first = { error: error as KeysmithError };
    }
    if (!retryable || !(await decide(1, first))) return giveUp(first);
    void first.response?.body?.cancel().catch(() => undefined);
    // ky runs the retries, loaded now (while the wait runs) by the process's first retry: the first
    // attempt, which usually succeeds, does without it
    loadRetries.preload();
    await scope.sleep(next.wait);
    try {
      const { retryWithKy } = await loadRetries(policy.timeout, scope);
      return await retryWithKy(url, method, scope, policy.maxRetries, { wait: () => next.wait, decide, attempt });
    } catch (error) {
      if (error instanceof KeysmithError) throw error;
      throw scope.signal.aborted
        ? scope.signal.reason
        : new ConnectionError(`${exchange.where} failed: ${describeError(error)}`, { cause: error });
    }
  };
}

/** The retry code with ky, loaded by the process's first retry. */
const loadRetries = lazyModule(() => import("./ky-retries.js"), "the SDK's retry code");

/**
 * One attempt: the request, any redirects the policy allows, and the answer's body, all within `timeout`
 * and the call's scope. Every failure is a Keysmith error: `TimeoutError` (the attempt's timeout or the
 * deadline), `AbortError`, `ConnectionError` (no answer, or one cut short), `RedirectError`,
 * `ResponseTooLargeError`.
 */
async function attemptOnce(
  send: (url: string, init: RequestInit) => Promise<Response>,
  exchange: Exchange,
  scope: CallScope,
  policy: RetryPolicy,
): Promise<Response> {
  scope.throwIfEnded();
  const controller = new AbortController();
  const { where } = exchange;
  // every wait of the attempt races `ended`, settled by the same two events that abort the fetch: no listener
  // per wait (EventTarget listeners cost more than the rest of the attempt on Node 20)
  let fail: (reason: unknown) => void = () => undefined;
  const ended = new Promise<never>((_, reject) => {
    fail = reject;
  });
  ended.catch(() => undefined);
  const abort = (reason: unknown) => {
    controller.abort(reason);
    fail(reason);
  };
  const timer = setTimeout(
    () => abort(new TimeoutError(`${where} timed out after ${policy.timeout} ms`)),
    policy.timeout,
  );
  const onEnd = () => abort(scope.signal.reason);
  if (scope.canEnd) scope.signal.addEventListener("abort", onEnd, { once: true });
  const { signal } = controller;
  try {
    let current = { url: exchange.url, method: exchange.method, headers: exchange.headers, keepsBody: true };
    for (let redirects = 0; ; redirects++) {
      const body = current.keepsBody ? exchange.body : undefined;
      const init: RequestInit & { duplex?: "half" } = {
        method: current.method,
        headers: current.headers,
        body: body ?? null,
        signal,
        redirect: "manual",
      };
      if (body instanceof ReadableStream) init.duplex = "half";
      // a `fetch` that ignores its signal still cannot hold the attempt past its end
      const response = await Promise.race([send(current.url, init), ended]);
      // a 3xx, or a browser's opaque redirect: the redirect policy is loaded when one first comes
      const next =
        (response.status === 0 || (response.status >= 300 && response.status < 400)) &&
        (await Promise.race([import("./redirects.js"), ended])).followRedirect(
          response,
          { ...current, hasBody: body !== undefined, hasCredentials: exchange.hasCredentials() },
          redirects,
          where,
        );
      if (!next) {
        if (exchange.stream && response.ok) {
          const { streamResponse } = await Promise.race([import("./streamed-response.js"), ended]);
          const stalled = () => new TimeoutError(`${where}: the streamed answer stalled for ${policy.timeout} ms`);
          return streamResponse(response, scope.signal, policy.timeout, where, scope.retain(), stalled);
        }
        return await bufferResponse(response, policy.maxResponseBytes, ended, signal, where);
      }
      void response.body?.cancel().catch(() => undefined);
      current = next;
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof KeysmithError) throw error;
    throw new ConnectionError(`${where} failed: no response (${describeError(error)})${corsHint(exchange.url)}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    if (scope.canEnd) scope.signal.removeEventListener("abort", onEnd);
  }
}

/** A failure worth another attempt: a lost connection or an attempt's own timeout, not the end of the call. */
function isRetryableFailure(error: unknown, scope: CallScope): boolean {
  if (scope.signal.aborted) return false;
  return error instanceof TimeoutError || error?.constructor === ConnectionError;
}

function giveUp(outcome: Outcome): Response {
  if (outcome.response) return outcome.response;
  throw outcome.error;
}

/**
 * In a browser, a request another origin refuses (CORS) fails exactly like a network error ("Failed to
 * fetch"): only the console says why. Name the likely cause, and the origin the server must allow.
 */
function corsHint(url: string): string {
  const page = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  if (typeof page !== "string" || typeof (globalThis as { document?: unknown }).document === "undefined") return "";
  const target = new URL(url).origin;
  return target === page
    ? ""
    : `; in a browser this is also how CORS refuses a call: the server must allow the origin ${page}`;
}

function requestIdOf(response: Response): string {
  const id = response.headers.get("x-request-id") ?? response.headers.get("request-id");
  return id ? `, request ${id}` : "";
}
