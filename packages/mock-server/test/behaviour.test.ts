import { createHandlers, demoErathosWorkspaceId, demoKeys, getKeyManagerPublicKey, Mock } from "@keysmith/mock-server";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";

const mock = new Mock();
const server = setupServer(...createHandlers(mock));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => mock.reset());
afterAll(() => server.close());

const E3 = "https://api.epsilon3.io";
const GKM = {
  production: "https://api.getkeymanager.com/api/v1",
  staging: "https://staging-api.getkeymanager.com/api/v1",
};
const e3Headers = {
  Authorization: `Basic ${btoa(`${demoKeys.epsilon3.workspace}:`)}`,
  "Content-Type": "application/json",
};
const gkm = (key: string, path: string, init: RequestInit = {}, base = GKM.production) =>
  fetch(base + path, { ...init, headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" } });

describe("state", () => {
  test("a create is visible to the next list", async () => {
    await fetch(`${E3}/v1/dictionaries`, {
      method: "POST",
      headers: e3Headers,
      body: JSON.stringify({ name: "Payload" }),
    });
    const list = await (await fetch(`${E3}/v1/dictionaries`, { headers: e3Headers })).json();
    expect(list.map((d: { name: string }) => d.name)).toEqual(["Flight", "Ground", "Payload"]);
  });

  test("every test starts from the seed again", async () => {
    const list = await (await fetch(`${E3}/v1/dictionaries`, { headers: e3Headers })).json();
    expect(list).toHaveLength(2);
  });

  test("a delete gives 404 after", async () => {
    const auth = { Authorization: `Api-Key ${demoKeys.erathos.key}` };
    const hook = mock.apis.erathos.state.webhooks[0]?._id;
    const url = `https://api.erathos.com/developers/workspaces/${demoErathosWorkspaceId}/orchestration/webhooks/${hook}/`;
    expect((await fetch(url, { method: "DELETE", headers: auth })).status).toBe(204);
    const after = await fetch(url, { headers: auth });
    expect(after.status).toBe(404);
    expect((await after.json()).error.code).toBe("not_found");
  });

  test("conflicts give 409: a duplicate dictionary name", async () => {
    const response = await fetch(`${E3}/v1/dictionaries`, {
      method: "POST",
      headers: e3Headers,
      body: JSON.stringify({ name: "Flight" }),
    });
    expect([response.status, await response.json()]).toEqual([
      409,
      { message: 'A dictionary named "Flight" already exists' },
    ]);
  });

  test("cursor pagination walks the real data", async () => {
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const query: string = token ? `&page-token=${encodeURIComponent(token)}` : "";
      const page = await (await fetch(`${E3}/v1/runs/summary?limit=2${query}`, { headers: e3Headers })).json();
      seen.push(...page.data.map((run: { _id: string }) => run._id));
      token = page.pagination.next_page_token;
    } while (token);
    expect(seen).toEqual(mock.apis.epsilon3.state.runs.map((run) => run._id));
  });

  test("requests are validated against the spec, naming the field and the rule", async () => {
    const response = await fetch(`${E3}/v1/runs`, {
      method: "POST",
      headers: e3Headers,
      body: JSON.stringify({ procedure_id: "short" }),
    });
    expect([response.status, await response.json()]).toEqual([
      422,
      { message: 'body.procedure_id: must match pattern "^[0-9A-Za-z]{22}$"' },
    ]);
  });
});

describe("GetKeyManager keys, as its API Keys page describes them", () => {
  test("create shows the secret once; list never shows it", async () => {
    const created = await (
      await gkm(demoKeys.getkeymanager.production, "/api-keys", {
        method: "POST",
        body: JSON.stringify({ name: "Reports", environment: "production", permissions: ["license:read"] }),
      })
    ).json();
    const secret: string = created.response.data.secret;
    expect(secret).toMatch(/^gkm_live_/);
    const listed = await (await gkm(demoKeys.getkeymanager.production, "/api-keys")).text();
    expect(listed).not.toContain(secret);
    expect((await gkm(secret, "/get-license-keys")).status).toBe(200);
  });

  test("regenerate: a new secret, same name and permissions, and the old one answers 401 at once", async () => {
    const old = demoKeys.getkeymanager.readOnly;
    const regenerated = await (
      await gkm(demoKeys.getkeymanager.production, "/api-keys/key_read/regenerate", { method: "POST" })
    ).json();
    expect(regenerated.response.data).toMatchObject({
      name: "License dashboard (read only)",
      permissions: ["license:read"],
    });
    const refused = await gkm(old, "/get-license-keys");
    expect(refused.status).toBe(401);
    expect((await refused.json()).response.code).toBe(100);
    expect((await gkm(regenerated.response.data.secret, "/get-license-keys")).status).toBe(200);
  });

  test("revoke cuts the key off with code 101", async () => {
    await gkm(demoKeys.getkeymanager.production, "/api-keys/key_read/revoke", { method: "POST" });
    const refused = await gkm(demoKeys.getkeymanager.readOnly, "/get-license-keys");
    expect([refused.status, (await refused.json()).response.code]).toEqual([401, 101]);
  });

  test("a staging key on the production API is a 401 that says which environment it belongs to", async () => {
    const refused = await gkm(demoKeys.getkeymanager.staging, "/get-all-products");
    const body = await refused.json();
    expect(refused.status).toBe(401);
    expect(body.response.message).toContain("belongs to the staging environment, not production");
    expect((await gkm(demoKeys.getkeymanager.staging, "/get-all-products", {}, GKM.staging)).status).toBe(200);
  });

  test("a missing permission is a 403 naming it (code 102)", async () => {
    const refused = await gkm(demoKeys.getkeymanager.readOnly, "/send-telemetry-data", {
      method: "POST",
      body: JSON.stringify({ data_type: "text", license_key: "ACME-1111-2222-3333" }),
    });
    const body = await refused.json();
    expect([refused.status, body.response.code]).toEqual([403, 102]);
    expect(body.response.message).toContain("telemetry:write");
  });

  test("per-key rate limits: RateLimit-* on every answer, then 429 with Retry-After", async () => {
    const created = await (
      await gkm(demoKeys.getkeymanager.production, "/api-keys", {
        method: "POST",
        body: JSON.stringify({
          name: "Tiny",
          environment: "production",
          permissions: ["product:read"],
          rate_limit: { requests: 2, per_seconds: 60 },
        }),
      })
    ).json();
    const key = created.response.data.secret;
    const first = await gkm(key, "/get-all-products");
    expect([first.headers.get("ratelimit-limit"), first.headers.get("ratelimit-remaining")]).toEqual(["2", "1"]);
    await gkm(key, "/get-all-products");
    const limited = await gkm(key, "/get-all-products");
    const body = await limited.json();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(body.response).toMatchObject({ code: 150, retry_after: Number(limited.headers.get("retry-after")) });
  });

  test("every response is signed with the mock's published key", async () => {
    const body = await (await gkm(demoKeys.getkeymanager.production, "/get-all-products")).json();
    const pem = await getKeyManagerPublicKey();
    const der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, "")), (c) => c.charCodeAt(0));
    const key = await crypto.subtle.importKey("spki", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
      "verify",
    ]);
    const signature = Uint8Array.from(atob(body.signature), (c) => c.charCodeAt(0));
    const valid = await crypto.subtle.verify(
      "RSASSA-PKCS1-v1_5",
      key,
      signature,
      new TextEncoder().encode(body.response_base64),
    );
    expect(valid).toBe(true);
    expect(JSON.parse(atob(body.response_base64))).toEqual(body.response);
  });
});

