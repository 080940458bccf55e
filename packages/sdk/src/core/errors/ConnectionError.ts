import { KeysmithError } from "./KeysmithError.js";

/** No response arrived: the connection was refused, reset or could not be made. `cause` has the details. */
export class ConnectionError extends KeysmithError {
  override name = "ConnectionError";
}
