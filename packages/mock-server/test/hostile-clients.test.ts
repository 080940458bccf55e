/**
 * Hostile and odd clients against the standalone server (and, where the behaviour is the runtime's, the MSW
 * handlers): every 401 carries a challenge real clients (curl --anyauth, wget) act on; malformed input is the
 * API's own 4xx, never a 500; HEAD mirrors GET; CORS answers browser pages from allowed origins only; bodies
 * past the limit or in the wrong media type are refused; an address like ada@localhost is an email address.
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import {
  createHandlers,
  demoErathosWorkspaceId,
  demoKeys,
  Mock,
  type MockApiName,
  mockApis,
  type RequestLogLine,
  type RunningMockServer,
  startMockServer,
} from "@keysmith/mock-server";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { basic } from "./support/api-cases.js";
import { type CliProcess, startCli } from "./support/cli-process.js";
import { rawRequest } from "./support/raw-http.js";

let server: RunningMockServer;
const log: RequestLogLine[] = [];
beforeAll(async () => {
  server = await startMockServer({ port: 0, log: (line) => log.push(line) });
});
afterEach(() => {
  server.mock.reset();
  log.length = 0;
});
afterAll(() => server.close());

const WS = demoErathosWorkspaceId;
const AUTH: Record<MockApiName, string> = {
  epsilon3: basic(demoKeys.epsilon3.workspace),
  epoch: `token ${demoKeys.epoch.token}`,
  getkeymanager: `Bearer ${demoKeys.getkeymanager.production}`,
  erathos: `Api-Key ${demoKeys.erathos.key}`,
};
/** Each API's challenge, as RFC 9110 (and RFC 7617 for Basic, RFC 6750 for Bearer) writes it. */
const CHALLENGE: Record<MockApiName, string> = {
  epsilon3: 'Basic realm="Epsilon3 API", charset="UTF-8"',
  epoch: 'token realm="Epoch Public API"',
  getkeymanager: 'Bearer realm="GetKeyManager API", ApiKey realm="GetKeyManager API", in="query", name="api_key"',
  erathos: 'Api-Key realm="Erathos Developers API"',
};
/** A GET and a write (JSON body) of each API, and a path whose parameter the test replaces. */
const SITES: Record<MockApiName, { read: string; write: string; withParam: (value: string) => string }> = {
  epsilon3: {
    read: "/epsilon3/v1/procedures/summary",
    write: "/epsilon3/v1/dictionaries",
    withParam: (value) => `/epsilon3/v1/procedures/${value}`,
  },
  epoch: {
    read: "/epoch/api/v1/events/",
    write: "/epoch/api/v1/events/",
    withParam: (value) => `/epoch/api/v1/events/${value}/`,
  },
  getkeymanager: {
    read: "/getkeymanager/api/v1/get-all-products",
    write: "/getkeymanager/api/v1/verify",
    withParam: (value) => `/getkeymanager/api/v1/products/${value}/changelog`,
  },
  erathos: {
    read: `/erathos/developers/workspaces/${WS}/jobs/`,
    write: `/erathos/developers/workspaces/${WS}/variables/`,
    withParam: (value) => `/erathos/developers/workspaces/${value}/jobs/`,
  },
};
const API_NAMES = Object.keys(SITES) as MockApiName[];

/** The API's own error shape, with the HTTP status where the API repeats it (GetKeyManager's code). */
function expectErrorShape(api: MockApiName, body: unknown, status: number, message: RegExp): void {
  switch (api) {
    case "epsilon3":
      expect(body).toEqual({ message: expect.stringMatching(message) });
      return;
    case "getkeymanager":
      expect(body).toMatchObject({
        response: { code: status, message: expect.stringMatching(message) },
        signature: expect.any(String),
      });
      return;
    default:
      expect(body).toEqual({
        error: {
          code: expect.any(String),
          message: expect.stringMatching(message),
          request_id: expect.stringMatching(/^req_/),
          field: expect.any(String),
        },
      });
  }
}