describe("expiring credentials", () => {
  test.each([
    ["Epoch", "https://acme.epochapp.com/api/v1/teams/", `token ${demoKeys.epoch.expired}`],
    ["Erathos", "https://api.erathos.com/developers/workspaces/", `Api-Key ${demoKeys.erathos.expired}`],
  ])("an expired %s key answers 401", async (_api, url, authorization) => {
    const response = await fetch(url, { headers: { Authorization: authorization } });
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("expired_key");
  });
});

describe("Epsilon3 keys", () => {
  test.each([
    ["a workspace (team) key", demoKeys.epsilon3.workspace, 200],
    ["a personal key", demoKeys.epsilon3.personal, 200],
    ["an unknown key", "e3_demo_unknown_0000000000000000", 401],
  ])("%s answers %i", async (_kind, key, status) => {
    const response = await fetch(`${E3}/v1/procedures/summary`, {
      headers: { Authorization: `Basic ${btoa(`${key}:`)}` },
    });
    expect(response.status).toBe(status);
  });
});

test("a retry that overtakes its original (same Idempotency-Key) waits for it and replays its answer", async () => {
  const send = () =>
    fetch(`${GKM.production}/create-license-keys`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${demoKeys.getkeymanager.production}`,
        "Content-Type": "application/json",
        "Idempotency-Key": "order-1",
      },
      body: JSON.stringify({ license_keys: ["RACE-0001"], product_id: 1 }),
    });
  const [first, second] = await Promise.all([send(), send()]);
  const bodies = [await first.json(), await second.json()];
  expect(bodies.map((body) => body.response.data)).toEqual([
    { created: 1, duplicate: [] },
    { created: 1, duplicate: [] },
  ]);
  expect([first.headers.get("idempotent-replayed"), second.headers.get("idempotent-replayed")]).toContain("true");
  expect(mock.apis.getkeymanager.state.licenses.filter((license) => license.license_key === "RACE-0001")).toHaveLength(
    1,
  );
});
