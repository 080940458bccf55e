import {
  realtimeChannels,
  type StartStream,
  type TelemetrySample,
  type TelemetrySeries,
} from "../generated/epsilon3/realtime.js";
import { openNamespace } from "./namespace-socket.js";
import { checkPayload } from "./payload-check.js";
import { handleOf } from "./realtime-handle.js";
import type { RealtimeContext, RealtimeHandle } from "./realtime-options.js";
import { answerRequests, handlerFailure } from "./request-handler.js";

/** Epsilon3's documented limits on `data_update`: 100 KB each, 4 per second per stream, 1,000 per second per team. */
export const telemetryLimits = { maxBytes: 100 * 1024, perStreamPerSecond: 4, perTeamPerSecond: 1000 } as const;

/**
 * One reading: a sample (`recorded_at` defaults to now) or a series of timestamped values. `undefined`
 * skips this tick.
 */
export type TelemetryReading =
  | (Omit<TelemetrySample, "recorded_at"> & { readonly recorded_at?: string })
  | TelemetrySeries
  | undefined;

/** Reads the current value of a stream Epsilon3 asked for (`stream.name`, `stream.dictionary_id`…). */
export type TelemetrySource = (stream: StartStream) => TelemetryReading | Promise<TelemetryReading>;

/**
 * Serves `/v1/telemetry/realtime`: acknowledges each `start_stream`, then sends a `data_update` from
 * `source` every `refresh_rate` seconds (never faster than 4 per second), until `end_streams` names the
 * stream or the connection drops (the server asks again after reconnecting). Updates over 100 KB, or beyond
 * 1,000 per second across streams, are not sent, and are reported as `RealtimeLimitError`.
 */
export function provideTelemetry(context: RealtimeContext, source: TelemetrySource): RealtimeHandle {
  const channel = realtimeChannels.telemetry;
  const { namespace } = channel;
  const { RealtimeLimitError, RealtimeServerError, RealtimeValidationError } = context.errors;
  const connection = openNamespace(context, namespace);
  const streams = new Map<string, ReturnType<typeof setTimeout> | undefined>();
  const sentAt: number[] = [];
  let rateReported = 0;

  const stop = (id: string) => {
    clearTimeout(streams.get(id));
    streams.delete(id);
  };
  const stopAll = () => {
    for (const id of [...streams.keys()]) stop(id);
  };

  const withinTeamRate = (now: number): boolean => {
    while (sentAt.length > 0 && (sentAt[0] ?? 0) <= now - 1000) sentAt.shift();
    if (sentAt.length < telemetryLimits.perTeamPerSecond) return true;
    if (now - rateReported >= 1000) {
      rateReported = now;
      context.report(
        new RealtimeLimitError(
          namespace,
          "data_update",
          "rate",
          `over ${telemetryLimits.perTeamPerSecond} updates per second across streams; updates skipped`,
        ),
      );
    }
    return false;
  };

  const tick = async (stream: StartStream) => {
    let reading: TelemetryReading;
    try {
      reading = await source(stream);
    } catch (error) {
      context.report(handlerFailure(context, namespace, "data_update", error));
      return;
    }
    if (reading === undefined || !streams.has(stream.stream_id) || !connection.socket.connected) return;
    const data =
      "values" in reading ? reading : { ...reading, recorded_at: reading.recorded_at ?? new Date().toISOString() };
    const update: { stream_id: string; data: unknown } = { stream_id: stream.stream_id, data };
    const checked = checkPayload(channel.events.data_update.payload, update);
    if (!checked.ok) {
      context.report(new RealtimeValidationError(namespace, "data_update", "sent", checked.issues));
      return;
    }
    const bytes = new TextEncoder().encode(JSON.stringify(checked.value)).byteLength;
    if (bytes > telemetryLimits.maxBytes) {
      context.report(
        new RealtimeLimitError(
          namespace,
          "data_update",
          "size",
          `an update of stream ${stream.stream_id} is ${bytes} bytes, over the ${telemetryLimits.maxBytes}-byte limit; not sent`,
        ),
      );
      return;
    }
    const now = Date.now();
    if (!withinTeamRate(now)) return;
    sentAt.push(now);
    connection.socket.emit("data_update", checked.value);
  };

  const start = (stream: StartStream) => {
    stop(stream.stream_id);
    const interval = Math.max(stream.refresh_rate * 1000, 1000 / telemetryLimits.perStreamPerSecond);
    streams.set(stream.stream_id, undefined);
    const loop = async () => {
      const began = Date.now();
      await tick(stream);
      if (!streams.has(stream.stream_id)) return;
      streams.set(stream.stream_id, setTimeout(loop, Math.max(0, interval - (Date.now() - began))));
    };
    void loop();
  };

  answerRequests(
    context,
    connection,
    {
      namespace,
      event: "start_stream",
      payload: channel.events.start_stream.payload,
      ack: channel.events.start_stream.ack,
    },
    {
      answer: async (stream) => {
        start(stream);
        return { success: true };
      },
      refused: (issues) => ({ success: false, message: `invalid start_stream: ${issues.join("; ")}` }),
      failed: (message) => ({ success: false, message }),
    },
  );
  connection.socket.on("end_streams", (payload: unknown) => {
    const checked = checkPayload(channel.events.end_streams.payload, payload);
    if (!checked.ok) {
      context.report(new RealtimeValidationError(namespace, "end_streams", "received", checked.issues));
      return;
    }
    for (const id of checked.value.stream_ids) stop(id);
  });
  // what Epsilon3 reports about the connection reaches `onError`
  for (const event of ["error", "telemetry_connection_status"] as const) {
    connection.socket.on(event, (payload: unknown) =>
      context.report(new RealtimeServerError(namespace, event, payload)),
    );
  }
  connection.onDisconnect(stopAll);
  return handleOf(connection, stopAll);
}
