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

/**
 * How long the server asks the client to wait, in milliseconds: `retry-after-ms`, else `Retry-After` as
 * seconds or as an HTTP date; undefined when it says nothing usable.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = number(headers.get("retry-after-ms"));
  if (ms !== undefined && ms >= 0) return ms;
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  const seconds = number(value);
  if (seconds !== undefined) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
