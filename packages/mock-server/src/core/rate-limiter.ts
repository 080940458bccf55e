import type { KeyRecord } from "./key-record.js";

export interface RateLimitState {
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets. */
  readonly reset: number;
  readonly exceeded: boolean;
}

/** Fixed windows per key, as the `RateLimit-*` headers describe them. */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  take(key: KeyRecord, fallback: { requests: number; perSeconds: number }, nowMs: number): RateLimitState {
    const { requests, perSeconds } = key.rateLimit ?? fallback;
    const windowMs = perSeconds * 1000;
    let window = this.#windows.get(key.id);
    if (!window || nowMs - window.start >= windowMs) {
      window = { start: nowMs, count: 0 };
      this.#windows.set(key.id, window);
    }
    const reset = Math.max(1, Math.ceil((window.start + windowMs - nowMs) / 1000));
    if (window.count >= requests) return { limit: requests, remaining: 0, reset, exceeded: true };
    window.count += 1;
    return { limit: requests, remaining: requests - window.count, reset, exceeded: false };
  }

  clear(): void {
    this.#windows.clear();
  }
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(state.remaining),
    "RateLimit-Reset": String(state.reset),
  };
}
