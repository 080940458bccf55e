import { demoKeys, type RunningMockServer, startMockServer } from "@keysmith/mock-server";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";

// A plain socket.io-client, using only the documented names and payloads (seed-apis.md): no Keysmith code.
let server: RunningMockServer;
const sockets: Socket[] = [];
beforeAll(async () => {
  server = await startMockServer({ port: 0, adminKey: "admin-realtime" });
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
  server.mock.reset();
});
afterAll(() => server.close());

function connect(namespace: string, auth: Record<string, unknown> = { key: demoKeys.epsilon3.workspace }): Socket {
  const socket = io(`${server.url}${namespace}`, {
    path: "/epsilon3/socket.io",
    transports: ["websocket"],
    auth,
    reconnectionDelay: 5,
    reconnectionDelayMax: 20,
  });
  sockets.push(socket);
  return socket;
}

const connected = (socket: Socket) =>
  new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });

const admin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${server.url}/__keysmith/realtime/${path}`, {
    method,
    headers: { Authorization: "Bearer admin-realtime", "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe("the handshake", () => {
  test.each([
    ["no key", {}, "not_authenticated"],
    ["an unknown key", { key: "e3_nope" }, "invalid_key"],
    ["a personal key", { key: demoKeys.epsilon3.personal }, "team_key_required"],
  ])("%s is refused with a code", async (_name, auth, code) => {
    const error = await connected(connect("/v1/notifications/realtime", auth)).catch((failure) => failure);
    expect(error).toMatchObject({ data: { code } });
  });

  test("an expired team key is refused", async () => {
    server.mock.apis.epsilon3.state.keys.add({
      id: "key_old",
      secret: "e3_old_team_key",
      label: "Old",
      status: "active",
      kind: "team",
      expiresAt: "2020-01-01T00:00:00Z",
    });
    const error = await connected(connect("/v1/commands/realtime", { key: "e3_old_team_key" })).catch((e) => e);
    expect(error).toMatchObject({ data: { code: "expired_key" } });
  });
});

describe("driven over the admin endpoints", () => {
  test("notifications: delivered with an ack, kept until acknowledged, delivered again after a drop", async () => {
    const socket = connect("/v1/notifications/realtime");
    const seen: string[] = [];
    let acknowledge = false;
    socket.on("notification", (notification: { id: string; subtype: string }, ack: (answer: unknown) => void) => {
      seen.push(notification.id);
      if (acknowledge) ack({ received: true });
    });
    await connected(socket);
    const { status, body } = await admin("POST", "notifications", { subtype: "step_completed" });
    expect(status).toBe(201);
    expect(body).toMatchObject({ type: "run", subtype: "step_completed", api_version: 1 });
    await expect.poll(() => seen).toEqual([body.id]);
    expect((await admin("GET", "notifications")).body.pending).toHaveLength(1);

    acknowledge = true;
    expect((await admin("POST", "drop", { channel: "notifications" })).body).toEqual({ dropped: 1 });
    await expect.poll(() => seen).toEqual([body.id, body.id]);
    await expect.poll(async () => (await admin("GET", "notifications")).body.pending).toEqual([]);
  });

  test("a burst: numbered, in order, once each, answered once all are sent (raised a slice per turn)", async () => {
    const socket = connect("/v1/notifications/realtime");
    const seen: { id: string; message: string }[] = [];
    socket.on(
      "notification",
      (notification: { id: string; data: { message: string } }, ack: (answer: unknown) => void) => {
        seen.push({ id: notification.id, message: notification.data.message });
        ack({ received: true });
      },
    );
    await connected(socket);
    // more than two slices, the last one partial
    const count = 1_234;
    const { status, body } = await admin("POST", "notifications", { count, subtype: "step_completed" });
    expect(status).toBe(201);
    expect(body).toMatchObject({ sent: count });
    expect(server.mock.realtime.stats.sent).toBe(count);
    await expect.poll(() => seen.length).toBe(count);
    expect(seen[0]?.id).toBe(body.first);
    expect(seen.at(-1)?.id).toBe(body.last);
    expect(seen.map(({ message }) => message)).toEqual(
      Array.from({ length: count }, (_, n) => `Notification ${n + 1} of ${count}`),
    );
    expect(new Set(seen.map(({ id }) => id)).size).toBe(count);
    await expect.poll(() => server.mock.realtime.stats.acknowledged).toBe(count);
    expect((await admin("GET", "notifications")).body.pending).toEqual([]);
  });

  test("telemetry: start_stream, data_update within limits, end_streams", async () => {
    const socket = connect("/v1/telemetry/realtime");
    const ended: unknown[] = [];
    socket.on("start_stream", (stream: { stream_id: string }, ack: (answer: unknown) => void) => {
      ack({ success: true });
      for (let n = 0; n < 6; n++)
        socket.emit("data_update", {
          stream_id: stream.stream_id,
          data: { value: n, recorded_at: new Date().toISOString() },
        });
      socket.emit("data_update", {
        stream_id: stream.stream_id,
        data: { value: "x".repeat(101 * 1024), recorded_at: "now" },
      });
      socket.emit("data_update", { stream_id: stream.stream_id, data: { nothing: true } });
    });
    socket.on("end_streams", (payload: unknown) => ended.push(payload));
    await connected(socket);
    const started = await admin("POST", "streams", { stream_id: "s1", name: "battery_voltage", dictionary_id: 1 });
    expect(started).toEqual({ status: 201, body: { ack: { success: true } } });
    await expect.poll(async () => (await admin("GET", "streams/s1")).body.dropped).toEqual({ size: 1, rate: 2 });
    const stream = (await admin("GET", "streams/s1")).body;
    expect((stream.updates as { value: number }[]).map((update) => update.value)).toEqual([0, 1, 2, 3]);
    expect((await admin("GET", "errors")).body.errors).toEqual([
      expect.objectContaining({ event: "data_update", namespace: "/v1/telemetry/realtime" }),
    ]);
    await admin("POST", "end-streams", { stream_ids: ["s1"] });
    await expect.poll(() => ended).toEqual([{ stream_ids: ["s1"] }]);
  });

  test("commands: the synchronous ack, and the asynchronous one followed by command_finished", async () => {
    const socket = connect("/v1/commands/realtime");
    socket.on("send_command", (command: { name: string; correlation_id?: string }, ack: (answer: unknown) => void) => {
      if (!command.correlation_id)
        return ack({ name: command.name, success: true, received_at: new Date().toISOString() });
      ack({ status: "executing" });
      // finished later, after the acknowledgement has gone
      setImmediate(() => {
        socket.emit("command_finished", {
          correlation_id: command.correlation_id,
          status: "success",
          results: { ok: 1 },
          completed_at: new Date().toISOString(),
        });
      });
    });
    await connected(socket);
    const sync = await admin("POST", "commands", { name: "set_mode", arguments: { mode: 1 } });
    expect(sync.body.ack).toMatchObject({ name: "set_mode", success: true });
    const later = await admin("POST", "commands", { name: "calibrate", correlation_id: "c1", wait: true });
    expect(later.body).toMatchObject({
      ack: { status: "executing" },
      finished: { correlation_id: "c1", status: "success", results: { ok: 1 } },
    });
  });

  test("search: the client's items come back; an ack off the description is an error", async () => {
    const socket = connect("/v1/external-data/items");
    socket.on("search", (request: { type: string; term: string }, ack: (answer: unknown) => void) => {
      if (request.term === "bad") return ack({ items: "none" });
      ack({ type: request.type, success: true, items: [{ id: "i1", name: request.term, details: [] }] });
    });
    await connected(socket);
    expect((await admin("POST", "search", { type: "part", term: "valve" })).body).toEqual({
      ack: { type: "part", success: true, items: [{ id: "i1", name: "valve", details: [] }] },
    });
    const invalid = await admin("POST", "search", { type: "part", term: "bad" });
    expect(invalid.status).toBe(422);
    expect(JSON.stringify(invalid.body)).toMatch(/acknowledgement is invalid/);
  });

  test("bad admin input and no connected client are clear errors", async () => {
    expect(await admin("POST", "notifications", { subtype: 5 })).toMatchObject({ status: 422 });
    expect((await admin("POST", "search", { type: "part", term: "x" })).body).toMatchObject({
      error: { message: expect.stringContaining("no client is connected to /v1/external-data/items") },
    });
    expect((await admin("POST", "drop", { channel: "nope" })).status).toBe(422);
    const refused = await fetch(`${server.url}/__keysmith/realtime/connections`);
    expect(refused.status).toBe(401);
  });
});
