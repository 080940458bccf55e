import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoErathosWorkspaceId, demoKeys } from "@keysmith/mock-server";
import {
  ConfigurationError,
  CredentialExpiredError,
  Epoch,
  Epsilon3,
  Erathos,
  GetKeyManager,
  InvalidCredentialError,
  MissingCredentialError,
  PermissionDeniedError,
} from "@keysmith/sdk";
import { type ApiDefinition, checkKeyRules, chooseServer, KeysmithClient } from "@keysmith/sdk/core";
import { afterEach, describe, expect, test, vi } from "vitest";
import { useMock } from "./support/use-mock.js";

const { requests } = useMock();
const DAY = 86_400_000;
const silent = { error() {}, warn() {}, info() {}, debug() {} };
afterEach(() => {
  vi.useRealTimers();
});

function keyFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "keysmith-")), "key");
  writeFileSync(path, content);
  return path;
}

describe("credential sources, in order: option, env var, <VAR>_FILE", () => {
  test("the option wins over the variable, the variable over the file", async () => {
    const file = keyFile("file-key-should-not-be-used\n");
    const env = { EPSILON3_API_KEY: demoKeys.epsilon3.workspace, EPSILON3_API_KEY_FILE: file };
    expect(new Epsilon3({ apiKey: demoKeys.epsilon3.personal, env }).credentials.status().source).toBe(
      "the `apiKey` option",
    );
    expect(new Epsilon3({ env }).credentials.status().source).toBe("EPSILON3_API_KEY");
    const fromFile = new Epsilon3({
      env: { EPSILON3_API_KEY: "  ", EPSILON3_API_KEY_FILE: keyFile(`${demoKeys.epsilon3.workspace}\n`) },
    });
    expect(fromFile.credentials.status().source).toMatch(/^EPSILON3_API_KEY_FILE \(/);
    expect((await fromFile.procedures.list()).data).toHaveLength(3);
  });

  test("a blank file counts as unset; an unreadable one is named", () => {
    expect(() => new Erathos({ env: { ERATHOS_API_KEY_FILE: keyFile("   \n") } })).toThrow(MissingCredentialError);
    expect(() => new Erathos({ env: { ERATHOS_API_KEY_FILE: "/nonexistent/keysmith/key" } })).toThrow(
      /cannot read the key file \/nonexistent\/keysmith\/key named by ERATHOS_API_KEY_FILE \(ENOENT\)/,
    );
  });

  test("a function is called before each request, so a rotated key is picked up without a restart", async () => {
    const keys = [demoKeys.epsilon3.workspace, demoKeys.epsilon3.personal];
    let calls = 0;
    const client = new Epsilon3({ apiKey: () => keys[calls++ % 2] ?? "" });
    await client.procedures.list();
    await client.procedures.list();
    const sent = requests.map((request) => atob((request.headers.get("authorization") ?? "").slice(6)));
    expect(sent).toEqual([`${demoKeys.epsilon3.workspace}:`, `${demoKeys.epsilon3.personal}:`]);
    expect(client.credentials.status().source).toBe("the `apiKey` function");
  });

  test("an async function's bad value is refused before sending", async () => {
    const client = new Epsilon3({ apiKey: async () => "bad key\r\nX-Injected: 1" });
    await expect(client.procedures.list()).rejects.toThrow(InvalidCredentialError);
    expect(requests).toHaveLength(0);
  });

  test.each([
    ["a CR/LF (header injection)", "abc\r\nX-Evil: 1", /control characters/],
    ["a pasted Bearer prefix", `Bearer ${demoKeys.getkeymanager.production}`, /auth scheme word/],
    ["white space inside", "km_live_abc def", /white space/],
  ])("refused at construction, naming the source, not the value: %s", (_case, key, problem) => {
    const construct = () => new GetKeyManager({ env: { GETKEYMANAGER_API_KEY: key } });
    expect(construct).toThrow(InvalidCredentialError);
    expect(construct).toThrow(problem);
    expect(construct).toThrow(/from GETKEYMANAGER_API_KEY/);
    try {
      construct();
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain(key.trim().slice(-8));
    }
  });
});

describe("transport security", () => {
  test("keys go only over https or to loopback, unless the user opts in", () => {
    expect(
      () => new Erathos({ apiKey: demoKeys.erathos.key, baseUrl: "http://erathos.example.com/developers" }),
    ).toThrow(/plain http to erathos\.example\.com.*allowInsecureHttp/);
    expect(
      new Erathos({ apiKey: demoKeys.erathos.key, baseUrl: "http://127.0.0.1:4010/erathos/developers" }).baseUrl,
    ).toContain("127.0.0.1");
    expect(new Erathos({ apiKey: demoKeys.erathos.key, baseUrl: "http://localhost:4010/x" }).baseUrl).toContain(
      "localhost",
    );
    const optedIn = new Erathos({
      apiKey: demoKeys.erathos.key,
      baseUrl: "http://erathos.internal/developers",
      allowInsecureHttp: true,
    });
    expect(optedIn.baseUrl).toBe("http://erathos.internal/developers");
  });
});

describe("expiry", () => {
  const jwt = (exp: number) =>
    `${btoa(JSON.stringify({ alg: "none" }))}.${btoa(JSON.stringify({ exp })).replace(/=+$/, "")}.sig`;

  test.each([
    ["the option", (at: string) => ({ expiresAt: at }), "the `expiresAt` option"],
    ["the env var", (at: string) => ({ env: { ERATHOS_API_KEY_EXPIRES_AT: at } }), "ERATHOS_API_KEY_EXPIRES_AT"],
  ])("an expired key from %s throws before any request", async (_case, options, source) => {
    const past = new Date(Date.now() - DAY).toISOString();
    const construct = () => new Erathos({ apiKey: demoKeys.erathos.key, ...options(past) });
    expect(construct).toThrow(CredentialExpiredError);
    expect(construct).toThrow(source);
    expect(requests).toHaveLength(0);
  });

  test("a JWT's exp claim counts", () => {
    const expired = jwt(Math.floor(Date.now() / 1000) - 60);
    expect(() => new Epoch({ apiKey: expired, serverVariables: { subdomain: "acme" } })).toThrow(/JWT `exp` claim/);
    const later = jwt(Math.floor(Date.now() / 1000) + 30 * 86_400);
    const status = new Epoch({ apiKey: later, serverVariables: { subdomain: "acme" } }).credentials.status();
    expect(status).toMatchObject({ state: "valid", expirySource: "the key's JWT `exp` claim" });
  });

  test("a date that is not one is refused, naming its variable", () => {
    expect(
      () => new Erathos({ apiKey: demoKeys.erathos.key, env: { ERATHOS_API_KEY_EXPIRES_AT: "next tuesday" } }),
    ).toThrow(/ERATHOS_API_KEY_EXPIRES_AT is not a date/);
  });

  test("within the threshold: one warning through the logger and the hook; past expiry: refused before sending", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2027-01-01T00:00:00Z"));
    const warnings: string[] = [];
    const hook = vi.fn();
    const client = new Erathos({
      apiKey: demoKeys.erathos.key,
      env: { ERATHOS_API_KEY_EXPIRES_AT: "2027-01-05T00:00:00Z", ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId },
      logger: { ...silent, warn: (line) => warnings.push(line) },
      onCredentialExpiring: hook,
    });
    await client.workspaces.list();
    await client.workspaces.list();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /expires at 2027-01-05T00:00:00\.000Z \(in 4\.0 days, from ERATHOS_API_KEY_EXPIRES_AT\)/,
    );
    expect(hook).toHaveBeenCalledTimes(1);
    expect(hook.mock.calls[0]?.[0]).toMatchObject({ state: "expiring", source: "the `apiKey` option" });
    expect(client.credentials.status()).toMatchObject({
      source: "the `apiKey` option",
      style: "Authorization: Api-Key <key>",
      expiresAt: "2027-01-05T00:00:00.000Z",
      expiresIn: 4 * DAY,
      state: "expiring",
    });

    vi.setSystemTime(new Date("2027-01-06T00:00:00Z"));
    const before = requests.length;
    await expect(client.workspaces.list()).rejects.toThrow(CredentialExpiredError);
    expect(requests).toHaveLength(before);
    expect(client.credentials.status().state).toBe("expired");
  });

  test("the threshold is configurable", () => {
    const client = new Erathos({
      apiKey: demoKeys.erathos.key,
      expiresAt: Date.now() + 10 * DAY,
      expiryWarning: 14 * DAY,
      logger: silent,
    });
    expect(client.credentials.status().state).toBe("expiring");
  });
});

