import type { Namespace, Server, Socket } from "socket.io";
import type { MockRealtimeEventSpec, MockRealtimeSpec } from "../core/mock-api-spec.js";
import { RealtimeValidator } from "../core/realtime-validator.js";
import { handshakeRefusal, type RealtimeAuth, type RealtimeKeys } from "./realtime-auth.js";
import { SchemaSampler } from "./sample.js";
import type { Schema } from "./schema-walk.js";

export type { RealtimeAuth, RealtimeKeys, RealtimeRefusal } from "./realtime-auth.js";

/** One event a client sent, as the mock received it. */
export interface ReceivedEvent {
  readonly at: string;
  readonly channel: string;
  readonly event: string;
  readonly payload: unknown;
  /** What the description's schema finds wrong with the payload; empty when it is valid. */
  readonly problems: readonly string[];
}

/** Something a client sent (an event, or an acknowledgement) that the description does not allow. */
export interface RealtimeProtocolError {
  readonly at: string;
  readonly namespace: string;
  readonly event: string;
  readonly problems: readonly string[];
}

/** Deliveries of a server event the description redelivers until acknowledged (`x-keysmith-dedupe-key`). */
export interface RealtimeDeliveries {
  /** Sent to a client, redeliveries included. */
  sent: number;
  /** Sent again to a client that (re)connected while it was unacknowledged. */
  redelivered: number;
  /** Acknowledged (validly) by a client: no longer redelivered. */
  settled: number;
}

export interface RealtimeMockOptions {
  readonly auth?: RealtimeAuth;
  /** How many received events `received` keeps, the oldest dropped first (default 1,000). */
  readonly keepReceived?: number;
}

/** A client event's acknowledgement, scripted: made from the payload (awaited when a promise). */
export type RealtimeReply = (payload: unknown) => unknown;

type Listener = (payload: unknown, socket: Socket) => void;

/**
 * What the mock keeps for one event of one channel, made once per event the description names, so that a delivery
 * and its acknowledgement find theirs without building a key: listeners to valid client events (kept across
 * resets), the scripted acknowledgement, unacknowledged deliveries by their dedupe key (oldest first) and their
 * counters.
 */
interface EventSlot {
  readonly listeners: Set<Listener>;
  reply: RealtimeReply | undefined;
  readonly outbox: Map<string, unknown>;
  /** Replaced, not zeroed, by a reset: whoever read the old counters keeps what they said. */
  counters: RealtimeDeliveries;
}

/**
 * The Socket.IO side of an API from its AsyncAPI 3 channels alone: one namespace per channel; a client must show
 * one of the API's keys at the handshake (`auth: { token }`, an `Authorization` header, or the one field the
 * description names); every event a client sends is checked against its payload schema, kept (`received`;
 * invalid ones also in `protocolErrors`), handed to the listeners (`on`) and answered, where the client asks for
 * an acknowledgement, with a scripted one (`answer`), else one generated from the description's
 * (`x-keysmith-ack`), or `{ error }` for an invalid payload. Server events go out checked: to every client
 * (`emit`; kept and redelivered on each (re)connection until acknowledged when the message has
 * `x-keysmith-dedupe-key`), or to one client awaiting its acknowledgement (`request`); acknowledgements are
 * checked too. API-specific behaviour extends this class (see `Epsilon3RealtimeMock`).
 */
export class GenericRealtimeMock<C extends string = string> {
  readonly name: string;
  readonly spec: MockRealtimeSpec;
  readonly received: ReceivedEvent[] = [];
  readonly protocolErrors: RealtimeProtocolError[] = [];
  protected readonly now: () => Date;
  readonly #keys: RealtimeKeys;
  readonly #auth: RealtimeAuth;
  readonly #keep: number;
  readonly #validator: RealtimeValidator;
  readonly #sampler: SchemaSampler;
  readonly #namespaces = new Map<C, Namespace>();
  /** By channel, then event: one slot per event of the description. */
  readonly #slots = new Map<string, Map<string, EventSlot>>();

  constructor(
    name: string,
    spec: MockRealtimeSpec,
    keys: RealtimeKeys,
    now: () => Date = () => new Date(),
    options: RealtimeMockOptions = {},
  ) {
    this.name = name;
    this.spec = spec;
    this.#keys = keys;
    this.now = now;
    // the description names the handshake field a key travels in (`x-keysmith-socketio-auth`), unless the API says
    this.#auth = { ...(spec.auth ? { field: spec.auth.field } : {}), ...options.auth };
    this.#keep = options.keepReceived ?? 1000;
    this.#validator = new RealtimeValidator(spec);
    for (const [channel, { events }] of Object.entries(spec.channels)) {
      const slots = new Map<string, EventSlot>();
      for (const event of Object.keys(events)) {
        slots.set(event, { listeners: new Set(), reply: undefined, outbox: new Map(), counters: zeroCounters() });
      }
      this.#slots.set(channel, slots);
    }
    // acknowledgements are generated from the spec's schemas, and must pass the same checks clients' events do
    this.#sampler = new SchemaSampler(spec.schemas, 1, (schema, value) => this.#problems(schema, value).length === 0);
  }

