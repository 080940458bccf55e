import { KeysmithError } from "./KeysmithError.js";

/**
 * The client cannot be built as configured: a bad base URL, an unknown environment, a missing server
 * variable. Thrown by the constructor, before any request; the message names the option or variable.
 */
export class ConfigurationError extends KeysmithError {
  override name = "ConfigurationError";
}
