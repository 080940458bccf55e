import { KeysmithError } from "./KeysmithError.js";

/** The answer's body passed `maxResponseBytes`: reading stopped there and the connection was closed. */
export class ResponseTooLargeError extends KeysmithError {
  override name = "ResponseTooLargeError";
  readonly status: number;
  /** The limit, in bytes. */
  readonly limit: number;

  constructor(message: string, status: number, limit: number) {
    super(message);
    this.status = status;
    this.limit = limit;
  }
}
