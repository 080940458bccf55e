import { KeysmithError } from "./KeysmithError.js";

/**
 * A redirect the SDK refused to follow: to another origin with credentials or a body, to plain http off
 * loopback, one whose target the runtime hides (a browser), or too many in a row. Nothing was sent to the target.
 */
export class RedirectError extends KeysmithError {
  override name = "RedirectError";
  readonly status: number;
  /** Where the server pointed, without its query string (which could hold a secret). */
  readonly location: string | undefined;

  constructor(message: string, status: number, location: string | undefined) {
    super(message);
    this.status = status;
    this.location = location;
  }
}
