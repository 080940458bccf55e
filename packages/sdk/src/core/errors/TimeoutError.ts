import { KeysmithError } from "./KeysmithError.js";

/** An attempt took longer than the `timeout` option allows. */
export class TimeoutError extends KeysmithError {
  override name = "TimeoutError";
}
