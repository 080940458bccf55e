import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { CorsPolicy } from "./cors.js";

/**
 * A real Socket.IO server on the mock's HTTP server, at `<prefix>/socket.io` (`/epsilon3/socket.io`, where
 * the SDK looks for it given the mock's base URL), serving one API's realtime side (a `GenericRealtimeMock`:
 * Epsilon3's four namespaces, or a described API's channels from `realtimeSpecs`). The key is checked again on
 * every reconnection. Socket.IO's connection state recovery stays off: it appends an offset argument to
 * every event sent without an ack (`end_streams`…), which only socket.io-client strips, so other clients
 * (python-socketio, a raw websocket) would see an argument the API does not send. The mock redelivers what
 * matters itself (events kept until acknowledged, such as Epsilon3's notifications, and its open telemetry
 * streams). Browser pages from the origins the CORS policy allows may use the HTTP long-polling transport too.
 */
export function attachRealtimeServer(
  httpServer: HttpServer,
  realtime: { attach(io: Server): void },
  prefix: string,
  cors: CorsPolicy,
): Server {
  const io = new Server(httpServer, {
    path: `${prefix}/socket.io`,
    serveClient: false,
    maxHttpBufferSize: 1_000_000,
    cors: { origin: (origin, callback) => callback(null, origin !== undefined && cors.allows(origin)) },
    // several Socket.IO servers may share the HTTP server (one per API): none destroys another's upgrades
    destroyUpgrade: false,
  });
  realtime.attach(io);
  return io;
}
