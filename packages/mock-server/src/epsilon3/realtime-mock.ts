import type { Socket } from "socket.io";
import type { MockApiRuntime } from "../core/api-runtime.js";
import { realtimeSpec } from "../generated/epsilon3/realtime.js";
import { GenericRealtimeMock } from "../generic/realtime-mock.js";
import type { Epsilon3State } from "./state.js";

export type { RealtimeProtocolError } from "../generic/realtime-mock.js";

type Payload = Record<string, unknown>;
/** The channels of the AsyncAPI description, one per namespace. */
export const realtimeChannelNames = ["notifications", "telemetry", "commands", "externalData"] as const;
export type RealtimeChannel = (typeof realtimeChannelNames)[number];

/** Epsilon3's documented limits on `data_update`; the mock drops the excess silently, as Epsilon3 does. */
const LIMITS = { maxBytes: 100 * 1024, perStreamPerSecond: 4, perTeamPerSecond: 1000 };
const KEPT_UPDATES = 1000;

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
 * Epsilon3's realtime side: the AsyncAPI description served by the generic core (namespaces, the key at the
 * handshake, every payload and acknowledgement checked, notifications kept until acknowledged and redelivered on
 * every (re)connection, `emit`/`request` scripting, the admin endpoints), plus what the description cannot say:
 * REST actions raise notifications (filled in), only team keys connect, telemetry streams stay open across
 * reconnections until ended and obey the documented limits, asynchronous commands finish with
 * `command_finished`. Drive it from code (`mock.realtime`) or from the admin endpoints under
 * `/__keysmith/realtime/`.
 */
export class Epsilon3RealtimeMock extends GenericRealtimeMock<RealtimeChannel> {
  readonly #streams = new Map<string, MockTelemetryStream>();
  readonly #pendingCommands = new Map<string, { resolve(finished: Payload): void; cancel(): void }>();
  readonly #teamUpdates: number[] = [];
  #sequence = 0;
  #acknowledged = 0;
  /** The notification channel's counters, kept current (the core counts deliveries; this, what answers meant). */
  readonly stats: NotificationStats = (() => {
    const counters = () => this.deliveries("notifications", "notification");
    const acknowledged = () => this.#acknowledged;
    return {
      get sent() {
        return counters().sent;
      },
      get redelivered() {
        return counters().redelivered;
      },
      get acknowledged() {
        return acknowledged();
      },
      get refused() {
        return counters().settled - acknowledged();
      },
    };
  })();

  constructor(runtime: MockApiRuntime<Epsilon3State>, now: () => Date = () => new Date()) {
    super("epsilon3", realtimeSpec, runtime, now, {
      auth: {
        admit: (key) =>
          key.kind === "team"
            ? undefined
            : {
                code: "team_key_required",
                message: "Realtime connections need a team (workspace) key; personal keys are refused",
              },
      },
    });
    runtime.events.add((event) => {
      if (event.topic === "notification") this.notify(event.payload);
    });
    this.on("telemetry", "data_update", (update) => this.#dataUpdate(update as Payload));
    this.on("commands", "command_finished", (finished) => this.#commandFinished(finished as Payload));
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
      timestamp: this.now().toISOString(),
      api_version: 1,
      ...input,
      data: { message: `Notification ${this.#sequence}`, ...(input.data as Payload | undefined) },
    };
    this.emit("notifications", "notification", notification);
    return notification;
  }

  /** Notifications not yet acknowledged, oldest first. */
  pendingNotifications(): Payload[] {
    return this.pending("notifications", "notification") as Payload[];
  }

  /**
   * Asks the connected telemetry client to stream (`start_stream`) and resolves with its acknowledgement.
   * @example await mock.realtime.startStream({ name: "battery_voltage", refresh_rate: 0.5 })
   */
  async startStream(input: Payload, options: { timeout?: number } = {}): Promise<Payload> {
    this.#sequence += 1;
    const start: Payload = { stream_id: `str_${this.#sequence}`, refresh_rate: 1, dictionary_id: 1, ...input };
    // checked, and a client there, before the stream is kept
    this.check("telemetry", "start_stream", start);
    this.client("telemetry");
    const id = String(start.stream_id);
    this.#streams.set(id, { start, active: true, updates: [], dropped: { size: 0, rate: 0 }, sentAt: [] });
    try {
      return (await this.request("telemetry", "start_stream", start, options)) as Payload;
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
    this.emit("telemetry", "end_streams", { stream_ids: [...streamIds] });
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
    this.check("commands", "send_command", command);
    this.client("commands");
    const correlationId = typeof command.correlation_id === "string" ? command.correlation_id : undefined;
    // expected before the command goes out: a client may finish it right behind its acknowledgement
    const finished = correlationId ? this.#expectFinished(correlationId, options) : undefined;
    try {
      const timeout = options.timeout ?? 55_000;
      const ack = (await this.request("commands", "send_command", command, { timeout })) as Payload;
      if (finished && ack.status === "executing") return { ack, finished };
      if (correlationId) this.#pendingCommands.get(correlationId)?.cancel();
      return { ack };
    } catch (error) {
      if (correlationId) this.#pendingCommands.get(correlationId)?.cancel();
      throw error;
    }
  }

  /**
   * Asks the connected external-data client to `search`, and resolves with its answer (`{type, success, items}`).
   * @example const { items } = await mock.realtime.search({ type: "part", term: "valve" })
   */
  async search(input: Payload, options: { timeout?: number } = {}): Promise<Payload> {
    const request: Payload = { dictionary_id: 1, ...input };
    return (await this.request("externalData", "search", request, options)) as Payload;
  }

  /** Forgets notifications, streams, pending commands, counters, protocol errors and what clients sent. */
  override reset(): void {
    super.reset();
    this.#streams.clear();
    this.#pendingCommands.clear();
    this.#teamUpdates.length = 0;
    this.#acknowledged = 0;
  }

  /** A reconnected telemetry provider is asked again for the streams still open. */
  protected override connected(channel: RealtimeChannel, socket: Socket): void {
    if (channel !== "telemetry") return;
    for (const stream of this.#streams.values()) {
      if (stream.active) this.send(socket, "telemetry", "start_stream", stream.start);
    }
  }

  /** `{received: true}` acknowledges a notification; `{received: false}` refuses it (either settles it). */
  protected override settled(_channel: RealtimeChannel, event: string, _payload: unknown, ack: unknown): void {
    if (event === "notification" && (ack as Payload).received === true) this.#acknowledged += 1;
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

  #dataUpdate(update: Payload): void {
    const now = Date.now();
    const stream = this.#streams.get(String(update.stream_id));
    if (!stream?.active) {
      this.protocolError("telemetry", "data_update", [`stream_id: no open stream ${String(update.stream_id)}`]);
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
      this.protocolError("commands", "command_finished", [`correlation_id: no command is executing as ${id}`]);
      return;
    }
    pending.resolve(finished);
  }
}
