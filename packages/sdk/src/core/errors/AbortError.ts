import { KeysmithError } from "./KeysmithError.js";

/** The caller's `AbortSignal` fired: the call, and any retry still pending, was given up. */
export class AbortError extends KeysmithError {
  override name = "AbortError";
}
