import { demoKeys, type RequestLogLine, type RunningMockServer, startMockServer } from "@keysmith/mock-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

describe("the standalone server", () => {
  let server: RunningMockServer;
  const lines: RequestLogLine[] = [];
  beforeAll(async () => {
    server = await startMockServer({ port: 0, adminKey: "admin-test-key", log: (line) => lines.push(line) });
  });
  afterAll(() => server.close());
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/__keysmith/${path}`, {
      method,
      headers: { Authorization: "Bearer admin-test-key", "Content-Type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const products = () =>
    fetch(`${server.url}/getkeymanager/api/v1/get-all-products?api_key=${demoKeys.getkeymanager.production}`);

  test("admin endpoints need their own key", async () => {
    const refused = await fetch(`${server.url}/__keysmith/faults`, { method: "DELETE" });
    expect(refused.status).toBe(401);
    const wrong = await fetch(`${server.url}/__keysmith/reset`, {
      method: "POST",
      headers: { Authorization: `Bearer ${demoKeys.getkeymanager.production}` },
    });
    expect(wrong.status).toBe(401);
  });

  test("faults, reset and request logs over HTTP", async () => {
    expect((await admin("POST", "faults", { api: "getkeymanager", status: 503, times: 1 })).status).toBe(201);
    expect((await products()).status).toBe(503);
    expect((await products()).status).toBe(200);
    expect((await admin("POST", "faults", { status: 404 })).status).toBe(422);
    expect((await admin("DELETE", "faults")).status).toBe(200);
    const log = await (await admin("GET", "logs?api=getkeymanager&key=key_prod")).json();
    expect(log.entries.map((entry: { status: number }) => entry.status)).toEqual([503, 200]);
    expect((await admin("POST", "reset", { seed: "empty" })).status).toBe(200);
    expect(server.mock.apis.getkeymanager.state.products).toEqual([]);
  });

  test("one structured log line per request, without query strings", async () => {
    lines.length = 0;
    await products();
    const [line] = lines;
    expect(line).toMatchObject({
      method: "GET",
      path: "/getkeymanager/api/v1/get-all-products",
      status: 200,
      api: "getkeymanager",
      operationId: "listProducts",
    });
    expect(JSON.stringify(lines)).not.toContain(demoKeys.getkeymanager.production);
  });
});
