import { KeysmithError } from "./KeysmithError.js";

/**
 * A credential function (the `apiKey` option as a function, or one in `credentials`) threw or rejected.
 * `cause` is its error, redacted; nothing was sent.
 */
export class CredentialSourceError extends KeysmithError {
  override name = "CredentialSourceError";
}
