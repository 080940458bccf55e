import type * as z from "zod/mini";
import { type Acknowledge, DeliveryBuffer } from "./delivery-buffer.js";
import { type NamespaceSocket, openNamespace } from "./namespace-socket.js";
import { checkPayload } from "./payload-check.js";
import type { RealtimeContext } from "./realtime-options.js";

/** A server-to-client event as the generated table describes it. */
export interface StreamedEvent<S extends z.ZodMiniType> {
  readonly payload: S;
  /** The payload field that identifies a delivery (`x-keysmith-dedupe-key`). */
  readonly dedupeBy?: string;
}

export interface EventStreamSpec<S extends z.ZodMiniType> {
  readonly namespace: string;
  readonly event: string;
  readonly definition: StreamedEvent<S>;
  /** The acknowledgement sent once the consumer has taken a payload. */
  readonly takenAck: unknown;
  /** The acknowledgement sent for a payload that failed validation (it never reaches the consumer). */
  readonly refusedAck: unknown;
}

/** A stream of one event's validated payloads, with the socket behind it. */
export interface EventStream<T> extends AsyncIterable<T> {
  readonly connection: NamespaceSocket;
}

/**
 * Subscribes to one event of a namespace: validates each payload, drops repeats by the spec's dedupe key,
 * queues up to `bufferSize` for the consumer and acknowledges each only as the consumer takes it. Iterating
 * ends when the stream is closed, and throws `RealtimeConnectionError` if the server refuses the key.
 */
export function eventStream<S extends z.ZodMiniType>(
  context: RealtimeContext,
  spec: EventStreamSpec<S>,
): EventStream<z.infer<S>> {
  const { namespace, event, definition } = spec;
  const { RealtimeLimitError, RealtimeValidationError } = context.errors;
  const connection = openNamespace(context, namespace);
  const buffer = new DeliveryBuffer<z.infer<S>>(context.bufferSize, spec.takenAck, (left) => {
    context.report(
      new RealtimeLimitError(
        namespace,
        event,
        "buffer",
        `the consumer fell ${left} deliveries behind a full buffer of ${context.bufferSize}; they were left unacknowledged and are fetched again by reconnecting`,
      ),
    );
    connection.reconnect();
  });
  void connection.stopped.then((error) => (error ? buffer.fail(error) : buffer.close()));
  const noAck: Acknowledge = () => {};
  connection.socket.on(event, (payload: unknown, ack?: unknown) => {
    const reply = typeof ack === "function" ? (ack as Acknowledge) : noAck;
    const checked = checkPayload(definition.payload, payload);
    if (!checked.ok) {
      context.report(new RealtimeValidationError(namespace, event, "received", checked.issues));
      reply(spec.refusedAck);
      return;
    }
    const key = definition.dedupeBy ? (checked.value as Record<string, unknown>)[definition.dedupeBy] : undefined;
    buffer.offer(typeof key === "string" ? key : undefined, checked.value, reply);
  });

  const iterator: AsyncIterableIterator<z.infer<S>, undefined> = {
    next: () => buffer.next(),
    // `break` in a for-await loop, or an early return: disconnect
    return: async () => {
      connection.close();
      buffer.close();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return { connection, [Symbol.asyncIterator]: () => iterator };
}
