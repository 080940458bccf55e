import type { ApiDefinition } from "../core/api-definition.js";
import type { ClientOptions } from "../core/client-options.js";
import { readEnvironment } from "../core/environment.js";
import { ConfigurationError } from "../core/errors/ConfigurationError.js";
import type { KeysmithError } from "../core/errors/KeysmithError.js";
import { MissingCredentialError } from "../core/errors/MissingCredentialError.js";
import type { KeysmithClient } from "../core/keysmith-client.js";
import { createLogger } from "../core/logger.js";
import type { Notification } from "../generated/epsilon3/realtime.js";
import type { CommandHandler } from "./command-handler.js";
import { realtimeErrorClasses } from "./errors/realtime-error-classes.js";
import type { NotificationListener } from "./notifications.js";
import type { RealtimeContext, RealtimeHandle, RealtimeOptions } from "./realtime-options.js";
import { resolveRealtimeUrl } from "./realtime-url.js";
import type { SearchHandler } from "./search-handler.js";
import type { TelemetrySource } from "./telemetry-provider.js";

type Engine = typeof import("./epsilon3-engine.js");

/**
 * Epsilon3's Socket.IO API (specs/epsilon3.asyncapi.yaml): notifications, and the telemetry, command and
 * external-data requests Epsilon3 makes of your system. Each subscription or handler opens its own
 * connection to its namespace, authenticated with the client's key (the same option, variable or file,
 * read again on every reconnection; a team key is required). socket.io-client and the validators load on
 * first use.
 *
 * @example
 * ```ts
 * const epsilon3 = new Epsilon3();
 * for await (const notification of epsilon3.realtime.notifications()) {
 *   console.log(notification.subtype, notification.data.message);
 * }
 * ```
 */
export class Epsilon3Realtime {
  readonly #context: RealtimeContext;
  #engine: Promise<Engine> | undefined;
  readonly #errorListeners = new Set<(error: KeysmithError) => void>();
  /** Every connection opened through this client, to close them all at once. */
  readonly #open = new Set<{ close(): unknown }>();

  constructor(
    client: KeysmithClient<object>,
    api: ApiDefinition,
    options: ClientOptions & { readonly realtime?: RealtimeOptions },
  ) {
    const apiName = api.name;
    const realtime = options.realtime ?? {};
    const logger = createLogger(apiName, options, readEnvironment(options.env));
    const { url, path } = resolveRealtimeUrl(apiName, client.baseUrl, realtime, options.allowInsecureHttp === true);
    this.#context = {
      apiName,
      url,
      path,
      key: async () => {
        const key = await client.credentials.current();
        if (key === undefined) throw new MissingCredentialError(apiName, api.env.apiKey);
        return key;
      },
      reconnectionDelay: realtime.reconnectionDelay ?? 500,
      reconnectionDelayMax: realtime.reconnectionDelayMax ?? 10_000,
      bufferSize: positive(realtime.bufferSize, 1000, "realtime.bufferSize", apiName),
      commandTimeout: positive(realtime.commandTimeout, 55_000, "realtime.commandTimeout", apiName),
      report: (error) => {
        realtime.onError?.(error);
        for (const listener of this.#errorListeners) listener(error);
        if (!realtime.onError && this.#errorListeners.size === 0) logger.log("warn", error.message);
      },
      debug: (message) => {
        if (logger.enabled("debug")) logger.log("debug", message);
      },
      errors: realtimeErrorClasses,
    };
  }

  /**
   * Notifications as they arrive, each acknowledged `{ received: true }` as your loop takes it; never one
   * twice, none lost across reconnections. Breaking out of the loop disconnects. Throws
   * `RealtimeConnectionError` if the server refuses the key.
   * @example for await (const n of epsilon3.realtime.notifications()) if (n.subtype === "run_started") …
   */
  notifications(): AsyncIterableIterator<Notification, undefined> {
    // connects on the first `next()`; hands over the stream's own iterator (no generator between them)
    let started: Promise<AsyncIterator<Notification, undefined>> | undefined;
    let connection: { close(): unknown } | undefined;
    const start = () => {
      started ??= this.#load().then((engine) => {
        const stream = engine.notificationStream(this.#context);
        connection = stream.connection;
        this.#open.add(connection);
        return stream[Symbol.asyncIterator]();
      });
      return started;
    };
    let inner: AsyncIterator<Notification, undefined> | undefined;
    const iterator: AsyncIterableIterator<Notification, undefined> = {
      next: () =>
        inner
          ? inner.next()
          : start().then((it) => {
              inner = it;
              return it.next();
            }),
      return: async () => {
        const it = inner ?? (started ? await started : undefined);
        if (connection) this.#open.delete(connection);
        await it?.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /**
   * Notifications through a callback, one at a time.
   * @example const handle = epsilon3.realtime.onNotification((n) => console.log(n.data.message)); await handle.ready
   */
  onNotification(listener: NotificationListener): RealtimeHandle {
    return this.#lazy((engine) => engine.onNotification(this.#context, listener));
  }

  /**
   * Streams telemetry when Epsilon3 asks (`start_stream`), at each stream's refresh rate, until `end_streams`.
   * @example epsilon3.realtime.provideTelemetry((stream) => ({ value: readSensor(stream.name) }))
   */
  provideTelemetry(source: TelemetrySource): RealtimeHandle {
    return this.#lazy((engine) => engine.provideTelemetry(this.#context, source));
  }

  /**
   * Executes the commands Epsilon3 sends; asynchronous ones (with `correlation_id`) report through `command_finished`.
   * @example epsilon3.realtime.handleCommands(async (command) => ({ success: await radio.send(command.name) }))
   */
  handleCommands(handler: CommandHandler): RealtimeHandle {
    return this.#lazy((engine) => engine.handleCommands(this.#context, handler));
  }

  /**
   * Answers Epsilon3's external-data searches with items.
   * @example epsilon3.realtime.handleSearch(({ term }) => parts.filter((p) => p.name.includes(term)))
   */
  handleSearch(handler: SearchHandler): RealtimeHandle {
    return this.#lazy((engine) => engine.handleSearch(this.#context, handler));
  }

  /** Closes every stream and handler opened through this client; a `for await` over notifications ends. */
  async close(): Promise<void> {
    await Promise.all([...this.#open].map((connection) => connection.close()));
    this.#open.clear();
  }

  /** Listens for what goes wrong without stopping a connection (invalid payloads, handler failures, limits). */
  onError(listener: (error: KeysmithError) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  #load(): Promise<Engine> {
    this.#engine ??= import("./epsilon3-engine.js");
    return this.#engine;
  }

  #lazy(start: (engine: Engine) => RealtimeHandle): RealtimeHandle {
    const started = this.#load().then(start);
    let closed = false;
    let current: RealtimeHandle | undefined;
    void started.then((handle) => {
      current = handle;
      if (closed) void handle.close();
    });
    const ready = started.then((handle) => handle.ready);
    ready.catch(() => {}); // rejections are for whoever awaits `ready`
    const lazyHandle: RealtimeHandle = {
      ready,
      get connected() {
        return current?.connected ?? false;
      },
      close: async () => {
        closed = true;
        this.#open.delete(lazyHandle);
        if (current) await current.close();
      },
    };
    this.#open.add(lazyHandle);
    return lazyHandle;
  }
}

function positive(value: number | undefined, fallback: number, name: string, apiName: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(`${apiName}: the ${name} option must be a positive number, got ${String(value)}.`);
  }
  return value;
}

export type { RealtimeHandle, RealtimeOptions } from "./realtime-options.js";
