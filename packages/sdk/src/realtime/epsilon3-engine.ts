/**
 * The Socket.IO side of Epsilon3: loaded on first use by `Epsilon3Realtime`, so REST-only apps never load
 * socket.io-client or the realtime validators.
 */
export { handleCommands } from "./command-handler.js";
export { notificationStream, onNotification } from "./notifications.js";
export { handleSearch } from "./search-handler.js";
export { provideTelemetry } from "./telemetry-provider.js";
