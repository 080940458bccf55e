import { KeysmithError } from "./KeysmithError.js";

/** The credential's expiry (from `expiresAt`, its `…_EXPIRES_AT` variable or a JWT's `exp`) has passed. Thrown before sending. */
export class CredentialExpiredError extends KeysmithError {
  override name = "CredentialExpiredError";
  readonly expiredAt: string;
  /** Where the expiry came from (an option's or variable's name, or `the key's JWT "exp" claim`). */
  readonly expirySource: string;

  constructor(apiName: string, expiredAt: Date, expirySource: string, hint?: string) {
    super(
      `${apiName}: the API key expired at ${expiredAt.toISOString()} (from ${expirySource}).${hint ? ` ${hint}` : ""}`,
    );
    this.expiredAt = expiredAt.toISOString();
    this.expirySource = expirySource;
  }
}
