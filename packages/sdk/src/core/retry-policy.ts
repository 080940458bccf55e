import { retryAfterMs } from "./rate-limit.js";

/** When and how long to retry: what `maxRetries`, `timeout`, `maxRetryDelay` and `deadline` configure. */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 2. */
  readonly maxRetries: number;
  /** Milliseconds one attempt may take. Default 60 000. */
  readonly timeout: number;
  /** The longest wait between attempts, whatever `Retry-After` asks. Default 8 000. */
  readonly maxRetryDelay: number;
  /** Milliseconds the whole call, retries and waits included, may take; no retry starts past it. */
  readonly deadline: number | undefined;
  /** The most bytes an answer's body may have when read whole. Default 32 MiB. */
  readonly maxResponseBytes: number;
}

export const INITIAL_RETRY_DELAY_MS = 500;
/** 408, 429 and every 5xx. */
export const RETRY_STATUSES: readonly number[] = [408, 429, ...Array.from({ length: 100 }, (_, index) => 500 + index)];
const RETRY_STATUS_SET = new Set(RETRY_STATUSES);
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);

export const isRetryStatus = (status: number): boolean => RETRY_STATUS_SET.has(status);

/** Safe to send twice: an idempotent method, or a write carrying an `Idempotency-Key`. */
export function isRetryableRequest(method: string, headers: Headers): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase()) || headers.has("idempotency-key");
}

/** Exponential backoff before retry number `retry` (1, 2…), without jitter, capped at `maxRetryDelay`. */
export function backoff(retry: number, policy: RetryPolicy): number {
  return Math.min(policy.maxRetryDelay, INITIAL_RETRY_DELAY_MS * 2 ** (retry - 1));
}

/** Jitter: somewhere between half and all of the delay, so clients that failed together do not retry together. */
export function jitter(delay: number, random: () => number = Math.random): number {
  return delay * (0.5 + random() * 0.5);
}

/**
 * The wait before retry number `retry` (1, 2…) after `response` (none: the attempt failed without one): what
 * the response asks (see `retryAfterMs`), capped at `maxRetryDelay`; else jittered exponential backoff.
 */
export function retryDelay(
  retry: number,
  response: { readonly status: number; readonly headers: Headers } | undefined,
  policy: RetryPolicy,
  now = Date.now(),
): number {
  const asked = response ? retryAfterMs(response.headers, now, response.status === 429) : undefined;
  return asked !== undefined ? Math.min(asked, policy.maxRetryDelay) : jitter(backoff(retry, policy));
}
