import { setImmediate } from "node:timers/promises";
import { type AdminAnswer, genericRealtimeAdmin } from "./generic/realtime-admin.js";
import type { Mock } from "./mock.js";

export type { AdminAnswer } from "./generic/realtime-admin.js";

/**
 * The realtime admin endpoints, under `/__keysmith/realtime/` (same admin key as the others). Every realtime mock
 * has the generic ones (`POST emit`, `POST request`, `POST acks`, `DELETE acks`, `GET received`, `GET errors`,
 * `GET connections`, `POST drop`: see `genericRealtimeAdmin`): a described API's under
 * `/__keysmith/realtime/<api>/`, Epsilon3's directly under `/__keysmith/realtime/` (or `.../realtime/epsilon3/`),
 * next to its own:
 *
 * - `POST notifications`: a notification (fields filled in), or `{"count": n}` for a numbered burst (raised 500
 *   per turn of the event loop; answered once all are sent)
 * - `GET notifications`: the unacknowledged ones and the counters
 * - `POST streams`: a `start_stream` payload; answers the client's acknowledgement
 * - `GET streams/<stream_id>`: what arrived on a stream
 * - `POST end-streams`: `{"stream_ids": [...]}`
 * - `POST commands`: a `send_command` payload; with `"wait": true` and a `correlation_id`, also waits for
 *   `command_finished`
 * - `POST search`: a `search` payload; answers the client's acknowledgement
 */
export async function realtimeAdmin(
  mock: Mock,
  method: string,
  action: string,
  body: () => Promise<Record<string, unknown>>,
): Promise<AdminAnswer | undefined> {
  const [api = "", ...rest] = action.split("/");
  const described = mock.describedRealtime.get(api);
  if (described) return genericRealtimeAdmin(described, method, rest.join("/"), body);
  const own = api === "epsilon3" ? rest.join("/") : action;
  return (await epsilon3Admin(mock, method, own, body)) ?? genericRealtimeAdmin(mock.realtime, method, own, body);
}

/**
 * How many notifications of a burst are raised in one turn of the event loop. Socket.IO holds a client's packets
 * while a write to it is in flight, so a burst raised in one synchronous loop reaches no client until all of it is
 * raised (the client waits idle), then goes out in one flush of every packet (some 4.6 MB for 20,000), with every
 * packet, payload and acknowledgement callback alive until then: the mock's CPU profile showed three times the
 * garbage collection. A slice at a time, each slice is on the wire before the next is raised, the client works
 * meanwhile, and acknowledgements, pings and other requests are served between slices.
 */
const BURST_SLICE = 500;

async function epsilon3Admin(
  mock: Mock,
  method: string,
  action: string,
  body: () => Promise<Record<string, unknown>>,
): Promise<AdminAnswer | undefined> {
  const realtime = mock.realtime;
  const [resource, id] = action.split("/");
  switch (`${method} ${resource}${id === undefined ? "" : "/:id"}`) {
    case "POST notifications": {
      const input = await body();
      if (input.count !== undefined) {
        const count = Number(input.count);
        if (!Number.isInteger(count) || count < 1 || count > 1_000_000)
          throw new TypeError("count: an integer from 1 to 1,000,000");
        const { count: _, ...template } = input;
        let first: unknown;
        let last: unknown;
        for (let n = 1; n <= count; n++) {
          const notification = realtime.notify({ ...template, data: { message: `Notification ${n} of ${count}` } });
          first ??= notification.id;
          last = notification.id;
          if (n % BURST_SLICE === 0 && n < count) await setImmediate();
        }
        return { status: 201, body: { sent: count, first, last } };
      }
      return { status: 201, body: realtime.notify(input) };
    }
    case "GET notifications":
      return { status: 200, body: { pending: realtime.pendingNotifications(), stats: realtime.stats } };
    case "POST streams": {
      const input = await body();
      const ack = await realtime.startStream(input);
      return { status: 201, body: { ack } };
    }
    case "GET streams/:id": {
      const stream = realtime.telemetry(decodeURIComponent(id ?? ""));
      if (!stream) return { status: 404, body: { error: { code: "not_found", message: `No stream ${id}` } } };
      return { status: 200, body: stream };
    }
    case "POST end-streams": {
      const ids = (await body()).stream_ids;
      if (!Array.isArray(ids) || !ids.every((item) => typeof item === "string"))
        throw new TypeError("stream_ids: a list of stream ids");
      realtime.endStreams(ids as string[]);
      return { status: 200, body: { ended: ids } };
    }
    case "POST commands": {
      const { wait, ...command } = await body();
      const result = await realtime.sendCommand(command);
      const finished = wait === true && result.finished ? await result.finished : undefined;
      return { status: 201, body: { ack: result.ack, ...(finished ? { finished } : {}) } };
    }
    case "POST search":
      return { status: 201, body: { ack: await realtime.search(await body()) } };
    default:
      return undefined;
  }
}
