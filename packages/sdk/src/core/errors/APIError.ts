import { type RateLimitState, rateLimitOf } from "../rate-limit.js";
import { KeysmithError } from "./KeysmithError.js";

export interface APIErrorDetails {
  readonly status: number;
  readonly headers: Headers;
  /** The API's own error code, such as GetKeyManager's `102` or Erathos's `not_found`. */
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  /** The parsed error body, in the API's own shape. */
  readonly body: unknown;
  readonly method: string;
  readonly url: string;
  /** The API's troubleshooting hint for this status (`x-keysmith-hints`), appended to the message. */
  readonly hint?: string | undefined;
  /** Seconds to wait, read from the body where the API puts it there (`x-keysmith-error.retryAfter`). */
  readonly retryAfter?: number | undefined;
}

/**
 * The API answered with a non-2xx status. Subclasses name the status (`NotFoundError`, `RateLimitError`…);
 * all carry the status, headers, the API's error code and message, the request id, the rate-limit state
 * and the parsed body.
 */
export class APIError extends KeysmithError {
  override name = "APIError";
  readonly status: number;
  readonly headers: Headers;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly body: unknown;
  readonly rateLimit: RateLimitState;

  constructor(message: string, details: APIErrorDetails) {
    const where = `${details.method} ${details.url}${details.requestId ? `, request ${details.requestId}` : ""}`;
    super(`${details.status} ${message} (${where})${details.hint ? ` ${details.hint}` : ""}`);
    this.status = details.status;
    this.headers = details.headers;
    this.code = details.code;
    this.requestId = details.requestId;
    this.body = details.body;
    this.rateLimit = rateLimitOf(details.headers);
  }
}
