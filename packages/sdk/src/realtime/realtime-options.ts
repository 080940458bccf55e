import type { KeysmithError } from "../core/errors/KeysmithError.js";
import type { RealtimeErrorClasses } from "./errors/realtime-error-classes.js";

/**
 * How the realtime side connects and behaves. Every field is optional.
 *
 * @example new Epsilon3({ realtime: { bufferSize: 200, onError: (error) => console.warn(error.message) } })
 */
export interface RealtimeOptions {
  /**
   * The Socket.IO server's origin. Default: the REST base URL's origin (`https://api.epsilon3.io`). Must be
   * https (wss) or loopback, like the base URL.
   */
  readonly url?: string;
  /** The Socket.IO path. Default: the REST base URL's path followed by `/socket.io`. */
  readonly path?: string;
  /** First delay before reconnecting after a drop, in ms; doubles up to `reconnectionDelayMax`, with jitter. Default 500. */
  readonly reconnectionDelay?: number;
  /** Longest delay between reconnection attempts, in ms. Default 10,000. */
  readonly reconnectionDelayMax?: number;
  /**
   * How many notifications wait between the socket and a slow consumer. Default 1,000. When it is full,
   * newer notifications are left unacknowledged, and once the consumer has caught up the SDK reconnects so
   * that the server delivers them again: nothing is dropped and order is kept.
   */
  readonly bufferSize?: number;
  /** How long a command handler may run before the command is reported as timed out, in ms. Default 55,000 (Epsilon3's). */
  readonly commandTimeout?: number;
  /**
   * Receives what goes wrong without stopping the connection: invalid payloads, handler failures, limits.
   * Default: logged at `warn` through the client's logger.
   */
  readonly onError?: (error: KeysmithError) => void;
}

/** What the lazily loaded engine needs from the client that owns it. */
export interface RealtimeContext {
  readonly apiName: string;
  /** The Socket.IO server's origin. */
  readonly url: string;
  readonly path: string;
  /** The current key, checked (expiry, rotation); read again on every (re)connection. */
  readonly key: () => Promise<string>;
  readonly reconnectionDelay: number;
  readonly reconnectionDelayMax: number;
  readonly bufferSize: number;
  readonly commandTimeout: number;
  readonly report: (error: KeysmithError) => void;
  readonly debug: (message: string) => void;
  /**
   * The exported realtime error classes, for the engine to construct its errors with: engine files must not
   * import them (see realtime-error-classes.ts), or every bundle's first load would carry them.
   */
  readonly errors: RealtimeErrorClasses;
}

/** A running subscription or handler. */
export interface RealtimeHandle {
  /** Resolves once connected the first time; rejects with `RealtimeConnectionError` when the key is refused. */
  readonly ready: Promise<void>;
  /** True while the socket is connected. */
  readonly connected: boolean;
  /** Disconnects and stops; pending work is abandoned. */
  close(): Promise<void>;
}