describe("key formats: only what the vendor documents is enforced", () => {
  test.each([
    ["a UUID, as the reference's examples", "6f1c2a7e-3b9d-4e5f-8a21-c4d6e8f0a2b4"],
    ["the portal's km_live_ form", "km_live_0123456789abcdef"],
    ["a format nobody documented", "sk_live_0123456789"],
  ])("GetKeyManager accepts %s", (_case, key) => {
    expect(new GetKeyManager({ apiKey: key }).credentials.status().state).toBe("no-expiry");
  });

  // A made-up API, to drive the core's rules: a documented format, and environment prefixes that are hints.
  const api = (overrides: Partial<ApiDefinition>): ApiDefinition => ({
    name: "Acme",
    servers: [
      { url: "https://api.acme.test", environment: "production", keyPrefix: "ak_live_" },
      { url: "https://sandbox.acme.test", environment: "sandbox", keyPrefix: "ak_test_" },
    ],
    env: { apiKey: "ACME_KEY", baseUrl: "ACME_URL" },
    securitySchemes: { bearer: { type: "bearer" } },
    security: [["bearer"]],
    operations: {},
    ...overrides,
  });
  // what the generator passes to clients of such APIs
  const capabilities = { chooseServer, checkKeyRules };

  test("a hinted environment prefix catches another environment's key, and ignores one it does not know", () => {
    const other = () =>
      new KeysmithClient(api({}), { apiKey: "ak_test_123", environment: "production", env: {} }, capabilities);
    expect(other).toThrow(InvalidCredentialError);
    expect(other).toThrow(/belongs to the sandbox environment \(prefix ak_test_\), but the client targets production/);
    expect(new KeysmithClient(api({}), { apiKey: "0f9e-unknown-form", env: {} }, capabilities).environment).toBe(
      "production",
    );
  });

  test("a documented prefix or format refuses keys without it; a hinted format never does", () => {
    const documentedPrefix = api({
      servers: [{ url: "https://api.acme.test", keyPrefix: "ak_", keyPrefixDocumented: true }],
    });
    expect(() => new KeysmithClient(documentedPrefix, { apiKey: "zz_123", env: {} }, capabilities)).toThrow(
      /does not start with any of this API's documented key prefixes \(ak_\)/,
    );
    const format = (documented: boolean) =>
      api({ keyFormat: { pattern: "^[0-9a-f]{8}$", description: "8 hex digits", documented } });
    expect(() => new KeysmithClient(format(true), { apiKey: "nothex!!", env: {} }, capabilities)).toThrow(
      /does not have the documented key format \(8 hex digits\)/,
    );
    expect(new KeysmithClient(format(false), { apiKey: "nothex!!", env: {} }, capabilities).baseUrl).toBe(
      "https://api.acme.test",
    );
  });

  test("a definition written by hand that needs a capability it was not given is refused, naming it", () => {
    const without = (definition: ApiDefinition) => () =>
      new KeysmithClient(definition, { apiKey: "ak_live_123", env: {} });
    expect(without(api({}))).toThrow(ConfigurationError);
    expect(without(api({}))).toThrow(/Acme: its description needs the `chooseServer` capability/);
    const onePrefixed = api({ servers: [{ url: "https://api.acme.test", keyPrefix: "ak_" }] });
    expect(without(onePrefixed)).toThrow(/needs the `checkKeyRules` capability/);
    const introspecting = api({
      servers: [{ url: "https://api.acme.test" }],
      introspection: { operationId: "whoAmI", permissions: "/permissions" },
    });
    expect(without(introspecting)).toThrow(/needs the `introspectKey` capability/);
    // one absolute server, nothing to check: no capability needed; naming an environment it lacks is refused
    const plain = api({ servers: [{ url: "https://api.acme.test" }] });
    expect(new KeysmithClient(plain, { apiKey: "ak_live_123", env: {} }).baseUrl).toBe("https://api.acme.test");
    expect(() => new KeysmithClient(plain, { apiKey: "ak_live_123", environment: "sandbox", env: {} })).toThrow(
      /has no environments to choose from; the `environment` option names one/,
    );
    const withVariable = { ...plain, env: { ...plain.env, environment: "ACME_ENVIRONMENT" } };
    expect(
      () => new KeysmithClient(withVariable, { apiKey: "ak_live_123", env: { ACME_ENVIRONMENT: "sandbox" } }),
    ).toThrow(/has no environments to choose from; ACME_ENVIRONMENT names one/);
  });
});

