import type { Namespace, Server, Socket } from "socket.io";
import type { MockApiRuntime } from "../core/api-runtime.js";
import { MockProblem } from "../core/mock-problem.js";
import { RealtimeValidator } from "../core/realtime-validator.js";
import { realtimeSpec } from "../generated/epsilon3/realtime.js";
import type { Epsilon3State } from "./state.js";

type Payload = Record<string, unknown>;
/** The channels of the AsyncAPI description, one per namespace. */
export const realtimeChannelNames = ["notifications", "telemetry", "commands", "externalData"] as const;
export type RealtimeChannel = (typeof realtimeChannelNames)[number];
type Channel = RealtimeChannel;

function channelSpec(channel: Channel) {
  const spec = realtimeSpec.channels[channel];
  if (!spec) throw new Error(`the AsyncAPI description has no channel ${channel}`);
  return spec;
}

/** Epsilon3's documented limits on `data_update`; the mock drops the excess silently, as Epsilon3 does. */
const LIMITS = { maxBytes: 100 * 1024, perStreamPerSecond: 4, perTeamPerSecond: 1000 };
const KEPT_UPDATES = 1000;

/** Something a client sent that the AsyncAPI description does not allow, kept for tests to inspect. */
export interface RealtimeProtocolError {
  readonly at: string;
  readonly namespace: string;
  readonly event: string;
  readonly problems: readonly string[];
}

/** A telemetry stream the mock asked for, and what arrived on it. */
export interface MockTelemetryStream {
  readonly start: Payload;
  active: boolean;
  /** Accepted `data` objects, oldest first (at most the last 1,000). */
  readonly updates: Payload[];
  /** Updates dropped for being over 100 KB or over the rate limits (4 per second per stream, 1,000 per team). */
  readonly dropped: { size: number; rate: number };
  readonly sentAt: number[];
}

export interface MockCommandResult {
  /** The acknowledgement: `{name, success, received_at, message}`, or `{status: "executing"}`. */
  readonly ack: Payload;
  /** For asynchronous commands (with `correlation_id`): the `command_finished` that follows. */
  readonly finished?: Promise<Payload>;
}

/** Counters of the notification channel. */
export interface NotificationStats {
  sent: number;
  redelivered: number;
  acknowledged: number;
  /** Acknowledged `{received: false}`: the client refused the payload. */
  refused: number;
}

/**
 * Epsilon3's realtime side, as the mock plays it: notifications kept until acknowledged and delivered again on
 * every (re)connection, in order (the server half of "no loss"); telemetry streams with the documented limits;
 * commands with synchronous and asynchronous acknowledgements; external-data searches. Keys are checked at
 * the handshake: a known, active, unexpired team key is required. Drive it from code (`mock.realtime`) or
 * from the admin endpoints under `/__keysmith/realtime/`.
 */
export class Epsilon3RealtimeMock {
  readonly #runtime: MockApiRuntime<Epsilon3State>;
  readonly #now: () => Date;
  readonly #validator = new RealtimeValidator(realtimeSpec);
  readonly #namespaces = new Map<Channel, Namespace>();
  /** Unacknowledged notifications, in the order they were raised. */
  readonly #outbox = new Map<string, Payload>();
  readonly #streams = new Map<string, MockTelemetryStream>();
  readonly #pendingCommands = new Map<string, { resolve(finished: Payload): void; cancel(): void }>();
  readonly #teamUpdates: number[] = [];
  #sequence = 0;
  readonly stats: NotificationStats = { sent: 0, redelivered: 0, acknowledged: 0, refused: 0 };
  readonly protocolErrors: RealtimeProtocolError[] = [];

  constructor(runtime: MockApiRuntime<Epsilon3State>, now: () => Date = () => new Date()) {
    this.#runtime = runtime;
    this.#now = now;
    runtime.events.add((event) => {
      if (event.topic === "notification") this.notify(event.payload);
    });
  }

  /** The Socket.IO namespaces, by channel name, as the AsyncAPI description lists them. */
  get namespaces(): Readonly<Record<Channel, string>> {
    return Object.fromEntries(
      Object.entries(realtimeSpec.channels).map(([name, channel]) => [name, channel.namespace]),
    ) as Record<Channel, string>;
  }

