import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Epsilon3, RealtimeConnectionError, RealtimeServerError } from "@keysmith/sdk";
import { Server, type Socket } from "socket.io";
import { afterAll, beforeAll, expect, test } from "vitest";
import { until } from "./support/realtime-server.js";

// A plain socket.io server written here from the documented protocol (seed-apis.md), not the Keysmith mock.
const TEAM_KEY = "e3_plain_server_team_key";
let io: Server;
let url: string;
const connections = new Map<string, Socket>();

beforeAll(async () => {
  const http = createServer();
  io = new Server(http, { path: "/socket.io" });
  for (const namespace of [
    "/v1/notifications/realtime",
    "/v1/telemetry/realtime",
    "/v1/commands/realtime",
    "/v1/external-data/items",
  ]) {
    io.of(namespace).use((socket, next) => {
      if (socket.handshake.auth.key === TEAM_KEY) return next();
      next(Object.assign(new Error("unauthorized"), { data: { code: "unauthorized" } }));
    });
    io.of(namespace).on("connection", (socket) => {
      connections.set(namespace, socket);
    });
  }
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(() => io.close());

const epsilon3 = (apiKey = TEAM_KEY) => new Epsilon3({ apiKey, baseUrl: url, logLevel: "off" });
const socketOf = async (namespace: string) => {
  await until(() => connections.get(namespace)?.connected === true, `a connection to ${namespace}`);
  return connections.get(namespace) as Socket;
};

test("notifications from a plain server arrive typed and are acknowledged {received: true}", async () => {
  const client = epsilon3();
  const got: string[] = [];
  const loop = (async () => {
    for await (const notification of client.realtime.notifications()) {
      got.push(`${notification.subtype}:${notification.data.step_name}`);
      if (got.length === 2) break;
    }
  })();
  const socket = await socketOf("/v1/notifications/realtime");
  const notification = (id: string, step: string) => ({
    id,
    type: "run",
    subtype: "step_completed",
    timestamp: new Date().toISOString(),
    api_version: 1.0,
    data: { message: "done", step_name: step },
  });
  const acks = await Promise.all([
    socket.timeout(2000).emitWithAck("notification", notification("a", "Power on")),
    socket.timeout(2000).emitWithAck("notification", notification("b", "Arm")),
  ]);
  await loop;
  expect(got).toEqual(["step_completed:Power on", "step_completed:Arm"]);
  expect(acks).toEqual([{ received: true }, { received: true }]);
});

test("telemetry, commands and search against a plain server", async () => {
  const client = epsilon3();
  const handles = [
    client.realtime.provideTelemetry((stream) => ({ value: 42, name: stream.name })),
    client.realtime.handleCommands((command) =>
      command.correlation_id ? { success: true, results: { done: command.name } } : { success: true, message: "ok" },
    ),
    client.realtime.handleSearch(({ term }) => [{ id: "x1", name: term, details: [{ name: "qty", value: 3 }] }]),
  ];
  await Promise.all(handles.map((handle) => handle.ready));

  const telemetry = await socketOf("/v1/telemetry/realtime");
  const update = new Promise((resolve) => telemetry.once("data_update", resolve));
  const startAck = await telemetry
    .timeout(2000)
    .emitWithAck("start_stream", { name: "temp", stream_id: "t1", refresh_rate: 1, dictionary_id: 4 });
  expect(startAck).toEqual({ success: true });
  expect(await update).toMatchObject({ stream_id: "t1", data: { value: 42, name: "temp" } });

  const commands = await socketOf("/v1/commands/realtime");
  expect(await commands.timeout(2000).emitWithAck("send_command", { name: "ping" })).toMatchObject({
    name: "ping",
    success: true,
    message: "ok",
  });
  // the handler finishes at once, yet command_finished never overtakes the acknowledgement on the wire
  const order: string[] = [];
  const finished = new Promise((resolve) =>
    commands.once("command_finished", (payload: unknown) => {
      order.push("command_finished");
      resolve(payload);
    }),
  );
  const acked = new Promise((resolve) =>
    commands
      .timeout(2000)
      .emit("send_command", { name: "burn", correlation_id: "k1" }, (_error: unknown, ack: unknown) => {
        order.push("ack");
        resolve(ack);
      }),
  );
  expect(await acked).toEqual({ status: "executing" });
  expect(await finished).toMatchObject({ correlation_id: "k1", status: "success", results: { done: "burn" } });
  expect(order).toEqual(["ack", "command_finished"]);

  const search = await socketOf("/v1/external-data/items");
  expect(await search.timeout(2000).emitWithAck("search", { type: "part", term: "bolt" })).toEqual({
    type: "part",
    success: true,
    items: [{ id: "x1", name: "bolt", details: [{ name: "qty", value: 3 }] }],
  });
  await client.realtime.close();
});

test("the server's own `error` and `telemetry_connection_status` reach onError; `item` is answered like search", async () => {
  const reported: unknown[] = [];
  const client = new Epsilon3({
    apiKey: TEAM_KEY,
    baseUrl: url,
    logLevel: "off",
    realtime: { onError: (error) => reported.push(error) },
  });
  connections.clear();
  const provider = client.realtime.provideTelemetry(() => ({ value: 1 }));
  const searcher = client.realtime.handleSearch(({ term }) => [{ id: `id-${term}`, name: term }]);
  await Promise.all([provider.ready, searcher.ready]);
  const telemetry = await socketOf("/v1/telemetry/realtime");
  telemetry.emit("telemetry_connection_status", { dropped: { "s-1": 3 } });
  telemetry.emit("error", { message: "stream s-9 is dangling" });
  await until(() => reported.length === 2, "two reports");
  expect(reported).toEqual([
    expect.objectContaining({ name: "RealtimeServerError", event: "telemetry_connection_status" }),
    expect.objectContaining({
      name: "RealtimeServerError",
      event: "error",
      payload: { message: "stream s-9 is dangling" },
    }),
  ]);
  expect(reported[1]).toBeInstanceOf(RealtimeServerError);
  const external = await socketOf("/v1/external-data/items");
  expect(await external.timeout(2000).emitWithAck("item", { type: "part", term: "P-1" })).toEqual({
    type: "part",
    success: true,
    items: [{ id: "id-P-1", name: "P-1" }],
  });
  await client.realtime.close();
});

test("a key the plain server refuses ends `ready` with RealtimeConnectionError", async () => {
  const handle = epsilon3("e3_wrong_key").realtime.handleSearch(() => []);
  await expect(handle.ready).rejects.toBeInstanceOf(RealtimeConnectionError);
  await expect(handle.ready).rejects.toMatchObject({ code: "unauthorized", namespace: "/v1/external-data/items" });
});
