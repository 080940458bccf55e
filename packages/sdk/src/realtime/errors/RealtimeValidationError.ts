import { RealtimeError } from "./RealtimeError.js";

/**
 * A payload that does not match the AsyncAPI description: one that arrived (it is answered as refused and
 * never reaches your code) or one your handler returned (it is not sent). `issues` name each field and rule,
 * never the values, which may hold data you would not log.
 */
export class RealtimeValidationError extends RealtimeError {
  override name = "RealtimeValidationError";
  /** `received` for a payload from the server, `sent` for one from your handler. */
  readonly direction: "received" | "sent";
  /** One line per problem: `data.value: expected number`. */
  readonly issues: readonly string[];

  constructor(namespace: string, event: string, direction: "received" | "sent", issues: readonly string[]) {
    super(
      namespace,
      event,
      `${direction === "received" ? "an invalid payload arrived" : "your handler returned an invalid payload"}: ${issues.join("; ")}`,
    );
    this.direction = direction;
    this.issues = issues;
  }
}