  /** The Socket.IO namespace of each channel, as the description gives it. */
  get namespaces(): Readonly<Record<C, string>> {
    return Object.fromEntries(
      Object.entries(this.spec.channels).map(([channel, { namespace }]) => [channel, namespace]),
    ) as Record<C, string>;
  }

  /** Serves every channel's namespace on `io`, the key checked at each (re)connection. */
  attach(io: Server): void {
    for (const channel of Object.keys(this.spec.channels) as C[]) {
      const space = io.of(this.namespaces[channel]);
      space.use((socket, next) => next(handshakeRefusal(socket.handshake, this.#keys, this.#auth, this.now())));
      space.on("connection", (socket) => this.#serve(channel, socket));
      this.#namespaces.set(channel, space);
    }
  }

  /** Calls `listener` with every valid `event` a client sends on `channel`, until the returned function is called. */
  on(channel: C, event: string, listener: Listener): () => void {
    this.#clientEvent(channel, event);
    const { listeners } = this.#slot(channel, event);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /**
   * Scripts the acknowledgement of a client event (instead of one generated from the description), until
   * `reset()` or the returned function is called: a fixed `{ ack }` (checked against the acknowledgement's schema
   * at once: a TypeError names its problems), or a function of the payload (what it gives is checked when the
   * event arrives; one that does not match reaches the client as `{ error: { code: "mock_failure" } }`).
   * @example realtime.answer("alerts", "subscribe", (payload) => ({ subscribed: true, since: new Date().toISOString() }))
   */
  answer(channel: C, event: string, reply: RealtimeReply | { readonly ack: unknown }): () => void {
    const spec = this.#clientEvent(channel, event);
    let script: RealtimeReply;
    if (typeof reply === "function") script = reply;
    else {
      const problems = spec.ack ? this.#validator.problems(spec.ack, reply.ack) : [];
      if (problems.length > 0) throw new TypeError(`ack: ${problems.join("; ")}`);
      const ack = structuredClone(reply.ack);
      script = () => structuredClone(ack);
    }
    const slot = this.#slot(channel, event);
    slot.reply = script;
    return () => {
      if (slot.reply === script) slot.reply = undefined;
    };
  }

  /** Forgets every scripted acknowledgement; returns how many there were. */
  forgetAnswers(): number {
    let count = 0;
    for (const slot of this.#allSlots()) {
      if (slot.reply) count += 1;
      slot.reply = undefined;
    }
    return count;
  }

  /**
   * Checks a server event against the description: a TypeError names an event the channel does not send, or
   * the payload's problems.
   */
  check(channel: C, event: string, payload: unknown): MockRealtimeEventSpec {
    const spec = this.spec.channels[channel]?.events[event];
    if (spec?.direction !== "toClient") {
      throw new TypeError(`${this.name}: channel "${channel}" sends no event "${event}"`);
    }
    const problems = this.#validator.problems(spec.payload, payload);
    if (problems.length > 0) throw new TypeError(`${this.name} ${channel}/${event}: ${problems.join("; ")}`);
    return spec;
  }

  /**
   * Sends a server event to every client of its channel, after checking it (see `check`), and returns the number
   * of clients it went to. Where the description has clients acknowledge it, their acknowledgements are checked;
   * where it names a dedupe key, it is also kept until one client acknowledges it, and sent again to every
   * client that (re)connects meanwhile.
   */
  emit(channel: C, event: string, payload: unknown): number {
    const spec = this.check(channel, event, payload);
    const key = spec.dedupeBy ? dedupeKey(spec, payload) : undefined;
    if (key !== undefined) this.#slot(channel, event).outbox.set(key, payload);
    let sent = 0;
    // the namespace's own map, not a copy: this runs once per event of a burst
    for (const socket of this.#namespaces.get(channel)?.sockets.values() ?? []) {
      this.#deliver(socket, channel, event, spec, payload, key, false);
      sent += 1;
    }
    return sent;
  }

  /** Sends a server event to one client, checked, its acknowledgement checked (reconnection replays). */
  send(socket: Socket, channel: C, event: string, payload: unknown): void {
    const spec = this.check(channel, event, payload);
    this.#deliver(socket, channel, event, spec, payload, spec.dedupeBy ? dedupeKey(spec, payload) : undefined, false);
  }

  /**
   * Sends a server event (checked) to the first connected client of its channel and resolves with its
   * acknowledgement, checked against the description; rejects when no client is connected, none answers in
   * `timeout` ms (10 s by default), or the acknowledgement is invalid (then also kept in `protocolErrors`).
   */
  async request(channel: C, event: string, payload: unknown, options: { timeout?: number } = {}): Promise<unknown> {
    const spec = this.check(channel, event, payload);
    const ack: unknown = await this.client(channel)
      .timeout(options.timeout ?? 10_000)
      .emitWithAck(event, payload);
    const problems = spec.ack ? this.#validator.problems(spec.ack, ack) : [];
    if (problems.length > 0) {
      this.protocolError(channel, `${event} (ack)`, problems);
      throw new Error(`${event}: the client's acknowledgement is invalid: ${problems.join("; ")}`);
    }
    return ack;
  }

  /**
   * Sends any payload, unchecked, to every client of a channel, for testing how clients treat invalid data;
   * resolves with their acknowledgements.
   */
  async emitRaw(channel: C, event: string, payload: unknown, options: { timeout?: number } = {}): Promise<unknown[]> {
    const space = this.#namespaces.get(channel);
    if (!space) throw new Error("the realtime mock is not attached to a server: start one with startMockServer()");
    return space.timeout(options.timeout ?? 5_000).emitWithAck(event, payload);
  }

  /** Server events kept until acknowledged (`x-keysmith-dedupe-key`), oldest first. */
  pending(channel: C, event: string): unknown[] {
    return [...(this.#slots.get(channel)?.get(event)?.outbox.values() ?? [])];
  }

  /** The delivery counters of a server event kept until acknowledged. */
  deliveries(channel: C, event: string): Readonly<RealtimeDeliveries> {
    return this.#slots.get(channel)?.get(event)?.counters ?? zeroCounters();
  }

  /** The first connected client of a channel; throws when there is none. */
  client(channel: C): Socket {
    const [socket] = this.sockets(channel);
    if (!socket) throw new Error(`no client is connected to ${this.spec.channels[channel]?.namespace ?? channel}`);
    return socket;
  }

  /** The connected clients of a channel. */
  sockets(channel: C): Socket[] {
    const space = this.#namespaces.get(channel);
    return space ? [...space.sockets.values()] : [];
  }

  /** Connected clients per channel. */
  connections(): Record<C, number> {
    return Object.fromEntries(
      [...this.#namespaces.keys()].map((channel) => [channel, this.sockets(channel).length]),
    ) as Record<C, number>;
  }

  /**
   * Drops the connections of a channel (all channels when omitted) as a network failure would: clients see a
   * transport close and reconnect. Returns how many sockets were dropped.
   */
  dropConnections(channel?: C): number {
    const sockets = channel ? this.sockets(channel) : [...this.#namespaces.keys()].flatMap((c) => this.sockets(c));
    for (const socket of sockets) socket.conn.close();
    return sockets.length;
  }

  /** Forgets what clients sent, protocol errors, unacknowledged deliveries and their counters, scripted answers. */
  reset(): void {
    this.received.length = 0;
    this.protocolErrors.length = 0;
    for (const slot of this.#allSlots()) {
      slot.outbox.clear();
      slot.counters = zeroCounters();
    }
    this.forgetAnswers();
  }

  /** Keeps something a client did that the description (or the API's behaviour) does not allow. */
  protected protocolError(channel: C, event: string, problems: readonly string[]): void {
    const namespace = this.spec.channels[channel]?.namespace ?? channel;
    this.protocolErrors.push({ at: this.now().toISOString(), namespace, event, problems });
  }

  /** Called when a client has connected to a channel, after unacknowledged events were sent to it again. */
  protected connected(_channel: C, _socket: Socket): void {}

  /** Called when a client has acknowledged, validly, an event kept until acknowledged. */
  protected settled(_channel: C, _event: string, _payload: unknown, _ack: unknown): void {}

  #serve(channel: C, socket: Socket): void {
    const events: Readonly<Record<string, MockRealtimeEventSpec>> = this.spec.channels[channel]?.events ?? {};
    // one listener per event the channel names (their acknowledgement callbacks come last); events it does
    // not name are recorded as problems
    for (const [event, spec] of Object.entries(events)) {
      socket.on(event, (...args: unknown[]) => this.#receive(channel, event, spec, socket, args));
    }
    socket.onAny((event: string, ...args: unknown[]) => {
      if (!Object.hasOwn(events, event)) this.#receive(channel, event, undefined, socket, args);
    });
    for (const [event, spec] of Object.entries(events)) {
      if (!spec.dedupeBy) continue;
      for (const [key, payload] of this.#slot(channel, event).outbox) {
        this.#deliver(socket, channel, event, spec, payload, key, true);
      }
    }
    this.connected(channel, socket);
  }

  #receive(channel: C, event: string, spec: MockRealtimeEventSpec | undefined, socket: Socket, args: unknown[]): void {
    const ack = typeof args.at(-1) === "function" ? (args.pop() as (answer: unknown) => void) : undefined;
    const payload = args[0];
    const problems =
      spec?.direction === "toServer"
        ? this.#validator.problems(spec.payload, payload)
        : [`"${event}" is not an event clients send on ${channel}`];
    this.received.push({ at: this.now().toISOString(), channel, event, payload, problems });
    if (this.received.length > this.#keep) this.received.splice(0, this.received.length - this.#keep);
    if (problems.length > 0) {
      this.protocolError(channel, event, problems);
      ack?.({ error: { code: "invalid", message: problems.join("; ") } });
      return;
    }
    const slot = this.#slots.get(channel)?.get(event);
    for (const listener of slot?.listeners ?? []) {
      try {
        listener(payload, socket);
      } catch (error) {
        this.protocolError(channel, event, [`the mock's listener failed: ${messageOf(error)}`]);
      }
    }
    if (!ack) return;
    const reply = slot?.reply;
    if (reply) {
      void this.#scripted(reply, spec, payload).then(ack);
      return;
    }
    try {
      ack(spec?.ack ? this.#sampler.sample(spec.ack as Schema, `${channel}:${event}`) : null);
    } catch (error) {
      // never leave a client waiting on an acknowledgement
      ack({ error: { code: "mock_failure", message: messageOf(error) } });
    }
  }

  async #scripted(reply: RealtimeReply, spec: MockRealtimeEventSpec | undefined, payload: unknown): Promise<unknown> {
    try {
      const answer = await reply(payload);
      const problems = spec?.ack ? this.#validator.problems(spec.ack, answer) : [];
      if (problems.length > 0) throw new TypeError(`the scripted acknowledgement is invalid: ${problems.join("; ")}`);
      return answer;
    } catch (error) {
      return { error: { code: "mock_failure", message: messageOf(error) } };
    }
  }

  /**
   * Sends one delivery. `key` is the payload's dedupe key where the description names one (the delivery is then
   * counted, and settled by the first valid acknowledgement).
   */
  #deliver(
    socket: Socket,
    channel: C,
    event: string,
    spec: MockRealtimeEventSpec,
    payload: unknown,
    key: string | undefined,
    redelivery: boolean,
  ): void {
    if (!spec.ack && key === undefined) {
      socket.emit(event, payload);
      return;
    }
    const slot = this.#slot(channel, event);
    if (key !== undefined) {
      slot.counters.sent += 1;
      if (redelivery) slot.counters.redelivered += 1;
    }
    socket.emit(event, payload, (ack: unknown) => {
      const problems = spec.ack ? this.#validator.problems(spec.ack, ack) : [];
      if (problems.length > 0) return this.protocolError(channel, `${event} (ack)`, problems);
      // whatever its answer, the client has answered for it: the first answer settles it
      if (key === undefined || !slot.outbox.delete(key)) return;
      slot.counters.settled += 1;
      this.settled(channel, event, payload, ack);
    });
  }

  /** The slot of an event the description names (callers have checked it). */
  #slot(channel: C, event: string): EventSlot {
    const slot = this.#slots.get(channel)?.get(event);
    if (!slot) throw new TypeError(`${this.name}: channel "${channel}" has no event "${event}"`);
    return slot;
  }

  *#allSlots(): Iterable<EventSlot> {
    for (const slots of this.#slots.values()) yield* slots.values();
  }

  /** The spec of a client event; throws unless the channel has `event` as one. */
  #clientEvent(channel: C, event: string): MockRealtimeEventSpec {
    const spec = this.spec.channels[channel]?.events[event];
    if (spec?.direction !== "toServer") {
      throw new TypeError(`${this.name}: clients send no event "${event}" on channel "${channel}"`);
    }
    return spec;
  }

  #problems(schema: Schema, value: unknown): string[] {
    const ref = typeof schema.$ref === "string" ? { $ref: schema.$ref } : undefined;
    return ref ? this.#validator.problems(ref, value) : [];
  }
}

function zeroCounters(): RealtimeDeliveries {
  return { sent: 0, redelivered: 0, settled: 0 };
}

/** The dedupe key of a payload (already checked against its schema, so its field is there). */
function dedupeKey(spec: MockRealtimeEventSpec, payload: unknown): string {
  const value =
    typeof payload === "object" && payload !== null && spec.dedupeBy ? Reflect.get(payload, spec.dedupeBy) : payload;
  // `String`: JSON.stringify gives undefined for a field the schema left optional and the payload left out
  return typeof value === "string" ? value : String(JSON.stringify(value));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
