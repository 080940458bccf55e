/**
 * The generic AsyncAPI realtime core (`GenericRealtimeMock`), which Epsilon3's realtime mock extends: the key at
 * the handshake from a key ring, client events checked, kept, handed to listeners and acknowledged (generated or
 * scripted), server events checked, kept and redelivered until acknowledged where the description names a
 * dedupe key, requests whose acknowledgements are checked, and the admin endpoints of a described API. Driven by
 * a plain socket.io-client.
 */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Socket as ServerSocket } from "socket.io";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { CorsPolicy } from "../src/cors.js";
import { GenericRealtimeMock } from "../src/generic/realtime-mock.js";
import {
  demoKeys,
  type KeyRecord,
  KeyRing,
  type MockApiSpec,
  MockProblem,
  type MockRealtimeSpec,
  startMockServer,
} from "../src/index.js";
import { attachRealtimeServer } from "../src/realtime-server.js";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A description's channel as `keysmith mock --asyncapi` builds it: an event of each kind. */
const FEED: MockRealtimeSpec = {
  channels: {
    feed: {
      namespace: "/v1/feed",
      events: {
        subscribe: { direction: "toServer", payload: ref("Subscribe"), ack: ref("SubscribeAck") },
        heartbeat: { direction: "toServer", payload: ref("Heartbeat") },
        incident: { direction: "toClient", payload: ref("Incident"), ack: ref("IncidentAck"), dedupeBy: "id" },
        ping: { direction: "toClient", payload: ref("Ping"), ack: ref("Pong") },
        notice: { direction: "toClient", payload: ref("Notice") },
      },
    },
  },
  schemas: {
    Subscribe: {
      type: "object",
      required: ["topics"],
      properties: { topics: { type: "array", minItems: 1, items: { type: "string" } } },
    },
    SubscribeAck: {
      type: "object",
      required: ["subscribed"],
      properties: { subscribed: { type: "boolean", const: true }, topics: { type: "integer", minimum: 1 } },
    },
    Heartbeat: { type: "object", required: ["n"], properties: { n: { type: "integer" } } },
    Incident: {
      type: "object",
      required: ["id", "level"],
      properties: { id: { type: "string" }, level: { enum: ["minor", "major"] } },
    },
    IncidentAck: { type: "object", required: ["seen"], properties: { seen: { type: "boolean" } } },
    Ping: { type: "object", required: ["nonce"], properties: { nonce: { type: "string" } } },
    Pong: { type: "object", required: ["nonce"], properties: { nonce: { type: "string", minLength: 1 } } },
    Notice: { type: "object", required: ["text"], properties: { text: { type: "string" } } },
  },
};

/** A key ring as an API runtime checks it: known and active, else a 401 problem saying which. */
const ring = new KeyRing([
  { id: "k1", secret: "team-key", label: "Team", status: "active", kind: "team" },
  { id: "k2", secret: "personal-key", label: "Personal", status: "active", kind: "personal" },
  { id: "k3", secret: "revoked-key", label: "Revoked", status: "inactive", kind: "team" },
]);
const keys = {
  checkKey(secret: string): KeyRecord {
    const key = ring.find(secret);
    if (!key) throw new MockProblem(401, { code: "invalid_key", message: "Invalid API key" });
    if (key.status !== "active") throw new MockProblem(401, { code: "inactive_key", message: "Revoked" });
    return key;
  },
};

/** The core with its two extension points recorded, as an API-specific mock would use them. */
class RecordingMock extends GenericRealtimeMock {
  readonly settledWith: unknown[] = [];
  readonly connectedTo: string[] = [];
  protected override settled(_channel: string, event: string, payload: unknown, ack: unknown): void {
    this.settledWith.push({ event, payload, ack });
  }
  protected override connected(channel: string, _socket: ServerSocket): void {
    this.connectedTo.push(channel);
  }
}

