import ky, { HTTPError } from "ky";
import type { CallScope } from "./call-scope.js";
import type { KeysmithError } from "./errors/KeysmithError.js";
import { RETRY_STATUSES } from "./retry-policy.js";
import type { Outcome } from "./transport.js";

/** What the transport lends ky for the retries: its decisions and its attempts. */
export interface RetryRun {
  /** The wait before the next attempt, as the last `decide` set it. */
  readonly wait: () => number;
  /** Whether retry number `retry` may follow this outcome (setting the wait before it). */
  readonly decide: (retry: number, outcome: Outcome) => Promise<boolean>;
  /** Sends attempt number `number` (2, 3…): hooks, request, redirects and answer. */
  readonly attempt: (number: number) => Promise<Response>;
}

/**
 * The retries after a first attempt that failed in a retryable way, run by ky: every attempt is the
 * transport's own (`attempt`), and ky decides nothing but asks `decide` whether and when to try again. Loaded
 * by the transport with a dynamic import, so that clients whose calls never retry never load ky. Answers
 * with the last response, whatever its status; throws the last attempt's error.
 */
export async function retryWithKy(
  url: string,
  method: string,
  scope: CallScope,
  maxRetries: number,
  run: RetryRun,
): Promise<Response> {
  let number = 1;
  try {
    return await ky(url, {
      method,
      signal: scope.signal,
      timeout: false,
      throwHttpErrors: true,
      retry: {
        limit: maxRetries - 1,
        methods: ["get", "head", "options", "put", "delete", "trace", "post", "patch"],
        statusCodes: [...RETRY_STATUSES],
        // the wait is `decide`'s, from `retryDelay`: ky's own reading of Retry-After is off
        afterStatusCodes: [],
        delay: run.wait,
        jitter: (delay) => delay,
        backoffLimit: Number.POSITIVE_INFINITY,
        shouldRetry: ({ error, retryCount }) =>
          run.decide(
            retryCount + 1,
            error instanceof HTTPError ? { response: error.response } : { error: error as KeysmithError },
          ),
      },
      // every attempt is the SDK's own: ky decides only whether and when to try again
      fetch: () => {
        number += 1;
        return run.attempt(number);
      },
    });
  } catch (error) {
    if (error instanceof HTTPError) return error.response;
    throw error;
  }
}
