import { RealtimeError } from "./RealtimeError.js";

/**
 * Something Epsilon3 itself reported on a connection: its `error` event, or the diagnostics of
 * `telemetry_connection_status` (dangling streams, updates dropped over the rate limits…). Reported through
 * `onError`; `payload` is what the server sent (its fields are not published).
 */
export class RealtimeServerError extends RealtimeError {
  override name = "RealtimeServerError";
  readonly payload: unknown;

  constructor(namespace: string, event: string, payload: unknown) {
    super(namespace, event, `the server reported ${summary(payload)}`);
    this.payload = payload;
  }
}

function summary(payload: unknown): string {
  if (typeof payload === "string") return payload.slice(0, 200);
  const message = (payload as { message?: unknown } | null)?.message;
  if (typeof message === "string") return message.slice(0, 200);
  const text = JSON.stringify(payload) ?? String(payload);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
