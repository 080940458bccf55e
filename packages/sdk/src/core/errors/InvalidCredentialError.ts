import { ConfigurationError } from "./ConfigurationError.js";

/**
 * A key was given but cannot be right (control characters, white space inside, an auth-scheme prefix pasted
 * in). The message names where the key came from and what is wrong, never the key itself.
 */
export class InvalidCredentialError extends ConfigurationError {
  override name = "InvalidCredentialError";
  /** Where the key came from: the `apiKey` option or an environment variable's name. */
  readonly source: string;

  constructor(apiName: string, source: string, problem: string) {
    super(`${apiName}: the API key from ${source} ${problem}.`);
    this.source = source;
  }
}
