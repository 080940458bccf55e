import type { GenericRealtimeMock } from "./realtime-mock.js";

/** An admin action's answer: status and JSON body. */
export interface AdminAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The admin endpoints every realtime mock has (the API's own come first, see `realtimeAdmin`); `action` is the
 * path after the API's realtime prefix. Undefined for an action it does not know.
 *
 * - `POST emit`: `{"channel", "event", "payload"}` sends a server event (checked) to every client
 * - `POST request`: `{"channel", "event", "payload", "timeout"?}` sends it to the first client; answers its
 *   acknowledgement (checked)
 * - `POST acks`: `{"channel", "event", "ack"}` scripts the acknowledgement of a client event (until a reset);
 *   `DELETE acks` forgets the scripted ones
 * - `GET received`: what clients sent, with each payload's problems
 * - `GET errors`: payloads and acknowledgements clients sent that the description does not allow
 * - `GET connections`: connected clients per channel
 * - `POST drop`: `{"channel"?}` drops connections as a network failure would
 */
export async function genericRealtimeAdmin(
  realtime: GenericRealtimeMock,
  method: string,
  action: string,
  body: () => Promise<Record<string, unknown>>,
): Promise<AdminAnswer | undefined> {
  switch (`${method} ${action}`) {
    case "POST emit": {
      const input = await body();
      const sent = realtime.emit(channelOf(realtime, input.channel), eventOf(input.event), input.payload);
      return { status: 201, body: { sent } };
    }
    case "POST request": {
      const input = await body();
      const timeout = input.timeout;
      if (timeout !== undefined && !(typeof timeout === "number" && timeout > 0))
        throw new TypeError("timeout: a number of milliseconds");
      const ack = await realtime.request(
        channelOf(realtime, input.channel),
        eventOf(input.event),
        input.payload,
        typeof timeout === "number" ? { timeout } : {},
      );
      return { status: 201, body: { ack } };
    }
    case "POST acks": {
      const input = await body();
      realtime.answer(channelOf(realtime, input.channel), eventOf(input.event), { ack: input.ack });
      return { status: 201, body: { channel: input.channel, event: input.event, ack: input.ack } };
    }
    case "DELETE acks":
      return { status: 200, body: { forgotten: realtime.forgetAnswers() } };
    case "GET received":
      return { status: 200, body: { received: realtime.received } };
    case "GET errors":
      return { status: 200, body: { errors: realtime.protocolErrors } };
    case "GET connections":
      return { status: 200, body: realtime.connections() };
    case "POST drop": {
      const channel = (await body()).channel;
      return {
        status: 200,
        body: { dropped: realtime.dropConnections(channel === undefined ? undefined : channelOf(realtime, channel)) },
      };
    }
    default:
      return undefined;
  }
}

function channelOf(realtime: GenericRealtimeMock, channel: unknown): string {
  const channels = Object.keys(realtime.spec.channels);
  if (typeof channel !== "string" || !channels.includes(channel))
    throw new TypeError(`channel: one of ${channels.join(", ")}`);
  return channel;
}

function eventOf(event: unknown): string {
  if (typeof event !== "string" || event === "") throw new TypeError("event: the name of one of the channel's events");
  return event;
}
