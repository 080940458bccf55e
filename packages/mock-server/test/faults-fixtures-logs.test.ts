import { createHandlers, demoErathosWorkspaceId, demoKeys, Mock } from "@keysmith/mock-server";
import { Erathos } from "@keysmith/sdk";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";

const mock = new Mock();
const msw = setupServer(...createHandlers(mock));
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  mock.reset();
  vi.useRealTimers();
});
afterAll(() => msw.close());

const WORKSPACES = "https://api.erathos.com/developers/workspaces/";
const erathosAuth = { Authorization: `Api-Key ${demoKeys.erathos.key}` };
const gkm = (key: string) =>
  fetch("https://api.getkeymanager.com/api/v1/get-all-products", { headers: { Authorization: `Bearer ${key}` } });

describe("fault injection from code", () => {
  test("forced 5xx for a number of requests: the SDK's retries ride through it", async () => {
    mock.inject({ api: "erathos", operationId: "listWorkspaces", status: 503, times: 2 });
    const client = new Erathos({
      apiKey: demoKeys.erathos.key,
      env: { ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId },
      maxRetryDelay: 10,
    });
    const { data } = await client.workspaces.list().withResponse();
    expect(data.count).toBe(1);
    expect((await fetch(WORKSPACES, { headers: erathosAuth })).status).toBe(200);
  });

  test("a forced 429 carries Retry-After in the API's shape", async () => {
    mock.inject({ api: "getkeymanager", status: 429, times: 1 });
    const limited = await gkm(demoKeys.getkeymanager.production);
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "1"]);
    const body = await limited.json();
    expect([body.response.code, body.retry_after]).toEqual([429, 1]);
  });

  test("per key: only that key's requests fail", async () => {
    mock.inject({ key: "key_read", status: 500 });
    expect((await gkm(demoKeys.getkeymanager.readOnly)).status).toBe(401); // auth and permissions (code 102) first
    mock.reset();
    mock.inject({ key: "key_prod", status: 502 });
    expect((await gkm(demoKeys.getkeymanager.production)).status).toBe(502);
    expect((await gkm(demoKeys.getkeymanager.staging)).status).toBe(200);
  });

  test("dropped connections and slow bodies", async () => {
    const heal = mock.inject({ api: "erathos", drop: true });
    await expect(fetch(WORKSPACES, { headers: erathosAuth })).rejects.toThrow();
    heal();
    mock.inject({ api: "erathos", slowBodyMs: 5 });
    const slow = await fetch(WORKSPACES, { headers: erathosAuth });
    expect((await slow.json()).count).toBe(1);
  });

  test("latency, fixed or random, with fake timers", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    mock.inject({ api: "erathos", latencyMs: [1000, 2000] });
    let settled = false;
    const pending = fetch(WORKSPACES, { headers: erathosAuth }).then((response) => {
      settled = true;
      return response;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1001);
    expect((await pending).status).toBe(200);
  });

  test("an error rate of 1 always fails, 0 never; bad rules are refused", async () => {
    const stop = mock.inject({ api: "erathos", errorRate: 1 });
    expect((await fetch(WORKSPACES, { headers: erathosAuth })).status).toBe(500);
    stop();
    mock.inject({ api: "erathos", errorRate: 0 });
    expect((await fetch(WORKSPACES, { headers: erathosAuth })).status).toBe(200);
    expect(() => mock.inject({ status: 404 })).toThrow(/status must be 408, 429 or 5xx/);
    expect(() => mock.inject({ latencyMs: [5, 1] })).toThrow(/latencyMs/);
  });
});

describe("fixtures", () => {
  test("start from an empty store plus one's own data, again after every reset", async () => {
    const own = new Mock({ seed: "empty", fixtures: { epsilon3: { dictionaries: [{ id: 7, name: "Payload" }] } } });
    const runtime = own.apis.epsilon3;
    expect(runtime.state.dictionaries).toEqual([{ id: 7, name: "Payload" }]);
    expect(runtime.state.procedures).toEqual([]);
    runtime.state.dictionaries.push({ id: 8, name: "Scratch" });
    own.reset();
    expect(runtime.state.dictionaries).toEqual([{ id: 7, name: "Payload" }]);
  });

  test("an unknown collection is named", () => {
    expect(() => new Mock({ fixtures: { epsilon3: { dictionnaries: [] } } })).toThrow(
      /fixtures\.epsilon3\.dictionnaries: expected a list for one of/,
    );
  });
});

describe("request logs", () => {
  test("per key, as GetKeyManager's Logs page shows them", async () => {
    await gkm(demoKeys.getkeymanager.production);
    await fetch("https://api.getkeymanager.com/api/v1/get-license-keys?per_page=1", {
      headers: { Authorization: `Bearer ${demoKeys.getkeymanager.production}` },
    });
    const log = mock.apis.getkeymanager.requestLog("key_prod");
    expect(log.map((entry) => [entry.method, entry.path, entry.operationId, entry.status])).toEqual([
      ["GET", "/api/v1/get-all-products", "listProducts", 200],
      ["GET", "/api/v1/get-license-keys", "listLicenseKeys", 200],
    ]);
    expect(log[0]?.requestId).toMatch(/^req_getkeymanager_/);
  });
});
