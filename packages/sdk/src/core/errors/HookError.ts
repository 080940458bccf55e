import { KeysmithError } from "./KeysmithError.js";

/**
 * A hook (`onRequest`, `onResponse`, `onError`) threw, rejected or did not settle within `timeout`; the call
 * fails with this error and is not retried. `cause` is the hook's error (redacted), or a `TimeoutError`.
 */
export class HookError extends KeysmithError {
  override name = "HookError";
  readonly hook: "onRequest" | "onResponse" | "onError";
  /** The operation whose call failed: `Erathos.workspaces.list`, or `Erathos: GET /path` for a path-style call. */
  readonly operation: string;
  /** The attempt the hook was called for (0 when nothing had been sent). */
  readonly attempt: number;

  constructor(
    message: string,
    hook: "onRequest" | "onResponse" | "onError",
    operation: string,
    attempt: number,
    cause: unknown,
  ) {
    super(message, { cause });
    this.hook = hook;
    this.operation = operation;
    this.attempt = attempt;
  }
}