const call = (path: string, init: RequestInit = {}) => fetch(server.url + path, init);
const installed = (binary: string) => spawnSync(binary, ["--version"]).error === undefined;
/** Runs a real client (asynchronously: the server answering it lives in this process). */
const run = promisify(execFile);

describe("every 401 carries WWW-Authenticate, one challenge per scheme the operation accepts", () => {
  test.each(API_NAMES)("%s: without credentials, with a malformed or unknown one", async (api) => {
    for (const authorization of [undefined, "garbage", AUTH[api].replace(/.{4}$/, "XXXX")]) {
      const response = await call(SITES[api].read, authorization ? { headers: { Authorization: authorization } } : {});
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get("www-authenticate"), authorization).toBe(CHALLENGE[api]);
    }
  });

  test("expired keys, a key without the capability (GetKeyManager's 401 with code 102) and the admin key", async () => {
    const expired = [
      [SITES.epoch.read, `token ${demoKeys.epoch.expired}`, CHALLENGE.epoch],
      [SITES.erathos.read, `Api-Key ${demoKeys.erathos.expired}`, CHALLENGE.erathos],
      ["/getkeymanager/api/v1/get-all-products", `Bearer ${demoKeys.getkeymanager.readOnly}`, CHALLENGE.getkeymanager],
    ];
    for (const [path = "", authorization = "", challenge] of expired) {
      const response = await call(path, { headers: { Authorization: authorization } });
      expect([response.status, response.headers.get("www-authenticate")], path).toEqual([401, challenge]);
    }
    const admin = await call("/__keysmith/faults", { method: "DELETE" });
    expect([admin.status, admin.headers.get("www-authenticate")]).toEqual([401, 'Bearer realm="Keysmith mock admin"']);
  });

  test.skipIf(!installed("curl"))("curl --anyauth answers the Basic and Bearer challenges", async () => {
    const runs = [
      ["-u", `${demoKeys.epsilon3.workspace}:`, `${server.url}${SITES.epsilon3.read}`],
      ["--oauth2-bearer", demoKeys.getkeymanager.production, `${server.url}${SITES.getkeymanager.read}`],
    ];
    for (const args of runs) {
      log.length = 0;
      const curl = await run("curl", ["--silent", "--anyauth", "--write-out", "\n%{http_code}", ...args]);
      expect(curl.stdout.split("\n").at(-1), curl.stderr).toBe("200");
      // curl asked without credentials first, and sent them because of the challenge
      expect(log.map((line) => line.status)).toEqual([401, 200]);
    }
  });

  test.skipIf(!installed("wget"))("wget answers the Basic challenge (it never sends Basic unasked)", async () => {
    const wget = await run("wget", [
      "--quiet",
      "--output-document=-",
      `--user=${demoKeys.epsilon3.workspace}`,
      "--password=",
      `${server.url}${SITES.epsilon3.read}`,
    ]);
    expect(JSON.parse(wget.stdout).data.length).toBeGreaterThan(0);
    expect(log.map((line) => line.status)).toEqual([401, 200]);
  });
});

