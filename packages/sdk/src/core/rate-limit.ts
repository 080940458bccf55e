/** What a response says of the caller's rate limit (`RateLimit-*`, `Retry-After`, `retry-after-ms`). */
export interface RateLimitState {
  readonly limit: number | undefined;
  readonly remaining: number | undefined;
  /** Seconds until the window resets. */
  readonly reset: number | undefined;
}

const number = (value: string | null): number | undefined => {
  if (value === null || value.trim() === "") return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
};

export function rateLimitOf(headers: Headers): RateLimitState {
  return {
    limit: number(headers.get("ratelimit-limit") ?? headers.get("x-ratelimit-limit")),
    remaining: number(headers.get("ratelimit-remaining") ?? headers.get("x-ratelimit-remaining")),
    reset: number(headers.get("ratelimit-reset") ?? headers.get("x-ratelimit-reset")),
  };
}

/** Past this, a reset value is a moment (Unix seconds), not a number of seconds to wait. */
const EPOCH_SECONDS = 1_000_000_000;

/**
 * How long the server asks the client to wait, in milliseconds, read in one place for every retry and
 * `RateLimitError.retryAfter`: `retry-after-ms`, else `Retry-After` (seconds or an HTTP date), else the
 * rate-limit reset (`RateLimit-Reset`, `X-RateLimit-Reset`: seconds, or a Unix time as GitHub sends). A value
 * that is negative, not a number or not a date says nothing (undefined: the caller backs off as usual); a
 * moment already past asks for no wait. The reset counts only for a 429 (`limited`): elsewhere it is the
 * quota's window, not a request to wait.
 */
export function retryAfterMs(headers: Headers, now = Date.now(), limited = true): number | undefined {
  const ms = number(headers.get("retry-after-ms"));
  if (ms !== undefined) return ms >= 0 ? ms : undefined;
  const value = headers.get("retry-after");
  if (value !== null) {
    const seconds = number(value);
    if (seconds !== undefined) return seconds >= 0 ? seconds * 1000 : undefined;
    // an HTTP date, as RFC 9110 writes it: a bare number or a garbled word is not one
    if (!/^[A-Za-z]{3},/.test(value.trim())) return undefined;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
  }
  if (!limited) return undefined;
  const reset = number(headers.get("ratelimit-reset") ?? headers.get("x-ratelimit-reset"));
  if (reset === undefined || reset < 0) return undefined;
  return reset >= EPOCH_SECONDS ? Math.max(0, reset * 1000 - now) : reset * 1000;
}
