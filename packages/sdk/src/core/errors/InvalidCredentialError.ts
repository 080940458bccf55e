import { ConfigurationError } from "./ConfigurationError.js";

/**
 * A key that cannot be right: control characters, white space inside, an auth-scheme prefix pasted in,
 * not its API's documented prefix, or another environment's key. The message names where the key came
 * from and what is wrong, never the key.
 */
export class InvalidCredentialError extends ConfigurationError {
  override name = "InvalidCredentialError";
  /** Where the key came from: an option, an environment variable, a `…_FILE` file or a function. */
  readonly source: string;
  /** The environment the key's prefix marks, when it is not the one the client targets. */
  readonly keyEnvironment: string | undefined;

  constructor(apiName: string, source: string, problem: string, keyEnvironment?: string) {
    super(`${apiName}: the API key from ${source} ${problem}.`);
    this.source = source;
    this.keyEnvironment = keyEnvironment;
  }
}
