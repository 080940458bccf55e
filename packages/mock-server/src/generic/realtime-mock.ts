import type { Namespace, Server, Socket } from "socket.io";
import type { MockRealtimeEventSpec, MockRealtimeSpec } from "../core/mock-api-spec.js";
import { RealtimeValidator } from "../core/realtime-validator.js";
import { SchemaSampler } from "./sample.js";
import type { Schema } from "./schema-walk.js";

/** One event a client sent, as the mock received it. */
export interface ReceivedEvent {
  readonly at: string;
  readonly channel: string;
  readonly event: string;
  readonly payload: unknown;
  /** What the description's schema finds wrong with the payload; empty when it is valid. */
  readonly problems: readonly string[];
}

/**
 * The Socket.IO side of a description, from its AsyncAPI 3 channels alone: one namespace per channel; a client
 * must show one of the mock's keys at the handshake (`auth: { token }`, or an `Authorization` header with or
 * without a scheme word); every event a client sends is checked against its payload schema and kept
 * (`received`), and answered, where the description gives it an acknowledgement, with one generated from the
 * acknowledgement's schema (or `{ error }` for an invalid payload). Events the server sends go out through
 * `emit`, checked against their schema first.
 */
export class GenericRealtimeMock {
  readonly name: string;
  readonly spec: MockRealtimeSpec;
  readonly received: ReceivedEvent[] = [];
  readonly #keys: readonly string[];
  readonly #now: () => Date;
  readonly #validator: RealtimeValidator;
  readonly #sampler: SchemaSampler;
  readonly #namespaces = new Map<string, Namespace>();

  constructor(name: string, spec: MockRealtimeSpec, keys: readonly string[], now: () => Date = () => new Date()) {
    this.name = name;
    this.spec = spec;
    this.#keys = keys;
    this.#now = now;
    this.#validator = new RealtimeValidator(spec);
    // acknowledgements are generated from the spec's schemas, and must pass the same checks clients' events do
    this.#sampler = new SchemaSampler(spec.schemas, 1, (schema, value) => this.#problems(schema, value).length === 0);
  }

  /** Serves every channel's namespace on `io`. */
  attach(io: Server): void {
    for (const [channel, { namespace, events }] of Object.entries(this.spec.channels)) {
      const space = io.of(namespace);
      space.use((socket, next) => {
        const token = credentialOf(socket);
        if (token !== undefined && this.#keys.includes(token)) next();
        else
          next(
            Object.assign(new Error("unauthorized: show one of the mock's keys as auth.token"), {
              data: { status: 401 },
            }),
          );
      });
      space.on("connection", (socket) => this.#serve(channel, events, socket));
      this.#namespaces.set(channel, space);
    }
  }

  /**
   * Sends a server event to every client of its channel, after checking it against the description. Resolves
   * with the number of clients it went to; throws a TypeError naming the problems of an invalid payload, or an
   * event the channel does not send.
   */
  emit(channel: string, event: string, payload: unknown): number {
    const spec = this.spec.channels[channel]?.events[event];
    if (spec?.direction !== "toClient") {
      throw new TypeError(`${this.name}: channel "${channel}" sends no event "${event}"`);
    }
    const problems = this.#validator.problems(spec.payload, payload);
    if (problems.length > 0) throw new TypeError(`${this.name} ${channel}/${event}: ${problems.join("; ")}`);
    const space = this.#namespaces.get(channel);
    if (!space) return 0;
    space.emit(event, payload);
    return space.sockets.size;
  }

  /** Forgets what clients sent. */
  reset(): void {
    this.received.length = 0;
  }

  #serve(channel: string, events: Readonly<Record<string, MockRealtimeEventSpec>>, socket: Socket): void {
    // one listener per event the channel names (Socket.IO hands acknowledgement callbacks to these, not to
    // catch-all listeners); events it does not name are recorded as problems
    for (const [event, spec] of Object.entries(events)) {
      socket.on(event, (...args: unknown[]) => this.#receive(channel, event, spec, args));
    }
    socket.onAny((event: string, ...args: unknown[]) => {
      if (!(event in events)) this.#receive(channel, event, undefined, args);
    });
  }

  #receive(channel: string, event: string, spec: MockRealtimeEventSpec | undefined, args: unknown[]): void {
    const ack = typeof args.at(-1) === "function" ? (args.pop() as (answer: unknown) => void) : undefined;
    const payload = args[0];
    const problems =
      spec && spec.direction === "toServer"
        ? this.#validator.problems(spec.payload, payload)
        : [`"${event}" is not an event clients send on ${channel}`];
    this.received.push({ at: this.#now().toISOString(), channel, event, payload, problems });
    if (!ack) return;
    if (problems.length > 0) {
      ack({ error: { code: "invalid", message: problems.join("; ") } });
      return;
    }
    try {
      ack(spec?.ack ? this.#sampler.sample(spec.ack as Schema, `${channel}:${event}`) : null);
    } catch (error) {
      // never leave a client waiting on an acknowledgement
      ack({ error: { code: "mock_failure", message: error instanceof Error ? error.message : String(error) } });
    }
  }

  #problems(schema: Schema, value: unknown): string[] {
    const ref = typeof schema.$ref === "string" ? { $ref: schema.$ref } : undefined;
    return ref ? this.#validator.problems(ref, value) : [];
  }
}

/** The key a client shows: `auth.token` (or `auth.key`), else the `Authorization` header's last word. */
function credentialOf(socket: Socket): string | undefined {
  const auth = socket.handshake.auth as Record<string, unknown> | undefined;
  const given = auth?.token ?? auth?.key;
  if (typeof given === "string" && given !== "") return given;
  const header = socket.handshake.headers.authorization;
  return typeof header === "string" ? header.trim().split(/\s+/).at(-1) : undefined;
}
