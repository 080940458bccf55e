/**
 * The request pipeline's shortcuts answer as the long way round did: Basic credentials decoded without building
 * a decoder per request (and once per header), header records merged without object spread, times formatted
 * once per millisecond, the Host header read once per host, paths without parameters looked up rather than
 * tried route by route, and answers that need no waiting given at once.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MockApiRuntime } from "../src/core/api-runtime.js";
import type { KeyRecord } from "../src/core/key-record.js";
import type { RouteSpec } from "../src/core/mock-api-spec.js";
import { mergeHeaders } from "../src/core/mock-http.js";
import { type Mount, Router } from "../src/core/router.js";
import { urlPath } from "../src/core/url-path.js";
import { demoKeys, Mock, type RequestLogLine, type RunningMockServer, startMockServer } from "../src/index.js";
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

describe("the key a request is made with", () => {
  test("comes from the runtime's checkKey, a subclass's own included, called only when a credential came", async () => {
    const { runtime: stock } = epsilon3();
    const asked: string[] = [];
    class Counting extends MockApiRuntime<unknown> {
      override checkKey(secret: string, now?: Date): KeyRecord {
        asked.push(secret);
        return super.checkKey(secret, now);
      }
    }
    const runtime = new Counting(stock.definition as never, { validateResponses: false });
    const route = runtime.definition.spec.operations.find((operation) => operation.operationId === "listDictionaries");
    if (!route) throw new Error("Epsilon3 has no listDictionaries");
    const list = (headers: Record<string, string>) =>
      runtime.answer(route, new Request(`${E3}/v1/dictionaries`, { headers }), {});
    expect((await list({})).status).toBe(401);
    expect(asked).toEqual([]);
    const key = demoKeys.epsilon3.workspace;
    expect((await list({ Authorization: basicOf(utf8(`${key}:`)) })).status).toBe(200);
    expect(asked).toEqual([key]);
  });
});

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

  test("a header sent again is read as it was the first time, right or wrong, past the headers kept", async () => {
    const headers = Array.from({ length: 100 }, (_, index) =>
      index % 2 ? basicOf(utf8(`${UNICODE_KEY}:`)) : basicOf(utf8(`${UNICODE_KEY}:${index}`)),
    );
    for (const round of [1, 2]) {
      for (const [index, authorization] of headers.entries()) {
        const answer = await list(authorization);
        expect(answer.status, `round ${round}, header ${index}`).toBe(index % 2 ? 200 : 401);
        if (index % 2 === 0) expect(answer.body).toContain("the Basic password must be blank");
      }
    }
  });
});

describe("routes", () => {
  const route = (operationId: string, method: RouteSpec["method"], path: string): RouteSpec => ({
    operationId,
    method,
    path,
    successStatus: 200,
    parameters: [],
    responses: {},
  });
  const mount = (prefix: string, operations: readonly RouteSpec[]): Mount => ({
    runtime: { definition: { spec: { operations } } } as unknown as MockApiRuntime,
    prefix,
    environment: undefined,
  });
  const matched = (router: Router, method: string, path: string, query = "") => {
    const match = router.match(method, path, new URLSearchParams(query));
    return match && { prefix: match.mount.prefix, operationId: match.route?.operationId, params: match.params };
  };

  test("a path without parameters answers as the routes tried in turn do: the first that matches wins", () => {
    const router = new Router([
      mount("/api", [
        route("getTask", "get", "/tasks/{id}"),
        route("searchTasks", "get", "/tasks/search"),
        route("listTasks", "get", "/tasks"),
        route("tagThing", "get", "/things#Action=Tag"),
        route("listThings", "get", "/things"),
      ]),
    ]);
    expect(matched(router, "GET", "/api/tasks/search")).toEqual({
      prefix: "/api",
      operationId: "getTask",
      params: { id: "search" },
    });
    expect(matched(router, "GET", "/api/tasks")?.operationId).toBe("listTasks");
    expect(matched(router, "GET", "/api/tasks/")?.operationId).toBe("listTasks");
    expect(matched(router, "HEAD", "/api/tasks")?.operationId).toBe("listTasks");
    expect(matched(router, "GET", "/api/tasks//")?.operationId).toBeUndefined();
    expect(matched(router, "GET", "/api/TASKS")?.operationId).toBeUndefined();
    expect(matched(router, "GET", "/api/things", "Action=Tag")?.operationId).toBe("tagThing");
    expect(matched(router, "GET", "/api/things")?.operationId).toBe("listThings");
  });

  test("a route declared after a parameter's is looked up by its path where nothing before it matches", () => {
    const router = new Router([
      mount("/api", [route("searchTasks", "get", "/tasks/search"), route("getTask", "get", "/tasks/{id}")]),
    ]);
    expect(matched(router, "GET", "/api/tasks/search")?.operationId).toBe("searchTasks");
    expect(matched(router, "GET", "/api/tasks/7")).toEqual({
      prefix: "/api",
      operationId: "getTask",
      params: { id: "7" },
    });
  });

  test("a mount is found by whole segments, the deepest first", () => {
    const router = new Router([
      mount("/api", [route("root", "get", "/")]),
      mount("/api/v2", [route("v2root", "get", "/")]),
    ]);
    expect(matched(router, "GET", "/api")).toMatchObject({ prefix: "/api", operationId: "root" });
    expect(matched(router, "GET", "/api/v2")).toMatchObject({ prefix: "/api/v2", operationId: "v2root" });
    expect(matched(router, "GET", "/api/v2/")).toMatchObject({ prefix: "/api/v2", operationId: "v2root" });
    expect(matched(router, "GET", "/api/v23")).toMatchObject({ prefix: "/api", operationId: undefined });
    expect(matched(router, "GET", "/apiv2")).toBeUndefined();
    expect(matched(router, "GET", "")).toBeUndefined();
  });
});

describe("answers", () => {
  test("an answer that needs no waiting is given at once, as the promised one is", async () => {
    const { runtime, list } = epsilon3();
    const route = runtime.definition.spec.operations.find((operation) => operation.operationId === "listDictionaries");
    if (!route) throw new Error("Epsilon3 has no listDictionaries");
    const authorization = basicOf(utf8(`${UNICODE_KEY}:`));
    const request = new Request(`${E3}/v1/dictionaries`, { headers: { Authorization: authorization } });
    const now = runtime.answerNow(route, request, {});
    if (now instanceof Promise) throw new Error("the answer was not given at once");
    const promised = await list(authorization);
    expect(now.status).toBe(promised.status);
    expect(now.body).toBe(promised.body);
    expect(Object.keys(now.headers)).toEqual(Object.keys(promised.headers));
  });

  test("a failure of the mock itself rejects the promised answer, and is thrown by the answer given at once", async () => {
    let stopped = false;
    const mock = new Mock({
      apis: ["epsilon3"],
      now: () => {
        if (stopped) throw new Error("the clock stopped");
        return new Date();
      },
    });
    const runtime = mock.apis.epsilon3;
    const [route] = runtime.definition.spec.operations;
    if (!route) throw new Error("Epsilon3 has no operations");
    stopped = true;
    await expect(runtime.answer(route, new Request(`${E3}/v1/dictionaries`), {})).rejects.toThrow("the clock stopped");
    expect(() => runtime.answerNow(route, new Request(`${E3}/v1/dictionaries`), {})).toThrow("the clock stopped");
  });

  test.each([
    "http://127.0.0.1:4010/epsilon3/v1/dictionaries",
    "https://api.epsilon3.io/v1/runs?page-token=abc&x=%3F",
    "HTTPS://API.example/A/b?",
    "http://h",
    "http://h?q/r",
    "http:///no-host",
    "http:/one-slash/x",
    "1http://digit/first",
    "://no-scheme/x",
    "/already/a/path?x",
    "http://h/a#b?c",
    "ſhttp://h/not-ascii",
    "",
  ])("the request log's path of %j is what the regexp it replaces read", (url) => {
    expect(urlPath(url)).toBe(url.replace(/^[a-z]+:\/\/[^/]+/i, "").split("?")[0]);
  });

  test("the request log shows the path alone, without the scheme, host, query or what follows it", async () => {
    const { runtime } = epsilon3();
    const route = runtime.definition.spec.operations.find((operation) => operation.operationId === "listDictionaries");
    if (!route) throw new Error("Epsilon3 has no listDictionaries");
    const authorization = basicOf(utf8(`${UNICODE_KEY}:`));
    await runtime.answer(
      route,
      new Request(`${E3}/v1/dictionaries?page=2&x=%3F`, { headers: { Authorization: authorization } }),
      {},
    );
    expect(runtime.requestLog("key_unicode").at(-1)?.path).toBe("/v1/dictionaries");
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