describe("malformed input is a 4xx in the API's own shape, never a 500", () => {
  const deepArray = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
  const deepObject = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;

  test.each(API_NAMES)("%s: JSON nested 100,000 deep is a 400", async (api) => {
    for (const body of [deepArray, deepObject, "[".repeat(100_000)]) {
      const response = await call(SITES[api].write, {
        method: "POST",
        headers: { Authorization: AUTH[api], "Content-Type": "application/json" },
        body,
      });
      expect(response.status).toBe(400);
      expectErrorShape(api, await response.json(), 400, /^body: (nested deeper than 128 levels|not valid JSON)$/);
    }
  });

  test("a deep value is refused before it is stored: the run it was meant for still answers", async () => {
    const run = server.mock.apis.epsilon3.state.runs[0]?._id ?? "";
    const headers = { Authorization: AUTH.epsilon3, "Content-Type": "application/json" };
    const patched = await call(`/epsilon3/v1/runs/${run}/metadata`, {
      method: "PATCH",
      headers,
      body: `{"notes":${deepArray}}`,
    });
    expect([patched.status, await patched.json()]).toEqual([400, { message: "body: nested deeper than 128 levels" }]);
    expect((await call(`/epsilon3/v2/runs/${run}`, { headers })).status).toBe(200);
    const shallow = `{"notes":${"[".repeat(100)}${"]".repeat(100)}}`;
    expect((await call(`/epsilon3/v1/runs/${run}/metadata`, { method: "PATCH", headers, body: shallow })).status).toBe(
      200,
    );
  });

  test("a form field holding JSON nested too deep is a 400 too (GetKeyManager's license_keys)", async () => {
    const response = await call("/getkeymanager/api/v1/create-license-keys", {
      method: "POST",
      headers: { Authorization: AUTH.getkeymanager, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        product_id: "1",
        activation_limit: "1",
        validity: "1",
        status: "available",
        license_keys: deepArray,
      }),
    });
    expect(response.status).toBe(400);
    expectErrorShape("getkeymanager", await response.json(), 400, /^license_keys: nested deeper than 128 levels$/);
  });

  test.each(API_NAMES.flatMap((api) => ["%FF%FE", "%E0%A4%A"].map((encoded) => [api, encoded] as const)))(
    "%s: a path parameter %s that is no UTF-8 is a 400",
    async (api, encoded) => {
      const response = await call(SITES[api].withParam(encoded), { headers: { Authorization: AUTH[api] } });
      expect(response.status).toBe(400);
      expectErrorShape(api, await response.json(), 400, /^path\.\w+: not valid percent-encoded UTF-8$/);
    },
  );

  test("a Host header that is no host does not change the path or break the answer", async () => {
    for (const host of ["a b", "evil.example/epoch/api/v1/teams/?", ""]) {
      const answer = await rawRequest(server.url + SITES.epsilon3.read, {
        headers: { Host: host, Authorization: AUTH.epsilon3 },
      });
      expect(answer.status, host).toBe(200);
    }
  });
});

describe("through the MSW handlers", () => {
  const mock = new Mock({ bodyLimit: 64 });
  const msw = setupServer(...createHandlers(mock));
  beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
  afterAll(() => msw.close());
  const E3 = "https://api.epsilon3.io";

  test("a path parameter that does not decode is Epsilon3's 400, not an exception in the handler lookup", async () => {
    for (const encoded of ["%FF%FE", "%E0%A4%A"]) {
      const response = await fetch(`${E3}/v1/procedures/${encoded}`, { headers: { Authorization: AUTH.epsilon3 } });
      expect([response.status, await response.json()]).toEqual([
        400,
        { message: "path.procedureId: not valid percent-encoded UTF-8" },
      ]);
    }
  });

  test("HEAD gets the GET's status and headers without a body; 401s carry the challenge", async () => {
    const head = await fetch(`${E3}/v1/procedures/summary`, {
      method: "HEAD",
      headers: { Authorization: AUTH.epsilon3 },
    });
    expect([head.status, head.headers.get("content-type"), await head.text()]).toEqual([200, "application/json", ""]);
    const refused = await fetch(`${E3}/v1/procedures/summary`);
    expect(refused.headers.get("www-authenticate")).toBe(CHALLENGE.epsilon3);
  });

  test("the body limit and the media types hold there too", async () => {
    const post = (body: string, type: string) =>
      fetch(`${E3}/v1/dictionaries`, {
        method: "POST",
        headers: { Authorization: AUTH.epsilon3, "Content-Type": type },
        body,
      });
    const tooLarge = await post(JSON.stringify({ name: "x".repeat(64) }), "application/json");
    expect([tooLarge.status, await tooLarge.json()]).toEqual([
      413,
      { message: "body: larger than the mock's limit of 64 bytes" },
    ]);
    expect((await post(JSON.stringify({ name: "MSW" }), "text/plain")).status).toBe(415);
    expect((await post(JSON.stringify({ name: "MSW" }), "application/json")).status).toBe(200);
  });
});

