import { Manager, type Socket } from "socket.io-client";
import { KeysmithError } from "../core/errors/KeysmithError.js";
import type { RealtimeConnectionError } from "./errors/RealtimeConnectionError.js";
import type { RealtimeContext } from "./realtime-options.js";

/** A connected namespace with the lifecycle the handlers share. */
export interface NamespaceSocket {
  readonly socket: Socket;
  /** Resolves on the first connection; rejects when the key is refused or cannot be read. */
  readonly ready: Promise<void>;
  /** Settles (never rejects) when the socket stops for good: closed by the app or refused by the server. */
  readonly stopped: Promise<RealtimeConnectionError | undefined>;
  /** Called on every (re)connection, after the handshake. */
  onConnect(listener: () => void): void;
  /** Called when the connection drops (it is retried) or is closed. */
  onDisconnect(listener: (reason: string) => void): void;
  /** Drops and re-opens the connection, so the server delivers what is still unacknowledged. */
  reconnect(): void;
  close(): void;
}

/**
 * Opens one namespace on its own connection, authenticated in the handshake as Epsilon3 documents
 * (`auth: { key }`), over the websocket transport. The key is read again (expiry, rotation, `_FILE`) before
 * every connection. Drops are retried with exponential backoff and jitter by socket.io-client's manager; a
 * server-side disconnect is retried the same way; a refusal at the handshake is final.
 */
export function openNamespace(context: RealtimeContext, namespace: string): NamespaceSocket {
  const { RealtimeConnectionError } = context.errors;
  const manager = new Manager(context.url, {
    path: context.path,
    transports: ["websocket"],
    autoConnect: false,
    reconnectionDelay: context.reconnectionDelay,
    reconnectionDelayMax: context.reconnectionDelayMax,
    randomizationFactor: 0.5,
  });
  let closed = false;
  let settleReady: { resolve(): void; reject(error: unknown): void } | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    settleReady = { resolve, reject };
  });
  ready.catch(() => {}); // observed through `stopped` and by whoever awaits it
  let stop: (error: RealtimeConnectionError | undefined) => void = () => {};
  const stopped = new Promise<RealtimeConnectionError | undefined>((resolve) => {
    stop = resolve;
  });
  const connectListeners: (() => void)[] = [];
  const disconnectListeners: ((reason: string) => void)[] = [];

  const fail = (error: RealtimeConnectionError) => {
    if (closed) return;
    closed = true;
    socket.disconnect();
    manager.engine?.close();
    settleReady?.reject(error);
    stop(error);
  };

  const socket = manager.socket(namespace, {
    auth: (send) => {
      context.key().then(
        (key) => send({ key }),
        (error: unknown) =>
          fail(
            new RealtimeConnectionError(
              namespace,
              `cannot connect: ${error instanceof Error ? error.message : String(error)}`,
              error instanceof KeysmithError ? error.name : undefined,
              { cause: error },
            ),
          ),
      );
    },
  });

  let serverDrops = 0;
  socket.on("connect", () => {
    serverDrops = 0;
    context.debug(`${namespace}: connected`);
    settleReady?.resolve();
    for (const listener of connectListeners) listener();
  });
  socket.on("connect_error", (error: Error & { data?: { code?: unknown; message?: unknown } }) => {
    if (socket.active) {
      context.debug(`${namespace}: connection failed (${error.message}); retrying`);
      return;
    }
    // refused by the server's middleware: the key is missing, unknown, expired or not a team key
    const code = typeof error.data?.code === "string" ? error.data.code : undefined;
    fail(new RealtimeConnectionError(namespace, `the server refused the connection: ${error.message}`, code));
  });
  socket.on("disconnect", (reason) => {
    context.debug(`${namespace}: disconnected (${reason})`);
    for (const listener of disconnectListeners) listener(reason);
    if (reason === "io server disconnect" && !closed) {
      // socket.io-client leaves server-side disconnects alone; treat them as drops, with backoff
      serverDrops += 1;
      const delay = Math.min(context.reconnectionDelay * 2 ** (serverDrops - 1), context.reconnectionDelayMax);
      setTimeout(
        () => {
          if (!closed) socket.connect();
        },
        delay * (0.5 + Math.random()),
      );
    }
  });
  socket.connect();

  return {
    socket,
    ready,
    stopped,
    onConnect: (listener) => void connectListeners.push(listener),
    onDisconnect: (listener) => void disconnectListeners.push(listener),
    reconnect: () => {
      if (closed) return;
      socket.disconnect();
      socket.connect();
    },
    close: () => {
      if (closed) return;
      closed = true;
      socket.disconnect();
      manager.engine?.close();
      settleReady?.reject(new RealtimeConnectionError(namespace, "closed before it connected"));
      stop(undefined);
    },
  };
}
