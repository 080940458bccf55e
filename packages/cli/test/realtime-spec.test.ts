/**
 * `keysmith mock --spec x.yaml --asyncapi x.asyncapi.yaml`: the Socket.IO side of a description of one's own,
 * driven by a plain socket.io-client: the handshake key, acknowledgements generated from the description,
 * invalid payloads refused in the acknowledgement, and server events sent from code after their check.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockServer } from "@keysmith/mock-server";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCli } from "../src/main.js";
import { loadMockRealtimeSpec, loadMockSpec } from "../src/mock-spec.js";
import { ALERTS_ASYNCAPI } from "./support/alerts-asyncapi.js";
import { PROJECTS_SPEC } from "./support/projects-spec.js";
import { recordingIO } from "./support/recording-io.js";

const KEY = "realtime-test-key-1";
let project: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "keysmith-realtime-spec-"));
  await writeFile(join(project, "projects.yaml"), PROJECTS_SPEC);
  await writeFile(join(project, "alerts.asyncapi.yaml"), ALERTS_ASYNCAPI);
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await rm(project, { recursive: true, force: true });
});

/** A connected client of a namespace, or the error its connection failed with. */
function connect(url: string, path: string, namespace: string, token?: string): Promise<Socket | Error> {
  const socket = io(`${url}${namespace}`, {
    path,
    transports: ["websocket"],
    reconnection: false,
    ...(token ? { auth: { token } } : {}),
  });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => resolve(error));
  });
}

test("keysmith mock --asyncapi serves the channels, checks the key, and acknowledges from the description", async () => {
  const stop = new AbortController();
  const recorded = recordingIO(project, { signal: stop.signal });
  const ready = recorded.waitFor(/^Stop with Ctrl-C/, 0);
  const serving = runCli(
    ["mock", "--spec", "projects.yaml", "--asyncapi", "alerts.asyncapi.yaml", "--port", "0", "--quiet", "--key", KEY],
    recorded.io,
  );
  await ready;
  const [, url = "", path = ""] =
    /projects realtime +(http:\/\/\S+) \(Socket\.IO path (\S+), namespaces \/v1\/alerts\)/.exec(recorded.output()) ??
    [];
  expect(path).toBe("/projects/api/socket.io");

  expect(await connect(url, path, "/v1/alerts")).toBeInstanceOf(Error);
  expect(await connect(url, path, "/v1/alerts", "wrong-key")).toBeInstanceOf(Error);
  const socket = await connect(url, path, "/v1/alerts", KEY);
  if (socket instanceof Error) throw socket;
  const ack = (await socket.timeout(5_000).emitWithAck("subscribe", { topics: ["db"] })) as Record<string, unknown>;
  expect(ack.subscribed).toBe(true);
  expect(Number.isNaN(Date.parse(String(ack.since)))).toBe(false);
  const refused = (await socket.timeout(5_000).emitWithAck("subscribe", { topics: [] })) as Record<string, unknown>;
  expect(refused).toEqual({ error: { code: "invalid", message: "topics: must NOT have fewer than 1 items" } });

  stop.abort();
  expect(await serving).toBe(0);
});

test("server events go out from code, checked against the description first", async () => {
  const spec = (await loadMockSpec(join(project, "projects.yaml"), project)).spec;
  const realtime = await loadMockRealtimeSpec(join(project, "alerts.asyncapi.yaml"), project);
  const server = await startMockServer({ specs: [spec], realtimeSpecs: { projects: realtime }, keys: [KEY], port: 0 });
  try {
    const where = server.describedRealtime.projects;
    const socket = await connect(server.url, where?.path ?? "", "/v1/alerts", KEY);
    if (socket instanceof Error) throw socket;
    const arrived = new Promise((resolve) => socket.once("alert", resolve));
    const mock = server.mock.describedRealtime.get("projects");
    expect(mock?.emit("alerts", "alert", { level: "warning", text: "disk 91% full" })).toBe(1);
    expect(await arrived).toEqual({ level: "warning", text: "disk 91% full" });
    expect(() => mock?.emit("alerts", "alert", { level: "panic", text: "x" })).toThrow(
      /level: must be equal to one of the allowed values/,
    );
    expect(() => mock?.emit("alerts", "subscribe", { topics: ["a"] })).toThrow(
      /channel "alerts" sends no event "subscribe"/,
    );
    // what clients sent, kept for the test to read
    await socket.timeout(5_000).emitWithAck("subscribe", { topics: ["x"] });
    expect(mock?.received.map((event) => [event.event, event.problems])).toEqual([["subscribe", []]]);
  } finally {
    await server.close();
  }
});
