import { realtimeChannels, type SearchAck, type SearchRequest } from "../generated/epsilon3/realtime.js";
import { openNamespace } from "./namespace-socket.js";
import { handleOf } from "./realtime-handle.js";
import type { RealtimeContext, RealtimeHandle } from "./realtime-options.js";
import { answerRequests } from "./request-handler.js";

/** One item of a search answer. */
export type SearchItem = SearchAck["items"][number];

/** Finds the items matching a `search` from Epsilon3. Throwing answers `success: false` with the message. */
export type SearchHandler = (request: SearchRequest) => readonly SearchItem[] | Promise<readonly SearchItem[]>;

/**
 * Answers `search` and `item` on `/v1/external-data/items` with the handler's items: both events carry the
 * same request and acknowledgement (the AsyncAPI description), so one handler serves both.
 */
export function handleSearch(context: RealtimeContext, handler: SearchHandler): RealtimeHandle {
  const channel = realtimeChannels.externalData;
  const connection = openNamespace(context, channel.namespace);
  for (const event of ["search", "item"] as const) {
    const spec = channel.events[event];
    answerRequests(
      context,
      connection,
      { namespace: channel.namespace, event, payload: spec.payload, ack: spec.ack },
      {
        answer: async (request) => ({ type: request.type, success: true, items: [...(await handler(request))] }),
        refused: (issues, raw) => ({
          type: typeof (raw as { type?: unknown } | null)?.type === "string" ? (raw as { type: string }).type : "",
          success: false,
          message: `invalid ${event}: ${issues.join("; ")}`,
          items: [],
        }),
        failed: (message, request) => ({ type: request.type, success: false, message, items: [] }),
      },
    );
  }
  return handleOf(connection);
}
