import { KeysmithError } from "./KeysmithError.js";

/** A signed response whose signature does not verify against the configured public key. */
export class SignatureError extends KeysmithError {
  override name = "SignatureError";
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}
