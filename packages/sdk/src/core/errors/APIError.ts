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
}

/**
 * The API answered with a non-2xx status. Subclasses name the status (`NotFoundError`, `RateLimitError`…);
 * all of them carry the status, headers, the API's error code and message, the request id and the body.
 */
export class APIError extends KeysmithError {
  override name = "APIError";
  readonly status: number;
  readonly headers: Headers;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly body: unknown;

  constructor(message: string, details: APIErrorDetails) {
    super(
      `${details.status} ${message} (${details.method} ${details.url}${details.requestId ? `, request ${details.requestId}` : ""})`,
    );
    this.status = details.status;
    this.headers = details.headers;
    this.code = details.code;
    this.requestId = details.requestId;
    this.body = details.body;
  }
}