test.each([
  [undefined, "https://acme.epochapp.com/api/v1/teams/", 200],
  [undefined, "https://acme.epochapp.com/api/v1/teams?page=1", 200],
  [undefined, "https://acme.epochapp.com/api/v2/teams/", "unhandled"],
  ["*", "http://localhost:9999/api/v1/teams/", 200],
  ["http://localhost:3000", "http://localhost:3000/api/v1/teams/", 200],
  ["http://localhost:3000", "http://localhost:3001/api/v1/teams/", "unhandled"],
] as const)("the MSW handlers (origin %s) match %s by the mock's own patterns", async (origin, url, want) => {
  const msw = setupServer(...createHandlers(new Mock({ apis: ["epoch"] }), origin ? { origin } : {}));
  msw.listen({ onUnhandledRequest: "error" });
  try {
    const answer = await fetch(url, { headers: { Authorization: AUTH.epoch } }).then(
      (response) => response.status,
      () => "unhandled",
    );
    expect(answer).toBe(want);
  } finally {
    msw.close();
  }
});

describe("HEAD is answered for every GET route", () => {
  const paramValue = (name: string): string =>
    ({
      workspace_id: WS,
      event_id: "1",
      procedureId: server.mock.apis.epsilon3.state.procedures[0]?._id ?? "",
      runId: server.mock.apis.epsilon3.state.runs[0]?._id ?? "",
      job_id: server.mock.apis.erathos.state.jobs[0]?._id ?? "",
    })[name] ?? "1";
  const VARYING = new Set([
    "date",
    "x-request-id",
    "ratelimit-remaining",
    "ratelimit-reset",
    "keep-alive",
    "connection",
  ]);
  const stable = (headers: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(headers).filter(([name]) => !VARYING.has(name)));
  const gets = API_NAMES.flatMap((api) =>
    mockApis[api].spec.operations.filter((route) => route.method === "get").map((route) => [api, route] as const),
  );

  test.each(gets.map(([api, route]) => [`${api} ${route.operationId}`, api, route] as const))(
    "%s",
    async (_name, api, route) => {
      const base = server.endpoints.find((endpoint) => endpoint.api === api)?.baseUrl ?? "";
      const url = base + route.path.replace(/\{([^}]+)\}/g, (_match, name: string) => paramValue(name));
      const headers = { Authorization: AUTH[api] };
      const get = await rawRequest(url, { headers });
      const head = await rawRequest(url, { method: "HEAD", headers });
      expect(head.status).toBe(get.status);
      expect(stable(head.headers)).toEqual(stable(get.headers));
      expect(head.headers["content-length"]).toBe(String(get.body.length));
      expect(head.body.length).toBe(0);
      const open = route.parameters.every((parameter) => !parameter.required);
      if (open) expect(get.status, `${route.operationId} ${get.body}`).toBe(200);
    },
  );

  test("Allow names HEAD and OPTIONS, and OPTIONS alone answers with them", async () => {
    const wrong = await call(SITES.epsilon3.read, { method: "DELETE" });
    expect([wrong.status, wrong.headers.get("allow")]).toEqual([405, "GET, HEAD, OPTIONS"]);
    const options = await call(SITES.epsilon3.write, { method: "OPTIONS" });
    expect([options.status, options.headers.get("allow")]).toEqual([204, "GET, HEAD, POST, OPTIONS"]);
  });
});

