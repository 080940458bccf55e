import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { Mock } from "./mock.js";

/**
 * A real Socket.IO server on the mock's HTTP server, at `<prefix>/socket.io` (`/epsilon3/socket.io`, where
 * the SDK looks for it given the mock's base URL), serving Epsilon3's four namespaces. Connection state
 * recovery is on, with the key checked again on every reconnection.
 */
export function attachRealtimeServer(httpServer: HttpServer, mock: Mock, prefix: string): Server {
  const io = new Server(httpServer, {
    path: `${prefix}/socket.io`,
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
    maxHttpBufferSize: 1_000_000,
  });
  mock.realtime.attach(io);
  return io;
}
