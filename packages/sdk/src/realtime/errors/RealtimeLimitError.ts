import { RealtimeError } from "./RealtimeError.js";

/**
 * Something the SDK held back to stay within a documented limit (a telemetry update over 100 KB, updates
 * beyond the per-team rate), or a consumer slower than the stream (notifications left unacknowledged for the
 * server to deliver again). Reported through `onError`; nothing is thrown at your code.
 */
export class RealtimeLimitError extends RealtimeError {
  override name = "RealtimeLimitError";
  /** Which limit: `size`, `rate` or `buffer`. */
  readonly limit: "size" | "rate" | "buffer";

  constructor(namespace: string, event: string, limit: "size" | "rate" | "buffer", message: string) {
    super(namespace, event, message);
    this.limit = limit;
  }
}
