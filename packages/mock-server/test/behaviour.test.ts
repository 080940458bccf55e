import { createHandlers, demoErathosWorkspaceId, demoKeys, getKeyManagerPublicKey, Mock } from "@keysmith/mock-server";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";

const mock = new Mock();
const server = setupServer(...createHandlers(mock));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => mock.reset());
afterAll(() => server.close());

const E3 = "https://api.epsilon3.io";
const GKM = "https://api.getkeymanager.com/api/v1";
const e3Headers = {
  Authorization: `Basic ${btoa(`${demoKeys.epsilon3.workspace}:`)}`,
  "Content-Type": "application/json",
};
const gkm = (key: string, path: string, init: RequestInit = {}) =>
  fetch(GKM + path, { ...init, headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" } });
const ADA = "3a343c8a-38fe-4b6e-ad77-111111111111";

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

describe("GetKeyManager, as its API reference shows it", () => {
  test("logical failures are HTTP 200 with the failure's code; key failures are 401 with 100–102", async () => {
    const invalid = await gkm(demoKeys.getkeymanager.production, "/verify", {
      method: "POST",
      body: JSON.stringify({ license_key: "NOPE", identifier: "x" }),
    });
    expect([invalid.status, (await invalid.json()).response]).toEqual([
      200,
      { code: 210, message: "Invalid license key", timestamp: expect.any(Number) },
    ]);
    const unknown = await gkm("00000000-0000-4000-8000-000000000000", "/get-all-products");
    expect([unknown.status, (await unknown.json()).response.code]).toEqual([401, 100]);
    const refused = await gkm(demoKeys.getkeymanager.readOnly, "/send-telemetry-data", {
      method: "POST",
      body: JSON.stringify({ data_type: "text", data_group: "g" }),
    });
    expect([refused.status, (await refused.json()).response.code]).toEqual([401, 102]);
  });

  test("form fields are accepted as well as JSON, and the key may travel as `api_key`", async () => {
    const response = await fetch(`${GKM}/activate?api_key=${demoKeys.getkeymanager.production}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ license_key: ADA, identifier: "ada-desktop" }),
    });
    expect((await response.json()).response).toMatchObject({ code: 300, message: "License key activated" });
    const created = await fetch(`${GKM}/create-license-keys`, {
      method: "POST",
      headers: { Authorization: `Bearer ${demoKeys.getkeymanager.live}` },
      body: new URLSearchParams({
        license_keys: JSON.stringify(["FORM-0001", "FORM-0002"]),
        product_id: "1",
        activation_limit: "1",
        validity: "365",
        status: "available",
      }),
    });
    expect((await created.json()).response).toMatchObject({ code: 900, created: 2, duplicate: 0 });
    // as the reference's examples send it: the key as one more form field
    const asField = await fetch(`${GKM}/verify`, {
      method: "POST",
      body: new URLSearchParams({
        api_key: demoKeys.getkeymanager.production,
        license_key: ADA,
        identifier: "ada-laptop",
      }),
    });
    expect([asField.status, (await asField.json()).response.code]).toEqual([200, 200]);
    const wrongField = await fetch(`${GKM}/verify`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ api_key: "00000000-0000-4000-8000-000000000000", license_key: ADA, identifier: "x" }),
    });
    expect([wrongField.status, (await wrongField.json()).response.code]).toEqual([401, 100]);
  });

  test("the changelog is public: no key needed, and a wrong one is ignored", async () => {
    const response = await fetch(`${GKM}/products/acme-desktop/changelog`);
    expect([response.status, (await response.json()).response.code]).toEqual([200, 1600]);
    const withWrongKey = await gkm("not-a-key", "/products/acme-desktop/changelog");
    expect(withWrongKey.status).toBe(200);
  });

  test("a form field that looks like JSON stays a string where the schema says string", async () => {
    const answer = await fetch(`${GKM}/create-license-key-meta?api_key=${demoKeys.getkeymanager.production}`, {
      method: "POST",
      body: new URLSearchParams({ license_key: ADA, identifier: "ada-laptop", key: "seats", value: "[1,2]" }),
    });
    expect((await answer.json()).response.code).toBe(453);
    expect(mock.apis.getkeymanager.state.licenses[0]?.meta.find((meta) => meta.key === "seats")?.value).toBe("[1,2]");
  });

  test("telemetry in the wrong format is still saved, flagged, and answered 831 with the fields at fault", async () => {
    const answer = await (
      await gkm(demoKeys.getkeymanager.production, "/send-telemetry-data", {
        method: "POST",
        body: JSON.stringify({ data_type: "text", data_group: "crash" }),
      })
    ).json();
    expect(answer.response.code).toBe(831);
    expect(answer.response.errors.user_identifier).toEqual(["The user identifier field is required."]);
    const saved = mock.apis.getkeymanager.state.telemetry.at(-1);
    expect([saved?.data_group, saved?.is_correct_format, saved?.has_red_flags]).toEqual(["crash", 0, 1]);
  });

  test("every answer is signed over what the vendor SDKs verify: the body without `signature`", async () => {
    const text = await (await gkm(demoKeys.getkeymanager.production, "/get-all-products")).text();
    const body = JSON.parse(text);
    const pem = await getKeyManagerPublicKey();
    const der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, "")), (c) => c.charCodeAt(0));
    const key = await crypto.subtle.importKey("spki", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
      "verify",
    ]);
    const { signature, ...signed } = body;
    const valid = await crypto.subtle.verify(
      "RSASSA-PKCS1-v1_5",
      key,
      Uint8Array.from(atob(signature), (c) => c.charCodeAt(0)),
      new TextEncoder().encode(JSON.stringify(signed)),
    );
    expect(valid).toBe(true);
    // response_base64 is the response as PHP's json_encode prints it: slashes escaped
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(body.response_base64), (c) => c.charCodeAt(0)));
    expect(JSON.parse(decoded)).toEqual(body.response);
    expect(decoded).toContain('"created_at"');
  });
});

describe("GetKeyManager keys, as its API Keys page describes them (modelled)", () => {
  test("create shows the secret once; list never shows it", async () => {
    const created = await (
      await gkm(demoKeys.getkeymanager.production, "/api-keys", {
        method: "POST",
        body: JSON.stringify({ name: "Reports", environment: "production", permissions: ["license:read"] }),
      })
    ).json();
    const secret: string = created.response.api_key.secret;
    expect(secret).toMatch(/^km_live_/);
    const listed = await (await gkm(demoKeys.getkeymanager.production, "/api-keys")).text();
    expect(listed).not.toContain(secret);
    expect((await gkm(secret, "/get-license-keys")).status).toBe(200);
  });

  test("regenerate: a new secret, same name and permissions, and the old one answers 401 at once", async () => {
    const old = demoKeys.getkeymanager.readOnly;
    const regenerated = await (
      await gkm(demoKeys.getkeymanager.production, "/api-keys/key_read/regenerate", { method: "POST" })
    ).json();
    expect(regenerated.response.api_key).toMatchObject({
      name: "License dashboard (read only)",
      permissions: ["license:read"],
    });
    const refused = await gkm(old, "/get-license-keys");
    expect(refused.status).toBe(401);
    expect((await refused.json()).response.code).toBe(100);
    expect((await gkm(regenerated.response.api_key.secret, "/get-license-keys")).status).toBe(200);
  });

  test("revoke cuts the key off with code 101", async () => {
    await gkm(demoKeys.getkeymanager.production, "/api-keys/key_read/revoke", { method: "POST" });
    const refused = await gkm(demoKeys.getkeymanager.readOnly, "/get-license-keys");
    expect([refused.status, (await refused.json()).response.code]).toEqual([401, 101]);
  });

  test("per-key rate limits: RateLimit-* on every answer, then 429 with Retry-After and retry_after", async () => {
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
    const key = created.response.api_key.secret;
    const first = await gkm(key, "/get-all-products");
    expect([first.headers.get("ratelimit-limit"), first.headers.get("ratelimit-remaining")]).toEqual(["2", "1"]);
    await gkm(key, "/get-all-products");
    const limited = await gkm(key, "/get-all-products");
    const body = await limited.json();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // the vendor SDKs read `retry_after` at the top level
    expect(body.retry_after).toBe(Number(limited.headers.get("retry-after")));
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
    fetch(`${GKM}/create-license-keys`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${demoKeys.getkeymanager.production}`,
        "Content-Type": "application/json",
        "Idempotency-Key": "order-1",
      },
      body: JSON.stringify({
        license_keys: ["RACE-0001"],
        product_id: 1,
        activation_limit: 1,
        validity: 365,
        status: "available",
      }),
    });
  const [first, second] = await Promise.all([send(), send()]);
  const bodies = [await first.json(), await second.json()];
  expect(bodies.map((body) => [body.response.created, body.response.duplicate])).toEqual([
    [1, 0],
    [1, 0],
  ]);
  expect([first.headers.get("idempotent-replayed"), second.headers.get("idempotent-replayed")]).toContain("true");
  expect(mock.apis.getkeymanager.state.licenses.filter((license) => license.license_key === "RACE-0001")).toHaveLength(
    1,
  );
});