describe("CORS on the standalone server", () => {
  const preflight = (url: string, origin: string, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: "OPTIONS",
      headers: {
        Origin: origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
        ...headers,
      },
    });

  test.each(["http://localhost:5173", "http://127.0.0.1:8080", "http://[::1]:3000", "http://localhost"])(
    "a preflight from %s (loopback, allowed by default) is answered with what the specs use",
    async (origin) => {
      const response = await preflight(server.url + SITES.epsilon3.write, origin);
      expect(response.status).toBe(204);
      expect(Object.fromEntries(response.headers)).toMatchObject({
        "access-control-allow-origin": origin,
        "access-control-allow-methods": "GET, HEAD, POST",
        "access-control-max-age": "600",
        vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
      });
      const allowed = (response.headers.get("access-control-allow-headers") ?? "").split(", ");
      expect(allowed).toEqual(expect.arrayContaining(["Authorization", "Content-Type", "Idempotency-Key"]));
    },
  );

  test("a public page asking for the private network gets Private Network Access once allowed", async () => {
    const custom = await startMockServer({ port: 0, corsOrigins: ["https://app.example.com"] });
    try {
      const allowed = await preflight(`${custom.url}${SITES.epoch.write}`, "https://app.example.com", {
        "Access-Control-Request-Private-Network": "true",
      });
      expect(allowed.headers.get("access-control-allow-private-network")).toBe("true");
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
      const loopback = await preflight(`${custom.url}${SITES.epoch.write}`, "http://localhost:5173");
      expect([loopback.status, loopback.headers.get("access-control-allow-origin")]).toEqual([403, null]);
    } finally {
      await custom.close();
    }
  });

  test("actual answers to an allowed origin expose the request id, rate-limit, Retry-After and challenge headers", async () => {
    const origin = "http://localhost:5173";
    const ok = await call(SITES.erathos.read, { headers: { Origin: origin, Authorization: AUTH.erathos } });
    expect(ok.headers.get("access-control-allow-origin")).toBe(origin);
    expect(ok.headers.get("vary")).toBe("Origin");
    const exposed = (response: Response) => (response.headers.get("access-control-expose-headers") ?? "").split(", ");
    expect(exposed(ok)).toEqual(
      expect.arrayContaining(["X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]),
    );
    server.mock.inject({ api: "erathos", status: 429, times: 1 });
    const limited = await call(SITES.erathos.read, { headers: { Origin: origin, Authorization: AUTH.erathos } });
    expect(exposed(limited)).toContain("Retry-After");
    const refused = await call(SITES.erathos.read, { headers: { Origin: origin } });
    expect(exposed(refused)).toContain("WWW-Authenticate");
  });

  test("other origins, and the admin endpoints, get no CORS headers", async () => {
    const evil = "https://evil.example";
    const denied = await preflight(server.url + SITES.epsilon3.write, evil);
    expect([denied.status, denied.headers.get("access-control-allow-origin")]).toEqual([403, null]);
    expect((await denied.json()).error.message).toContain("--cors-origin https://evil.example");
    const actual = await call(SITES.epsilon3.read, { headers: { Origin: evil, Authorization: AUTH.epsilon3 } });
    expect([actual.status, actual.headers.get("access-control-allow-origin"), actual.headers.get("vary")]).toEqual([
      200,
      null,
      "Origin",
    ]);
    const admin = await call("/__keysmith/faults", { method: "DELETE", headers: { Origin: "http://localhost:5173" } });
    expect(admin.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("corsOrigins: [] turns CORS off", async () => {
    const off = await startMockServer({ port: 0, corsOrigins: [] });
    try {
      const denied = await preflight(off.url + SITES.epsilon3.write, "http://localhost:5173");
      expect([denied.status, denied.headers.get("access-control-allow-origin")]).toEqual([403, null]);
      const actual = await fetch(off.url + SITES.epsilon3.read, { headers: { Origin: "http://localhost:5173" } });
      expect([actual.headers.get("access-control-allow-origin"), actual.headers.get("vary")]).toEqual([null, null]);
    } finally {
      await off.close();
    }
  });
});

describe("request bodies: a size limit and the operation's media types", () => {
  const post = (api: MockApiName, headers: Record<string, string>, body: BodyInit, method = "POST", path?: string) =>
    call(path ?? SITES[api].write, { method, headers: { Authorization: AUTH[api], ...headers }, body });

  test.each(API_NAMES)("%s: a Content-Length past 1 MiB is a 413 before any byte of the body is read", async (api) => {
    const answer = await rawRequest(server.url + SITES[api].write, {
      method: "POST",
      headers: { Authorization: AUTH[api], "Content-Type": "application/json", "Content-Length": "2000000" },
      keepSending: true,
    });
    expect([answer.status, answer.sentWholeBody]).toEqual([413, false]);
    expectErrorShape(
      api,
      JSON.parse(answer.body.toString()),
      413,
      /^body: larger than the mock's limit of 1048576 bytes$/,
    );
  });

  test("a chunked body is refused once past the limit, while the client is still sending", async () => {
    const answer = await rawRequest(server.url + SITES.epoch.write, {
      method: "POST",
      headers: { Authorization: AUTH.epoch, "Content-Type": "application/json" },
      chunks: [`{"title":"${"x".repeat(1024 * 1024)}`, "x".repeat(512 * 1024)],
      keepSending: true,
    });
    expect([answer.status, answer.sentWholeBody]).toEqual([413, false]);
  });

  test("a client still sending a refused body gets the 413, not a reset (the rest is read and dropped)", async () => {
    // fetch sends the whole body before it reads the answer: a server that closes early loses it the answer
    // (EPIPE). Only a server in another process shows it: in this one, reading and writing take turns.
    const cli = await startCli();
    try {
      const big = JSON.stringify({ title: "x".repeat(8 * 1024 * 1024) });
      for (let attempt = 0; attempt < 5; attempt++) {
        const answer = await fetch(cli.url + SITES.epoch.write, {
          method: "POST",
          headers: { Authorization: AUTH.epoch, "Content-Type": "application/json" },
          body: big,
        });
        expect(answer.status).toBe(413);
        await answer.arrayBuffer();
      }
    } finally {
      cli.kill();
    }
  });

  test("bodyLimit counts bytes, not characters", async () => {
    const small = await startMockServer({ port: 0, bodyLimit: 64 });
    try {
      const send = (name: string) =>
        fetch(`${small.url}${SITES.epsilon3.write}`, {
          method: "POST",
          headers: { Authorization: AUTH.epsilon3, "Content-Type": "application/json" },
          body: JSON.stringify({ name }),
        });
      expect((await send("é".repeat(26))).status).toBe(200); // 63 bytes
      expect((await send("é".repeat(27))).status).toBe(413); // 65 bytes, 38 characters
    } finally {
      await small.close();
    }
    expect(() => new Mock({ bodyLimit: -1 })).toThrow(/bodyLimit must be a whole number of bytes/);
  });

  test.each(API_NAMES)(
    "%s: JSON sent as text/plain, or with no Content-Type, is a 415 naming what it takes",
    async (api) => {
      const json = JSON.stringify({ any: "thing" });
      for (const [headers, body] of [
        [{ "Content-Type": "text/plain" }, json],
        [{}, new TextEncoder().encode(json)],
      ] as const) {
        const response = await post(api, headers, body);
        expect(response.status).toBe(415);
        const accepted =
          api === "getkeymanager" ? "application/json, application/x-www-form-urlencoded" : "application/json";
        expect(response.headers.get("accept-post")).toBe(accepted);
        expectErrorShape(api, await response.json(), 415, /^body: .* is not accepted; send application\/json/);
      }
    },
  );

  test("form fields where the operation takes them, JSON with a charset (not another +json type), Accept-Patch, gzip", async () => {
    const form = await post(
      "getkeymanager",
      { "Content-Type": "application/x-www-form-urlencoded" },
      new URLSearchParams({ license_key: "3a343c8a-38fe-4b6e-ad77-111111111111", identifier: "host-1" }),
    );
    expect(form.status).toBe(200);
    const formToJsonOnly = await post("epsilon3", { "Content-Type": "application/x-www-form-urlencoded" }, "name=Form");
    expect(formToJsonOnly.status).toBe(415);
    const withCharset = JSON.stringify({ name: "charset" });
    expect((await post("epsilon3", { "Content-Type": "application/json; charset=utf-8" }, withCharset)).status).toBe(
      200,
    );
    const patchDocument = JSON.stringify([{ op: "add", path: "/name", value: "x" }]);
    expect((await post("epsilon3", { "Content-Type": "application/json-patch+json" }, patchDocument)).status).toBe(415);
    const run = server.mock.apis.epsilon3.state.runs[0]?._id ?? "";
    const patch = await post(
      "epsilon3",
      { "Content-Type": "text/plain" },
      "{}",
      "PATCH",
      `/epsilon3/v1/runs/${run}/metadata`,
    );
    expect([patch.status, patch.headers.get("accept-patch")]).toEqual([415, "application/json"]);
    const gzipped = await post(
      "epsilon3",
      { "Content-Type": "application/json", "Content-Encoding": "gzip" },
      gzipSync(JSON.stringify({ name: "zipped" })),
    );
    expect([gzipped.status, gzipped.headers.get("accept-encoding")]).toEqual([415, "identity"]);
  });
});

describe("email addresses as RFC 5321 and 5322 define them", () => {
  const assign = (email: string) =>
    call("/getkeymanager/api/v1/assign-license-key", {
      method: "POST",
      headers: { Authorization: AUTH.getkeymanager, "Content-Type": "application/json" },
      body: JSON.stringify({ license_key: "3a343c8a-38fe-4b6e-ad77-222222222222", email }),
    });

  test.each([
    "ada@localhost",
    "ada.lovelace+mock@example.co.uk",
    '"ada lovelace"@example.com',
    "ada@[192.0.2.1]",
    "ada@[IPv6:2001:db8::1]",
  ])("%s is accepted", async (email) => {
    const response = await assign(email);
    expect([response.status, (await response.json()).response.code]).toEqual([200, 800]);
  });

  test.each([
    "ada@",
    "@localhost",
    "ada@-localhost",
    "ada..lovelace@example.com",
    "ada@exa mple.com",
    `${"a".repeat(65)}@example.com`,
    "ada@[IPv6:2001:db8::zz]",
  ])("%s is refused", async (email) => {
    const response = await assign(email);
    expect(response.status).toBe(422);
    expect((await response.json()).response.message).toBe('body.email: must match format "email"');
  });
});

describe("the command line", () => {
  let cli: CliProcess | undefined;
  afterEach(() => cli?.kill());

  test("--cors-origin replaces the loopback default and --body-limit sets the limit", async () => {
    cli = await startCli(["--quiet", "--cors-origin", "https://app.example.com", "--body-limit", "1KiB"]);
    const url = `${cli.url}${SITES.epsilon3.write}`;
    const preflight = (origin: string) =>
      fetch(url, { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": "POST" } });
    expect((await preflight("https://app.example.com")).headers.get("access-control-allow-origin")).toBe(
      "https://app.example.com",
    );
    expect((await preflight("http://localhost:5173")).status).toBe(403);
    const tooLarge = await fetch(url, {
      method: "POST",
      headers: { Authorization: AUTH.epsilon3, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "x".repeat(1024) }),
    });
    expect([tooLarge.status, await tooLarge.json()]).toEqual([
      413,
      { message: "body: larger than the mock's limit of 1024 bytes" },
    ]);
  }, 60_000);

  test("--no-cors sends no CORS headers", async () => {
    cli = await startCli(["--quiet", "--no-cors"]);
    const response = await fetch(`${cli.url}${SITES.epsilon3.read}`, { headers: { Origin: "http://localhost:5173" } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(cli.output()).toContain("CORS: off");
  }, 60_000);
});
