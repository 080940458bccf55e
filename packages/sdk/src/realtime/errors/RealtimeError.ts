import { KeysmithError } from "../../core/errors/KeysmithError.js";

/** A problem on a realtime (Socket.IO) connection, naming the namespace and, when there is one, the event. */
export class RealtimeError extends KeysmithError {
  override name = "RealtimeError";
  /** The Socket.IO namespace, such as `/v1/notifications/realtime`. */
  readonly namespace: string;
  /** The event concerned, when there is one. */
  readonly event: string | undefined;

  constructor(namespace: string, event: string | undefined, message: string, options?: { cause?: unknown }) {
    super(`${namespace}${event ? ` ${event}` : ""}: ${message}`, options);
    this.namespace = namespace;
    this.event = event;
  }
}