  /** Serves the four namespaces on a Socket.IO server. */
  attach(io: Server): void {
    for (const [name, channel] of Object.entries(realtimeSpec.channels) as [Channel, { namespace: string }][]) {
      const namespace = io.of(channel.namespace);
      namespace.use((socket, next) => next(this.#refusal(socket.handshake.auth as Payload | undefined)));
      namespace.on("connection", (socket) => this.#connected(name, socket));
      this.#namespaces.set(name, namespace);
    }
  }

  /**
   * Raises a notification (filled in: `id`, `timestamp`, `api_version`…), delivered to every connected
   * client and kept until one acknowledges it. Throws naming the field when it does not match the description.
   * @example mock.realtime.notify({ subtype: "at_mention", data: { message: "@ops look at step 3" } })
   */
  notify(input: Payload = {}): Payload {
    this.#sequence += 1;
    const notification: Payload = {
      id: `ntf_${String(this.#sequence).padStart(8, "0")}`,
      type: "run",
      subtype: "at_mention",
      timestamp: this.#now().toISOString(),
      api_version: 1,
      ...input,
      data: { message: `Notification ${this.#sequence}`, ...(input.data as Payload | undefined) },
    };
    this.#check("notifications", "notification", notification);
    this.#outbox.set(String(notification.id), notification);
    for (const socket of this.#sockets("notifications")) this.#deliver(socket, notification);
    return notification;
  }

  /** Notifications not yet acknowledged, oldest first. */
  pendingNotifications(): Payload[] {
    return [...this.#outbox.values()];
  }

  /**
   * Asks the connected telemetry client to stream (`start_stream`) and resolves with its acknowledgement.
   * @example await mock.realtime.startStream({ name: "battery_voltage", refresh_rate: 0.5 })
   */
  async startStream(input: Payload, options: { timeout?: number } = {}): Promise<Payload> {
    this.#sequence += 1;
    const start: Payload = {
      stream_id: `str_${this.#sequence}`,
      refresh_rate: 1,
      dictionary_id: 1,
      ...input,
    };
    this.#check("telemetry", "start_stream", start);
    const socket = this.#first("telemetry");
    const id = String(start.stream_id);
    this.#streams.set(id, { start, active: true, updates: [], dropped: { size: 0, rate: 0 }, sentAt: [] });
    try {
      return await this.#request(socket, "telemetry", "start_stream", start, options.timeout ?? 10_000);
    } catch (error) {
      this.#streams.delete(id);
      throw error;
    }
  }

  /** Ends streams: `end_streams` to every telemetry client; later updates for them are refused. */
  endStreams(streamIds: readonly string[]): void {
    for (const id of streamIds) {
      const stream = this.#streams.get(id);
      if (stream) stream.active = false;
    }
    this.#namespaces.get("telemetry")?.emit("end_streams", { stream_ids: [...streamIds] });
  }

  /** A stream and what arrived on it. */
  telemetry(streamId: string): MockTelemetryStream | undefined {
    return this.#streams.get(streamId);
  }

  /**
   * Sends `send_command` to the connected command client. With a `correlation_id`, `finished` resolves with
   * the `command_finished` that follows (or rejects after `finishTimeout`, 55 s by default).
   * @example const { ack } = await mock.realtime.sendCommand({ name: "set_mode", arguments: { mode: 1 } })
   */
  async sendCommand(
    input: Payload,
    options: { timeout?: number; finishTimeout?: number } = {},
  ): Promise<MockCommandResult> {
    const command: Payload = { dictionary_id: 1, ...input };
    this.#check("commands", "send_command", command);
    const socket = this.#first("commands");
    const correlationId = command.correlation_id;
    // expected before the command goes out: a client may finish it right behind its acknowledgement
    const finished = typeof correlationId === "string" ? this.#expectFinished(correlationId, options) : undefined;
    try {
      const ack = await this.#request(socket, "commands", "send_command", command, options.timeout ?? 55_000);
      if (!finished || ack.status !== "executing") {
        if (typeof correlationId === "string") this.#pendingCommands.get(correlationId)?.cancel();
        return { ack };
      }
      return { ack, finished };
    } catch (error) {
      if (typeof correlationId === "string") this.#pendingCommands.get(correlationId)?.cancel();
      throw error;
    }
  }

  #expectFinished(correlationId: string, options: { finishTimeout?: number }): Promise<Payload> {
    const limit = options.finishTimeout ?? 55_000;
    const finished = new Promise<Payload>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pendingCommands.delete(correlationId);
        reject(new Error(`no command_finished for ${correlationId} within ${limit} ms`));
      }, limit);
      const settle = () => {
        clearTimeout(timer);
        this.#pendingCommands.delete(correlationId);
      };
      this.#pendingCommands.set(correlationId, {
        resolve: (payload) => {
          settle();
          resolve(payload);
        },
        cancel: settle,
      });
    });
    finished.catch(() => {}); // rejections reach whoever awaits `finished`
    return finished;
  }

  /**
   * Asks the connected external-data client to `search`, and resolves with its answer (`{type, success, items}`).
   * @example const { items } = await mock.realtime.search({ type: "part", term: "valve" })
   */
  async search(input: Payload, options: { timeout?: number } = {}): Promise<Payload> {
    const request: Payload = { dictionary_id: 1, ...input };
    this.#check("externalData", "search", request);
    return this.#request(this.#first("externalData"), "externalData", "search", request, options.timeout ?? 10_000);
  }

  /**
   * Sends any payload, unchecked, to every client of a channel, for testing how clients treat invalid data;
   * resolves with their acknowledgements.
   */
  async emitRaw(
    channel: Channel,
    event: string,
    payload: unknown,
    options: { timeout?: number } = {},
  ): Promise<unknown[]> {
    const namespace = this.#namespace(channel);
    return namespace.timeout(options.timeout ?? 5_000).emitWithAck(event, payload);
  }

  /**
   * Drops the connections of a channel (all channels when omitted) as a network failure would: clients see a
   * transport close and reconnect. Returns how many sockets were dropped.
   */
  dropConnections(channel?: Channel): number {
    const sockets = channel
      ? this.#sockets(channel)
      : [...this.#namespaces.keys()].flatMap((name) => this.#sockets(name));
    for (const socket of sockets) socket.conn.close();
    return sockets.length;
  }

  /** Connected clients per channel. */
  connections(): Record<Channel, number> {
    return Object.fromEntries([...this.#namespaces.keys()].map((name) => [name, this.#sockets(name).length])) as Record<
      Channel,
      number
    >;
  }

  /** Forgets notifications, streams, pending commands, counters and protocol errors. */
  reset(): void {
    this.#outbox.clear();
    this.#streams.clear();
    this.#pendingCommands.clear();
    this.#teamUpdates.length = 0;
    this.protocolErrors.length = 0;
    Object.assign(this.stats, { sent: 0, redelivered: 0, acknowledged: 0, refused: 0 });
  }

  #refusal(auth: Payload | undefined): Error | undefined {
    const refuse = (code: string, message: string) => Object.assign(new Error(message), { data: { code, message } });
    const key = auth?.key;
    if (typeof key !== "string" || key.trim() === "")
      return refuse("not_authenticated", "Connect with auth: { key: <team API key> }");
    try {
      const record = this.#runtime.checkKey(key.trim(), this.#now());
      if (record.kind !== "team")
        return refuse(
          "team_key_required",
          "Realtime connections need a team (workspace) key; personal keys are refused",
        );
      return undefined;
    } catch (error) {
      if (error instanceof MockProblem) return refuse(error.details.code, error.details.message);
      throw error;
    }
  }

  #connected(channel: Channel, socket: Socket): void {
    const { events } = channelSpec(channel);
    socket.onAny((event: string, payload: unknown) => {
      const spec = events[event];
      if (spec?.direction !== "toServer") {
        this.#protocolError(channel, event, [`${event} is not an event clients send on this namespace`]);
        return;
      }
      const problems = this.#validator.problems(spec.payload, payload);
      if (problems.length > 0) return this.#protocolError(channel, event, problems);
      if (event === "data_update") this.#dataUpdate(payload as Payload);
      if (event === "command_finished") this.#commandFinished(payload as Payload);
    });
    if (channel === "notifications") {
      for (const notification of this.#outbox.values()) {
        this.stats.redelivered += 1;
        this.#deliver(socket, notification);
      }
    }
    if (channel === "telemetry") {
      // a reconnected provider is asked again for the streams still open
      for (const stream of this.#streams.values()) {
        if (stream.active) socket.emit("start_stream", stream.start, () => {});
      }
    }
  }

  #deliver(socket: Socket, notification: Payload): void {
    this.stats.sent += 1;
    socket.emit("notification", notification, (ack: unknown) => {
      const problems = this.#validator.problems(
        channelSpec("notifications").events.notification?.ack ?? { $ref: "" },
        ack,
      );
      if (problems.length > 0) return this.#protocolError("notifications", "notification (ack)", problems);
      // refused or received, the client has answered for it
      if (this.#outbox.delete(String(notification.id))) {
        if ((ack as Payload).received === true) this.stats.acknowledged += 1;
        else this.stats.refused += 1;
      }
    });
  }

  #dataUpdate(update: Payload): void {
    const now = Date.now();
    const stream = this.#streams.get(String(update.stream_id));
    if (!stream?.active) {
      this.#protocolError("telemetry", "data_update", [`stream_id: no open stream ${String(update.stream_id)}`]);
      return;
    }
    if (new TextEncoder().encode(JSON.stringify(update)).byteLength > LIMITS.maxBytes) {
      stream.dropped.size += 1;
      return;
    }
    const recent = (times: number[]) => {
      while (times.length > 0 && (times[0] ?? 0) <= now - 1000) times.shift();
      return times.length;
    };
    if (recent(stream.sentAt) >= LIMITS.perStreamPerSecond || recent(this.#teamUpdates) >= LIMITS.perTeamPerSecond) {
      stream.dropped.rate += 1;
      return;
    }
    stream.sentAt.push(now);
    this.#teamUpdates.push(now);
    stream.updates.push(update.data as Payload);
    if (stream.updates.length > KEPT_UPDATES) stream.updates.shift();
  }

  #commandFinished(finished: Payload): void {
    const id = String(finished.correlation_id);
    const pending = this.#pendingCommands.get(id);
    if (!pending) {
      this.#protocolError("commands", "command_finished", [`correlation_id: no command is executing as ${id}`]);
      return;
    }
    pending.resolve(finished);
  }

  async #request(socket: Socket, channel: Channel, event: string, payload: Payload, timeout: number): Promise<Payload> {
    const ack: unknown = await socket.timeout(timeout).emitWithAck(event, payload);
    const spec = channelSpec(channel).events[event];
    const problems = spec?.ack ? this.#validator.problems(spec.ack, ack) : [];
    if (problems.length > 0) {
      this.#protocolError(channel, `${event} (ack)`, problems);
      throw new Error(`${event}: the client's acknowledgement is invalid: ${problems.join("; ")}`);
    }
    return ack as Payload;
  }

  #check(channel: Channel, event: string, payload: Payload): void {
    const spec = channelSpec(channel).events[event];
    const problems = spec ? this.#validator.problems(spec.payload, payload) : [`no event ${event}`];
    if (problems.length > 0) throw new TypeError(`${event}: ${problems.join("; ")}`);
  }

  #first(channel: Channel): Socket {
    const [socket] = this.#sockets(channel);
    if (!socket) throw new Error(`no client is connected to ${channelSpec(channel).namespace}`);
    return socket;
  }

  #namespace(channel: Channel): Namespace {
    const namespace = this.#namespaces.get(channel);
    if (!namespace) throw new Error("the realtime mock is not attached to a server: start one with startMockServer()");
    return namespace;
  }

  #sockets(channel: Channel): Socket[] {
    const namespace = this.#namespaces.get(channel);
    return namespace ? [...namespace.sockets.values()] : [];
  }

  #protocolError(channel: Channel, event: string, problems: readonly string[]): void {
    this.protocolErrors.push({
      at: this.#now().toISOString(),
      namespace: channelSpec(channel).namespace,
      event,
      problems,
    });
  }
}
