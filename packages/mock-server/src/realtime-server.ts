import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { Mock } from "./mock.js";

/**
 * A real Socket.IO server on the mock's HTTP server, at `<prefix>/socket.io` (`/epsilon3/socket.io`, where
 * the SDK looks for it given the mock's base URL), serving Epsilon3's four namespaces. The key is checked again
 * on every reconnection. Socket.IO's connection state recovery stays off: it appends an offset argument to
 * every event sent without an ack (`end_streams`…), which only socket.io-client strips, so other clients
 * (python-socketio, a raw websocket) would see an argument Epsilon3 does not send. The mock redelivers what
 * matters itself (unacknowledged notifications, open telemetry streams).
 */
export function attachRealtimeServer(httpServer: HttpServer, mock: Mock, prefix: string): Server {
  const io = new Server(httpServer, {
    path: `${prefix}/socket.io`,
    serveClient: false,
    maxHttpBufferSize: 1_000_000,
  });
  mock.realtime.attach(io);
  return io;
}