describe("the core on a Socket.IO server of its own", () => {
  const realtime = new RecordingMock("feeds", FEED, keys, () => new Date("2030-01-02T03:04:05Z"), {
    auth: {
      field: "key",
      admit: (key) => (key.kind === "team" ? undefined : { code: "team_key_required", message: "Team keys only" }),
    },
    keepReceived: 3,
  });
  let http: HttpServer;
  let url: string;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    http = createServer();
    attachRealtimeServer(http, realtime, "/feeds", new CorsPolicy([], []));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    // every connection of the test is gone before the next begins
    await expect.poll(() => Object.values(realtime.connections()).every((count) => count === 0)).toBe(true);
    realtime.reset();
    realtime.settledWith.length = 0;
    realtime.connectedTo.length = 0;
  });
  afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

  const connect = (auth: Record<string, unknown> = { key: "team-key" }) => {
    const socket = io(`${url}/v1/feed`, {
      path: "/feeds/socket.io",
      transports: ["websocket"],
      auth,
      reconnectionDelay: 5,
      reconnectionDelayMax: 20,
    });
    sockets.push(socket);
    return socket;
  };
  const connected = (socket: Socket) =>
    new Promise<Socket>((resolve, reject) => {
      socket.once("connect", () => resolve(socket));
      socket.once("connect_error", (error) => {
        socket.close();
        reject(error);
      });
    });

  test.each([
    ["no key", {}, { status: 401, code: "not_authenticated", message: "Connect with auth: { key: <API key> }" }],
    ["the key in another field", { token: "team-key" }, { status: 401, code: "not_authenticated" }],
    ["an unknown key", { key: "nope" }, { status: 401, code: "invalid_key", message: "Invalid API key" }],
    ["an inactive key", { key: "revoked-key" }, { status: 401, code: "inactive_key" }],
    ["a key the API refuses here", { key: "personal-key" }, { status: 403, code: "team_key_required" }],
  ])("the handshake refuses %s, saying why", async (_name, auth, data) => {
    const error = await connected(connect(auth)).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ data });
  });

  test("client events: checked, kept, handed to listeners, and acknowledged from the description", async () => {
    const heard: unknown[] = [];
    const off = realtime.on("feed", "subscribe", (payload) => heard.push(payload));
    const socket = await connected(connect());
    expect(realtime.connectedTo).toEqual(["feed"]);
    const ack = (await socket.timeout(5_000).emitWithAck("subscribe", { topics: ["db"] })) as Record<string, unknown>;
    expect(ack.subscribed).toBe(true);
    expect(heard).toEqual([{ topics: ["db"] }]);

    const refused = await socket.timeout(5_000).emitWithAck("subscribe", { topics: [] });
    expect(refused).toEqual({ error: { code: "invalid", message: "topics: must NOT have fewer than 1 items" } });
    const unknown = await socket.timeout(5_000).emitWithAck("toString", {});
    expect(unknown).toMatchObject({ error: { code: "invalid" } });
    const backwards = await socket.timeout(5_000).emitWithAck("notice", { text: "hi" });
    expect(backwards).toEqual({
      error: { code: "invalid", message: '"notice" is not an event clients send on feed' },
    });
    expect(heard).toHaveLength(1); // invalid events reach no listener
    expect(realtime.protocolErrors.map((error) => [error.namespace, error.event])).toEqual([
      ["/v1/feed", "subscribe"],
      ["/v1/feed", "toString"],
      ["/v1/feed", "notice"],
    ]);
    // at most the last three (`keepReceived`)
    expect(realtime.received.map((event) => [event.event, event.problems.length > 0])).toEqual([
      ["subscribe", true],
      ["toString", true],
      ["notice", true],
    ]);
    expect(realtime.received[0]?.at).toBe("2030-01-02T03:04:05.000Z");

    off();
    await socket.timeout(5_000).emitWithAck("subscribe", { topics: ["db"] });
    expect(heard).toHaveLength(1);
    expect(() => realtime.on("feed", "incident", () => {})).toThrow(/clients send no event "incident"/);
  });

  test("acknowledgements scripted from code: fixed (checked at once) or made from the payload", async () => {
    const socket = await connected(connect());
    expect(() => realtime.answer("feed", "subscribe", { ack: { subscribed: false } })).toThrow(
      /ack: subscribed: must be equal to constant/,
    );
    const undo = realtime.answer("feed", "subscribe", (payload) => ({
      subscribed: true,
      topics: (payload as { topics: string[] }).topics.length,
    }));
    expect(await socket.timeout(5_000).emitWithAck("subscribe", { topics: ["a", "b"] })).toEqual({
      subscribed: true,
      topics: 2,
    });
    realtime.answer("feed", "subscribe", async () => ({ subscribed: "yes" }));
    expect(await socket.timeout(5_000).emitWithAck("subscribe", { topics: ["a"] })).toMatchObject({
      error: { code: "mock_failure", message: expect.stringContaining("subscribed: must be boolean") },
    });
    undo(); // a later script stays
    realtime.answer("feed", "subscribe", { ack: { subscribed: true, topics: 9 } });
    expect(await socket.timeout(5_000).emitWithAck("subscribe", { topics: ["a"] })).toEqual({
      subscribed: true,
      topics: 9,
    });
    expect(realtime.forgetAnswers()).toBe(1);
    const generated = (await socket.timeout(5_000).emitWithAck("subscribe", { topics: ["a"] })) as { topics?: unknown };
    expect(generated).toMatchObject({ subscribed: true });
    // an event without an acknowledgement in the description is answered null, when a client asks
    expect(await socket.timeout(5_000).emitWithAck("heartbeat", { n: 1 })).toBeNull();
  });

  test("a server event with a dedupe key is kept until acknowledged, and redelivered on reconnection", async () => {
    expect(realtime.emit("feed", "incident", { id: "i-1", level: "major" })).toBe(0);
    expect(realtime.pending("feed", "incident")).toEqual([{ id: "i-1", level: "major" }]);
    const seen: string[] = [];
    let answer: unknown = { seen: "not a boolean" };
    const socket = connect();
    socket.on("incident", (incident: { id: string }, ack: (reply: unknown) => void) => {
      seen.push(incident.id);
      ack(answer);
    });
    await connected(socket);
    await expect.poll(() => realtime.protocolErrors.map((error) => error.event)).toEqual(["incident (ack)"]);
    expect(seen).toEqual(["i-1"]);
    expect(realtime.pending("feed", "incident")).toHaveLength(1); // an invalid acknowledgement settles nothing

    answer = { seen: true };
    expect(realtime.dropConnections("feed")).toBe(1);
    await expect.poll(() => realtime.pending("feed", "incident")).toEqual([]);
    expect(seen).toEqual(["i-1", "i-1"]);
    expect(realtime.deliveries("feed", "incident")).toEqual({ sent: 2, redelivered: 2, settled: 1 });
    expect(realtime.settledWith).toEqual([
      { event: "incident", payload: { id: "i-1", level: "major" }, ack: { seen: true } },
    ]);

    expect(realtime.emit("feed", "incident", { id: "i-2", level: "minor" })).toBe(1);
    await expect.poll(() => seen).toEqual(["i-1", "i-1", "i-2"]);
    await expect.poll(() => realtime.deliveries("feed", "incident").settled).toBe(2);
    expect(() => realtime.emit("feed", "incident", { id: "i-3", level: "fatal" })).toThrow(
      /feeds feed\/incident: level: must be equal to one of the allowed values/,
    );
    expect(() => realtime.emit("feed", "subscribe", { topics: ["a"] })).toThrow(/channel "feed" sends no event/);
  });

  test("requests go to one client and resolve with its acknowledgement, checked", async () => {
    await expect(realtime.request("feed", "ping", { nonce: "a" })).rejects.toThrow(
      "no client is connected to /v1/feed",
    );
    const notices: unknown[] = [];
    const socket = connect();
    socket.on("ping", (ping: { nonce: string }, ack: (reply: unknown) => void) => ack({ nonce: ping.nonce }));
    socket.on("notice", (...args: unknown[]) => notices.push(args));
    await connected(socket);
    expect(await realtime.request("feed", "ping", { nonce: "n-1" })).toEqual({ nonce: "n-1" });
    await expect(realtime.request("feed", "ping", { nonce: "" })).rejects.toThrow(
      "ping: the client's acknowledgement is invalid: nonce: must NOT have fewer than 1 characters",
    );
    expect(realtime.protocolErrors).toMatchObject([{ event: "ping (ack)" }]);
    await expect(realtime.request("feed", "ping", {})).rejects.toThrow(/nonce/);

    // an event the description gives no acknowledgement goes out without asking for one
    expect(realtime.emit("feed", "notice", { text: "maintenance at noon" })).toBe(1);
    await expect.poll(() => notices).toEqual([[{ text: "maintenance at noon" }]]);
    expect(realtime.connections()).toEqual({ feed: 1 });
  });
});

