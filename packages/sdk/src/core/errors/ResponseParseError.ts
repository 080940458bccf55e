import { KeysmithError } from "./KeysmithError.js";

/** A 2xx answer whose body is not what the spec says (not JSON, truncated, another content type). */
export class ResponseParseError extends KeysmithError {
  override name = "ResponseParseError";
  readonly status: number;
  readonly contentType: string | null;

  constructor(message: string, response: Response, options?: { cause?: unknown }) {
    super(message, options);
    this.status = response.status;
    this.contentType = response.headers.get("content-type");
  }
}
