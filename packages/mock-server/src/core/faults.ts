import { MockProblem } from "./mock-problem.js";

/**
 * Faults a test injects into the mock, per API, operation and key: latency (fixed or random), an error rate,
 * forced 429s and 5xx, dropped connections and slow bodies. Each rule may apply a limited number of times.
 */
export interface FaultRule {
  /** Only this API (`epsilon3`, `epoch`, `getkeymanager`, `erathos`); all when absent. */
  readonly api?: string;
  /** Only this operation. */
  readonly operationId?: string;
  /** Only requests made with this key (its id, such as `key_prod`, or its secret). */
  readonly key?: string;
  /** Added latency: milliseconds, or `[min, max]` for a random delay. */
  readonly latencyMs?: number | readonly [number, number];
  /** Answer with `status` on this share of requests (0–1); with no `status`, 500. */
  readonly errorRate?: number;
  /** Answer with this status (429 or 5xx) instead of the real answer. */
  readonly status?: number;
  /** Drop the connection instead of answering. */
  readonly drop?: boolean;
  /** Send the (real) body slowly, a chunk every this many milliseconds. */
  readonly slowBodyMs?: number;
  /** Apply to this many requests, then stop. */
  readonly times?: number;
}

interface ActiveFault {
  readonly rule: FaultRule;
  remaining: number;
}

export interface FaultOutcome {
  readonly latencyMs: number;
  readonly status: number | undefined;
  readonly drop: boolean;
  readonly slowBodyMs: number | undefined;
}

export class FaultInjector {
  readonly #active: ActiveFault[] = [];
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  /** Adds a rule; the returned function removes it. */
  inject(rule: FaultRule): () => void {
    checkRule(rule);
    const fault = { rule, remaining: rule.times ?? Number.POSITIVE_INFINITY };
    this.#active.push(fault);
    return () => {
      const index = this.#active.indexOf(fault);
      if (index !== -1) this.#active.splice(index, 1);
    };
  }

  clear(): void {
    this.#active.length = 0;
  }

  get size(): number {
    return this.#active.length;
  }

  /** What the matching rules do to this request (the first rule to decide an answer wins). */
  decide(api: string, operationId: string, key: { id: string; secret: string }): FaultOutcome | undefined {
    if (this.#active.length === 0) return undefined;
    let latencyMs = 0;
    let status: number | undefined;
    let drop = false;
    let slowBodyMs: number | undefined;
    let matched = false;
    for (const fault of [...this.#active]) {
      const { rule } = fault;
      if (rule.api !== undefined && rule.api !== api) continue;
      if (rule.operationId !== undefined && rule.operationId !== operationId) continue;
      if (rule.key !== undefined && rule.key !== key.id && rule.key !== key.secret) continue;
      if (rule.errorRate !== undefined && this.#random() >= rule.errorRate) continue;
      matched = true;
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.#active.splice(this.#active.indexOf(fault), 1);
      if (rule.latencyMs !== undefined) {
        latencyMs +=
          typeof rule.latencyMs === "number"
            ? rule.latencyMs
            : rule.latencyMs[0] + this.#random() * (rule.latencyMs[1] - rule.latencyMs[0]);
      }
      if (status === undefined && !drop) {
        if (rule.drop) drop = true;
        else if (rule.status !== undefined) status = rule.status;
        else if (rule.errorRate !== undefined) status = 500;
      }
      slowBodyMs ??= rule.slowBodyMs;
    }
    return matched ? { latencyMs, status, drop, slowBodyMs } : undefined;
  }
}

function checkRule(rule: FaultRule): void {
  const fail = (message: string) => new TypeError(`fault rule: ${message}`);
  if (
    rule.status !== undefined &&
    !(rule.status === 429 || (rule.status >= 500 && rule.status <= 599) || rule.status === 408)
  ) {
    throw fail(`status must be 408, 429 or 5xx, not ${rule.status}`);
  }
  if (rule.errorRate !== undefined && !(rule.errorRate >= 0 && rule.errorRate <= 1))
    throw fail("errorRate must be between 0 and 1");
  const latency = rule.latencyMs;
  if (
    latency !== undefined &&
    (typeof latency === "number" ? latency < 0 : latency[0] < 0 || latency[1] < latency[0])
  ) {
    throw fail("latencyMs must be a non-negative number or [min, max] with min ≤ max");
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0))
    throw fail("times must be a positive integer");
}

/** The refusal an injected status stands for: a 429 with its rate-limit headers (at `limit`), else a failure. */
export function injectedProblem(status: number, limit: number): MockProblem {
  if (status === 429) {
    return new MockProblem(429, {
      code: "rate_limited",
      message: "Rate limit exceeded (injected)",
      retryAfter: 1,
      headers: {
        "Retry-After": "1",
        "RateLimit-Limit": String(limit),
        "RateLimit-Remaining": "0",
        "RateLimit-Reset": "1",
      },
    });
  }
  return new MockProblem(status, { code: "unavailable", message: `Injected failure (${status})` });
}
