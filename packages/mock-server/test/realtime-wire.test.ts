/**
 * The realtime mock as a client with no Socket.IO library sees it: raw Engine.IO v4 / Socket.IO v5 frames over
 * a websocket. Every event must carry exactly the documented arguments: socket.io-client would silently strip
 * an extra one (connection-state recovery's offset), python-socketio would pass it to a one-parameter handler
 * and fail.
 */
import { demoKeys, type RunningMockServer, startMockServer } from "@keysmith/mock-server";
import { afterAll, beforeAll, expect, test } from "vitest";
import WebSocket from "ws";

let server: RunningMockServer;
beforeAll(async () => {
  server = await startMockServer({ port: 0 });
});
afterAll(() => server.close());

/** A Socket.IO packet as it arrives: type, namespace, ack id and the decoded arguments. */
interface Packet {
  readonly type: string;
  readonly namespace: string;
  readonly id: number | undefined;
  readonly data: unknown;
}

/** Parses `4` + `2/v1/ns,12["event",{…}]` (an Engine.IO message carrying a Socket.IO packet). */
function parse(frame: string): Packet | undefined {
  const match = /^4(\d)(\/[^,]*)?,?(\d*)(.*)$/s.exec(frame);
  if (!match) return undefined;
  const [, type = "", namespace = "/", id = "", data = ""] = match;
  return { type, namespace, id: id === "" ? undefined : Number(id), data: data === "" ? undefined : JSON.parse(data) };
}

/** A websocket speaking raw Engine.IO / Socket.IO, answering pings, with the packets it received. */
async function rawClient(namespace: string) {
  const url = `${server.url.replace("http", "ws")}/epsilon3/socket.io/?EIO=4&transport=websocket`;
  const socket = new WebSocket(url);
  const packets: Packet[] = [];
  const waiters: { test: (packet: Packet) => boolean; resolve: (packet: Packet) => void }[] = [];
  socket.on("message", (raw) => {
    const frame = String(raw);
    if (frame === "2") return socket.send("3"); // Engine.IO ping → pong
    if (frame.startsWith("0"))
      return socket.send(`40${namespace},${JSON.stringify({ key: demoKeys.epsilon3.workspace })}`);
    const packet = parse(frame);
    if (!packet) return;
    packets.push(packet);
    for (const waiter of waiters.splice(0)) {
      if (waiter.test(packet)) waiter.resolve(packet);
      else waiters.push(waiter);
    }
  });
  const next = (test: (packet: Packet) => boolean) =>
    new Promise<Packet>((resolve) => {
      const seen = packets.find(test);
      if (seen) resolve(seen);
      else waiters.push({ test, resolve });
    });
  await next((packet) => packet.type === "0" && packet.namespace === namespace);
  return {
    next,
    event: (name: string) =>
      next((packet) => packet.type === "2" && Array.isArray(packet.data) && packet.data[0] === name),
    ack: (id: number | undefined, ...args: unknown[]) => socket.send(`43${namespace},${id}${JSON.stringify(args)}`),
    close: () => socket.close(),
  };
}

test("telemetry: start_stream and end_streams carry exactly their one documented payload", async () => {
  const client = await rawClient("/v1/telemetry/realtime");
  const started = server.mock.realtime.startStream({ name: "battery_voltage", stream_id: "s-1", dictionary_id: 1 });
  const start = await client.event("start_stream");
  expect(start.id).toEqual(expect.any(Number));
  expect(start.data).toEqual(["start_stream", expect.objectContaining({ stream_id: "s-1", name: "battery_voltage" })]);
  client.ack(start.id, { success: true });
  await started;

  server.mock.realtime.endStreams(["s-1"]);
  const end = await client.event("end_streams");
  expect(end.id).toBeUndefined();
  expect(end.data).toEqual(["end_streams", { stream_ids: ["s-1"] }]);
  client.close();
});

test("notifications: one payload and an ack id, with api_version a number", async () => {
  server.mock.realtime.notify({ subtype: "at_mention", data: { message: "hello" } });
  const client = await rawClient("/v1/notifications/realtime");
  const notification = await client.event("notification");
  expect(notification.data).toEqual(["notification", expect.objectContaining({ subtype: "at_mention" })]);
  expect((notification.data as [string, { api_version: unknown }])[1].api_version).toEqual(expect.any(Number));
  client.ack(notification.id, { received: true });
  client.close();
});

test("commands and external data: one payload each, acknowledged", async () => {
  const commands = await rawClient("/v1/commands/realtime");
  const result = server.mock.realtime.sendCommand({ name: "reboot_radio" });
  const command = await commands.event("send_command");
  expect(command.data).toEqual(["send_command", expect.objectContaining({ name: "reboot_radio" })]);
  commands.ack(command.id, { name: "reboot_radio", success: true, received_at: new Date().toISOString() });
  await expect(result).resolves.toMatchObject({ ack: { success: true } });
  commands.close();

  const external = await rawClient("/v1/external-data/items");
  const answer = server.mock.realtime.search({ type: "valve", term: "" });
  const search = await external.event("search");
  expect(search.data).toEqual(["search", expect.objectContaining({ type: "valve", term: "" })]);
  external.ack(search.id, { type: "valve", success: true, items: [{ id: "v-1", name: "Valve 1" }] });
  await expect(answer).resolves.toMatchObject({ items: [{ id: "v-1", name: "Valve 1" }] });
  external.close();
});
