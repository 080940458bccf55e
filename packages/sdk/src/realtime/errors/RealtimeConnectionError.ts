import { RealtimeError } from "./RealtimeError.js";

/**
 * The server refused the connection at the handshake (a missing, unknown, expired or personal key: realtime
 * needs a team key), or the credential could not be read. Refusals are final: the SDK does not retry them.
 * Dropped connections are not errors; they are retried with backoff.
 */
export class RealtimeConnectionError extends RealtimeError {
  override name = "RealtimeConnectionError";
  /** The server's code for a refusal (`team_key_required`, `key_expired`…), when it sent one. */
  readonly code: string | undefined;

  constructor(namespace: string, message: string, code?: string, options?: { cause?: unknown }) {
    super(namespace, undefined, message, options);
    this.code = code;
  }
}
