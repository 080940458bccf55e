import type { NamespaceSocket } from "./namespace-socket.js";
import type { RealtimeHandle } from "./realtime-options.js";

/** The public handle of a namespace connection, plus work to stop with it (once, however it stops). */
export function handleOf(connection: NamespaceSocket, onClose: () => void = () => {}): RealtimeHandle {
  void connection.stopped.then(onClose);
  return {
    ready: connection.ready,
    get connected() {
      return connection.socket.connected;
    },
    close: async () => {
      connection.close();
      await connection.stopped;
    },
  };
}
