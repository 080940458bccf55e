import { demoKeys, type RunningMockServer, startMockServer } from "@keysmith/mock-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apis, basic } from "./support/api-cases.js";

let server: RunningMockServer;
beforeAll(async () => {
  server = await startMockServer({ port: 0 });
});
afterAll(() => server.close());

describe.each(apis)("$name over HTTP", ({ path, auth, otherStyle, errorShape }) => {
  test("answers the documented auth style with 200 and rate-limit headers", async () => {
    const response = await fetch(server.url + path, { headers: { Authorization: auth } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(Number(response.headers.get("ratelimit-remaining"))).toBeGreaterThan(0);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  });

  test.each([
    ["no credentials", {}],
    ["another API's auth style", { Authorization: otherStyle }],
    ["an unknown key", { Authorization: auth.replace(/.{4}$/, "XXXX") }],
    ["a malformed header", { Authorization: "garbage" }],
  ])("refuses %s with 401 in its own error shape", async (_case, headers: Record<string, string>) => {
    const response = await fetch(server.url + path, { headers });
    expect(response.status).toBe(401);
    errorShape(await response.json());
  });
});

test("GetKeyManager also takes the key as an api_key parameter", async () => {
  const response = await fetch(
    `${server.url}/getkeymanager/api/v1/get-all-products?api_key=${demoKeys.getkeymanager.production}`,
  );
  expect(response.status).toBe(200);
});

test("writes: a JSON body round-trips, and a broken one is a 400 in the API's shape", async () => {
  const headers = { Authorization: basic(demoKeys.epsilon3.workspace), "Content-Type": "application/json" };
  const created = await fetch(`${server.url}/epsilon3/v1/dictionaries`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "HTTP" }),
  });
  expect([created.status, await created.json()]).toEqual([200, { id: 3 }]);
  const broken = await fetch(`${server.url}/epsilon3/v1/dictionaries`, { method: "POST", headers, body: "{name:" });
  expect([broken.status, await broken.json()]).toEqual([400, { message: "body: not valid JSON" }]);
});

test("unknown paths and methods are answered, not dropped", async () => {
  const unknownApi = await fetch(`${server.url}/nope`);
  expect(unknownApi.status).toBe(404);
  expect((await unknownApi.json()).error.message).toContain("/epsilon3");
  const wrongMethod = await fetch(`${server.url}/epsilon3/v1/runs/summary`, { method: "DELETE" });
  expect([wrongMethod.status, wrongMethod.headers.get("allow")]).toEqual([405, "GET, HEAD, OPTIONS"]);
});

test("lists each API's base URL", () => {
  expect(server.endpoints.map((endpoint) => endpoint.baseUrl.replace(server.url, ""))).toEqual([
    "/epsilon3",
    "/epoch/api/v1",
    "/getkeymanager/api/v1",
    "/erathos/developers",
  ]);
});
