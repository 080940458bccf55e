import { type Notification, realtimeChannels } from "../generated/epsilon3/realtime.js";
import { type EventStream, eventStream } from "./event-stream.js";
import { handleOf } from "./realtime-handle.js";
import type { RealtimeContext, RealtimeHandle } from "./realtime-options.js";
import { handlerFailure } from "./request-handler.js";

/** Epsilon3's notifications, acknowledged `{ received: true }` as each is taken, without repeats. */
export function notificationStream(context: RealtimeContext): EventStream<Notification> {
  const channel = realtimeChannels.notifications;
  return eventStream(context, {
    namespace: channel.namespace,
    event: "notification",
    definition: channel.events.notification,
    takenAck: { received: true },
    refusedAck: { received: false },
  });
}

/**
 * Calls `listener` for each notification, one at a time: each is acknowledged as it is handed over, and the
 * next is handed over once the listener has settled. A listener that throws is reported through `onError`.
 */
export type NotificationListener = (notification: Notification) => void | Promise<void>;

export function onNotification(context: RealtimeContext, listener: NotificationListener): RealtimeHandle {
  const stream = notificationStream(context);
  const iterator = stream[Symbol.asyncIterator]();
  const pump = async () => {
    for (;;) {
      // the stream acknowledges a notification as it hands it over; take the next only after the listener
      const next = await iterator.next();
      if (next.done) return;
      try {
        await listener(next.value);
      } catch (error) {
        context.report(handlerFailure(context, realtimeChannels.notifications.namespace, "notification", error));
      }
    }
  };
  pump().catch(() => {}); // a refusal surfaces through `ready`
  return handleOf(stream.connection, () => void iterator.return?.());
}
