/**
 * The request pipeline's shortcuts answer as the long way round did: Basic credentials decoded without building
 * a decoder per request, header records merged without object spread, times formatted once per millisecond, and
 * the Host header read once per host.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mergeHeaders } from "../src/core/mock-http.js";
import { Mock, type RequestLogLine, type RunningMockServer, startMockServer } from "../src/index.js";
import { rawRequest } from "./support/raw-http.js";

const UNICODE_KEY = "e3_clé_ünïcödé_☃_key";
const E3 = "https://api.epsilon3.io";

function epsilon3(options: { now?: () => Date } = {}) {
  const mock = new Mock({
    apis: ["epsilon3"],
    ...options,
    fixtures: {
      epsilon3: { keys: [{ id: "key_unicode", secret: UNICODE_KEY, label: "Unicode key", status: "active" }] },
    },
  });
  const runtime = mock.apis.epsilon3;
  const route = runtime.definition.spec.operations.find((operation) => operation.operationId === "listDictionaries");
  if (!route) throw new Error("Epsilon3 has no listDictionaries");
  const list = (authorization: string) =>
    runtime.answer(route, new Request(`${E3}/v1/dictionaries`, { headers: { Authorization: authorization } }), {});
  return { mock, runtime, list };
}

/** `Basic` and the base64 of these bytes. */
const basicOf = (bytes: readonly number[]) => `Basic ${Buffer.from(bytes).toString("base64")}`;
const utf8 = (text: string) => [...Buffer.from(text, "utf8")];

describe("Basic credentials", () => {
  const { list } = epsilon3();

  test("a key beyond ASCII is read as its UTF-8 bytes say", async () => {
    expect((await list(basicOf(utf8(`${UNICODE_KEY}:`)))).status).toBe(200);
  });

  test.each([
    ["not base64", "Basic %%%", "the Basic credentials are not valid base64"],
    ["bytes that are no UTF-8", basicOf([0x6b, 0xff, 0xfe, 0x3a]), "the Basic credentials are not valid base64"],
    ["a cut-off UTF-8 sequence", basicOf([0x6b, 0xe2, 0x98, 0x3a]), "the Basic credentials are not valid base64"],
    ["no separator", basicOf(utf8(UNICODE_KEY)), "the Basic credentials have no ':' separator"],
    ["a password", basicOf(utf8(`${UNICODE_KEY}:secret`)), "the Basic password must be blank"],
    ["no username", basicOf(utf8(":")), "the Basic username (the API key) is empty"],
  ])("%s is refused as malformed, saying why", async (_case, authorization, why) => {
    const answer = await list(authorization);
    expect(answer.status).toBe(401);
    expect(answer.body).toContain(why);
  });
});

describe("mergeHeaders", () => {
  const cases: Readonly<Record<string, string>>[][] = [
    [{ "Content-Type": "application/json" }, { "X-Request-Id": "req_1" }, { Vary: "Origin" }],
    [{ A: "1", B: "2" }, { B: "3", C: "4" }, { A: "5" }],
    [{}, { Only: "one" }],
    [JSON.parse('{"__proto__": "a header", "B": "1"}') as Record<string, string>, { B: "2" }],
  ];

  test.each(cases)(
    "case %#: merges as object spread does (the same names and order, later ones winning)",
    (...sources) => {
      let spread: Record<string, string> = {};
      for (const source of sources) spread = { ...spread, ...source };
      const merged = mergeHeaders(...sources, undefined);
      expect(Object.entries(merged)).toEqual(Object.entries(spread));
      expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    },
  );

  test("leaves its sources as they were", () => {
    const first = { A: "1" };
    const second = { A: "2", B: "3" };
    mergeHeaders(first, second);
    expect([first, second]).toEqual([{ A: "1" }, { A: "2", B: "3" }]);
  });
});

test("request ids, request logs and a key's last use carry each request's own time, whichever way the clock goes", async () => {
  let clock = Date.parse("2026-03-04T05:06:07.008Z");
  const { runtime, list } = epsilon3({ now: () => new Date(clock) });
  const auth = basicOf(utf8(`${UNICODE_KEY}:`));
  const ids: string[] = [];
  for (const step of [0, 0, 1, -60_000, 0, 86_400_000]) {
    clock += step;
    const answer = await list(auth);
    expect(answer.status).toBe(200);
    ids.push(answer.headers["X-Request-Id"] ?? "");
    expect(runtime.requestLog("key_unicode").at(-1)?.at).toBe(new Date(clock).toISOString());
    expect(runtime.definition.keys(runtime.state).find(UNICODE_KEY)?.lastUsedAt).toBe(new Date(clock).toISOString());
  }
  const times = [0, 0, 1, -59_999, -59_999, 86_340_001].map((offset) =>
    (Date.parse("2026-03-04T05:06:07.008Z") + offset).toString(36),
  );
  expect(ids).toEqual(times.map((time, index) => `req_epsilon3_${time}${String(index + 1).padStart(4, "0")}`));
});

describe("the standalone server", () => {
  const lines: RequestLogLine[] = [];
  let server: RunningMockServer;
  beforeAll(async () => {
    server = await startMockServer({ apis: ["epsilon3"], port: 0, log: (line) => lines.push(line) });
  });
  afterAll(() => server.close());

  test("reads the path and query as sent, whatever the Host header names, again and again", async () => {
    const hosts = ["example.test:8080", "EXAMPLE.test", "[::1]:80", "a b", "evil.example/x?y#z", "user@evil", ""];
    for (const host of [...hosts, ...hosts]) {
      const answer = await rawRequest(`${server.url}/epsilon3/v1/dictionaries?page=1`, {
        headers: { Host: host, Authorization: basicOf(utf8(`${server.keys.epsilon3.workspace}:`)) },
      });
      expect(answer.status, host).toBe(200);
      expect(lines.at(-1)?.path, host).toBe("/epsilon3/v1/dictionaries");
    }
  });

  test("answers without an Origin with Vary: Origin, and an allowed page with its CORS headers", async () => {
    const authorization = basicOf(utf8(`${server.keys.epsilon3.workspace}:`));
    const plain = await rawRequest(`${server.url}/epsilon3/v1/dictionaries`, {
      headers: { Authorization: authorization },
    });
    expect(plain.headers.vary).toBe("Origin");
    expect(plain.headers["access-control-allow-origin"]).toBeUndefined();
    expect(Number(plain.headers["content-length"])).toBe(plain.body.length);
    const page = await rawRequest(`${server.url}/epsilon3/v1/dictionaries`, {
      headers: { Authorization: authorization, Origin: "http://localhost:5173" },
    });
    expect(page.headers).toMatchObject({
      vary: "Origin",
      "access-control-allow-origin": "http://localhost:5173",
      "access-control-expose-headers": expect.stringContaining("X-Request-Id"),
    });
  });
});