describe("permissions (GetKeyManager)", () => {
  test("known permissions: an operation needing another is refused before sending, naming it", async () => {
    const client = new GetKeyManager({ apiKey: demoKeys.getkeymanager.production, permissions: ["license:read"] });
    const error = await client.products.list().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ permission: "product:read", status: 403 });
    expect((error as Error).message).toContain("product:read");
    expect(requests).toHaveLength(0);
    expect((await client.licenses.list()).response.code).toBe(730);
  });

  test("or learnt from the API's own key introspection", async () => {
    const client = new GetKeyManager({ apiKey: demoKeys.getkeymanager.readOnly });
    expect(await client.credentials.refreshPermissions()).toEqual(["license:read"]);
    const sent = requests.length;
    await expect(client.telemetry.send({ data_type: "text", data_group: "g" })).rejects.toMatchObject({
      name: "PermissionDeniedError",
      permission: "telemetry:write",
    });
    expect(requests).toHaveLength(sent);
    expect(client.credentials.status().permissions).toEqual(["license:read"]);
  });

  test("an API without introspection says so", async () => {
    await expect(
      new Epsilon3({ apiKey: demoKeys.epsilon3.workspace }).credentials.refreshPermissions(),
    ).rejects.toThrow(/no key introspection/);
  });

  test("the server's refusal (401, code 102) is the same class", async () => {
    const error = await new GetKeyManager({ apiKey: demoKeys.getkeymanager.readOnly }).products
      .list()
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as PermissionDeniedError).requestId).toMatch(/^req_getkeymanager_/);
  });
});

test("a bad log level is refused, naming its source", () => {
  expect(() => new Epsilon3({ apiKey: demoKeys.epsilon3.workspace, env: { KEYSMITH_LOG: "loud" } })).toThrow(
    ConfigurationError,
  );
  expect(() => new Epsilon3({ apiKey: demoKeys.epsilon3.workspace, env: { KEYSMITH_LOG: "loud" } })).toThrow(
    /KEYSMITH_LOG must be one of/,
  );
});