describe("a described API's realtime side over the admin endpoints", () => {
  const KEY = "described-realtime-key";
  const FEEDS: MockApiSpec = {
    name: "feeds",
    title: "Feeds API",
    servers: [{ url: "https://feeds.example.test/v1" }],
    securitySchemes: { feedsKey: { type: "header", name: "X-Api-Key" } },
    security: [["feedsKey"]],
    operations: [
      {
        operationId: "listFeeds",
        method: "get",
        path: "/feeds",
        successStatus: 200,
        parameters: [],
        responses: { "200": { type: "array", items: { type: "string" } } },
      },
    ],
    schemas: {},
  };
  let server: Awaited<ReturnType<typeof startMockServer>>;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = await startMockServer({
      apis: ["epsilon3"],
      specs: [FEEDS],
      realtimeSpecs: { feeds: FEED },
      keys: [KEY],
      port: 0,
      adminKey: "admin-core",
    });
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    const open = () => [server.mock.describedRealtime.get("feeds"), server.mock.realtime];
    await expect
      .poll(() => open().every((mock) => Object.values(mock?.connections() ?? {}).every((n) => n === 0)))
      .toBe(true);
    server.mock.reset();
  });
  afterAll(() => server.close());

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}/__keysmith/realtime/${path}`, {
      method,
      headers: { Authorization: "Bearer admin-core", "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const connect = async (token: string) => {
    const socket = io(`${server.url}/v1/feed`, {
      path: server.describedRealtime.feeds?.path ?? "",
      transports: ["websocket"],
      auth: { token },
      reconnection: false,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    return socket;
  };

  test("emit, request, scripted acks, what clients sent, errors, connections and drops", async () => {
    await expect(connect("wrong")).rejects.toMatchObject({ data: { status: 401, code: "invalid_key" } });
    const socket = await connect(KEY);
    const notices: unknown[] = [];
    socket.on("notice", (notice: unknown) => notices.push(notice));
    socket.on("ping", (ping: { nonce: string }, ack: (reply: unknown) => void) => ack({ nonce: `re-${ping.nonce}` }));

    expect(await admin("POST", "feeds/emit", { channel: "feed", event: "notice", payload: { text: "hi" } })).toEqual({
      status: 201,
      body: { sent: 1 },
    });
    await expect.poll(() => notices).toEqual([{ text: "hi" }]);
    expect(await admin("POST", "feeds/emit", { channel: "feed", event: "notice", payload: {} })).toMatchObject({
      status: 422,
      body: { error: { message: expect.stringContaining("text") } },
    });
    expect(await admin("POST", "feeds/request", { channel: "feed", event: "ping", payload: { nonce: "1" } })).toEqual({
      status: 201,
      body: { ack: { nonce: "re-1" } },
    });

    const scripted = { subscribed: true, topics: 42 };
    expect((await admin("POST", "feeds/acks", { channel: "feed", event: "subscribe", ack: scripted })).status).toBe(
      201,
    );
    expect(await socket.timeout(5_000).emitWithAck("subscribe", { topics: ["x"] })).toEqual(scripted);
    expect((await admin("POST", "feeds/acks", { channel: "feed", event: "subscribe", ack: {} })).status).toBe(422);
    expect((await admin("DELETE", "feeds/acks")).body).toEqual({ forgotten: 1 });
    await socket.timeout(5_000).emitWithAck("subscribe", { topics: [] });

    const received = (await admin("GET", "feeds/received")).body.received as { event: string; problems: string[] }[];
    expect(received.map((event) => [event.event, event.problems.length])).toEqual([
      ["subscribe", 0],
      ["subscribe", 1],
    ]);
    expect((await admin("GET", "feeds/errors")).body.errors).toMatchObject([{ namespace: "/v1/feed" }]);
    expect((await admin("GET", "feeds/connections")).body).toEqual({ feed: 1 });
    expect((await admin("POST", "feeds/drop", { channel: "nope" })).body).toMatchObject({
      error: { message: "channel: one of feed" },
    });
    expect((await admin("POST", "feeds/drop", {})).body).toEqual({ dropped: 1 });
  });

  test("Epsilon3's realtime mock has the same endpoints, also under realtime/epsilon3/", async () => {
    expect((await admin("GET", "epsilon3/connections")).body).toEqual({
      notifications: 0,
      telemetry: 0,
      commands: 0,
      externalData: 0,
    });
    expect(
      await admin("POST", "emit", { channel: "telemetry", event: "end_streams", payload: { stream_ids: [] } }),
    ).toEqual({ status: 201, body: { sent: 0 } });
    expect((await admin("POST", "epsilon3/notifications", { subtype: "at_mention" })).status).toBe(201);
    expect((await admin("GET", "notifications")).body.pending).toHaveLength(1);
    expect((await admin("GET", "feeds/nothing")).status).toBe(404);
  });

  test("Epsilon3's notification counters stay current for whoever holds them, and serialise", async () => {
    const stats = server.mock.realtime.stats;
    const socket = io(`${server.url}/v1/notifications/realtime`, {
      path: "/epsilon3/socket.io",
      transports: ["websocket"],
      auth: { key: demoKeys.epsilon3.workspace },
      reconnection: false,
    });
    sockets.push(socket);
    socket.on("notification", (_notification: unknown, ack: (reply: unknown) => void) => ack({ received: false }));
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    server.mock.realtime.notify({ subtype: "run_started" });
    await expect.poll(() => stats.refused).toBe(1);
    expect((await admin("GET", "notifications")).body).toEqual({
      pending: [],
      stats: { sent: 1, redelivered: 0, acknowledged: 0, refused: 1 },
    });
  });
});
