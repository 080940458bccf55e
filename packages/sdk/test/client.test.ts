import { inspect } from "node:util";
import { demoErathosWorkspaceId, demoKeys } from "@keysmith/mock-server";
import {
  AuthenticationError,
  ConfigurationError,
  ConflictError,
  Epoch,
  Epsilon3,
  Erathos,
  GetKeyManager,
  InvalidCredentialError,
  MissingCredentialError,
  NotFoundError,
  PermissionDeniedError,
  UnprocessableEntityError,
} from "@keysmith/sdk";
import { describe, expect, test } from "vitest";
import { useMock } from "./support/use-mock.js";

const { mock, requests } = useMock();

const caught = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => expect.fail("expected the call to throw"),
    (error: unknown) => error,
  );

function thrownBy(construct: () => unknown): unknown {
  try {
    construct();
  } catch (error) {
    return error;
  }
  return expect.fail("expected the constructor to throw");
}

describe("auth styles, from the specs' security schemes", () => {
  test.each([
    [
      "Epsilon3: Basic, the key as username and a blank password",
      () => new Epsilon3({ env: { EPSILON3_API_KEY: demoKeys.epsilon3.workspace } }).procedures.list(),
      `Basic ${Buffer.from(`${demoKeys.epsilon3.workspace}:`).toString("base64")}`,
    ],
    [
      "Epoch: token <t>",
      () => new Epoch({ env: { EPOCH_API_TOKEN: demoKeys.epoch.token, EPOCH_SUBDOMAIN: "acme" } }).teams.list(),
      `token ${demoKeys.epoch.token}`,
    ],
    [
      "GetKeyManager: Bearer <k>",
      () => new GetKeyManager({ env: { GETKEYMANAGER_API_KEY: demoKeys.getkeymanager.production } }).products.list(),
      `Bearer ${demoKeys.getkeymanager.production}`,
    ],
    [
      "Erathos: Api-Key <k>",
      () => new Erathos({ env: { ERATHOS_API_KEY: demoKeys.erathos.key } }).workspaces.list(),
      `Api-Key ${demoKeys.erathos.key}`,
    ],
  ])("%s", async (_name, call, expected) => {
    await call();
    expect(requests.map((request) => request.headers.get("authorization"))).toEqual([expected]);
  });
});

describe("credentials are checked before any request", () => {
  test.each([
    ["Epsilon3", () => new Epsilon3({ env: {} }), "EPSILON3_API_KEY"],
    ["Epoch", () => new Epoch({ env: { EPOCH_SUBDOMAIN: "acme" } }), "EPOCH_API_TOKEN"],
    ["GetKeyManager", () => new GetKeyManager({ env: { GETKEYMANAGER_API_KEY: "   " } }), "GETKEYMANAGER_API_KEY"],
    ["Erathos", () => new Erathos({ apiKey: "", env: {} }), "ERATHOS_API_KEY"],
  ])("%s without a key names %s", (_name, construct, variable) => {
    const error = thrownBy(construct);
    expect(error).toBeInstanceOf(MissingCredentialError);
    expect((error as MissingCredentialError).variable).toBe(variable);
    expect((error as Error).message).toContain(variable);
    expect(requests).toHaveLength(0);
  });

  test.each([
    ["a line break (header injection)", "abc\r\nX-Evil: 1", /control characters/],
    ["a pasted scheme word", `Bearer ${demoKeys.getkeymanager.production}`, /auth scheme word/],
    ["white space inside", "abc def", /white space/],
  ])("a key with %s is refused, naming its source and not echoing it", (_case, key, problem) => {
    const construct = () => new GetKeyManager({ env: { GETKEYMANAGER_API_KEY: key } });
    expect(construct).toThrow(InvalidCredentialError);
    expect(construct).toThrow(problem);
    expect(construct).toThrow(/GETKEYMANAGER_API_KEY/);
    try {
      construct();
    } catch (error) {
      expect(String(error)).not.toContain(key.trim());
      expect(inspect(error)).not.toContain(key.trim());
    }
  });

  test("the key never shows in inspect or JSON output of a client", () => {
    const client = new Erathos({ apiKey: demoKeys.erathos.key });
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(demoKeys.erathos.key);
    expect(JSON.stringify(client)).not.toContain(demoKeys.erathos.key);
  });
});

describe("base URLs and environments", () => {
  test("EPSILON3_API_URL points the client elsewhere", () => {
    const client = new Epsilon3({ env: { EPSILON3_API_KEY: "k", EPSILON3_API_URL: "https://api.uk.epsilon3.io/" } });
    expect(client.baseUrl).toBe("https://api.uk.epsilon3.io");
  });

  test("Epoch needs a subdomain: it will not send a token to somebody else's tenant", () => {
    expect(() => new Epoch({ env: { EPOCH_API_TOKEN: "t" } })).toThrow(/EPOCH_SUBDOMAIN/);
    expect(new Epoch({ env: { EPOCH_API_TOKEN: "t", EPOCH_SUBDOMAIN: "acme" } }).baseUrl).toBe(
      "https://acme.epochapp.com/api/v1",
    );
    expect(
      new Epoch({ env: { EPOCH_API_TOKEN: "t", EPOCH_BASE_URL: "http://127.0.0.1:4010/epoch/api/v1" } }).baseUrl,
    ).toBe("http://127.0.0.1:4010/epoch/api/v1");
    expect(() => new Epoch({ env: { EPOCH_API_TOKEN: "t", EPOCH_SUBDOMAIN: "evil.com/x?" } })).toThrow(
      /EPOCH_SUBDOMAIN/,
    );
  });

  test("GetKeyManager: the cloud server by default, a self-hosted one from GETKEYMANAGER_BASE_URL", () => {
    const cloud = new GetKeyManager({ apiKey: demoKeys.getkeymanager.production, env: {} });
    expect([cloud.environment, cloud.baseUrl]).toEqual([undefined, "https://api.getkeymanager.com/api/v1"]);
    const selfHosted = new GetKeyManager({
      apiKey: demoKeys.getkeymanager.production,
      env: { GETKEYMANAGER_BASE_URL: "https://licenses.example.com/api/v1/" },
    });
    expect(selfHosted.baseUrl).toBe("https://licenses.example.com/api/v1");
  });

  test("a base URL that is not a URL is refused, naming where it came from", () => {
    expect(() => new Erathos({ apiKey: "k", env: { ERATHOS_BASE_URL: "api.erathos.com" } })).toThrow(
      ConfigurationError,
    );
    expect(() => new Erathos({ apiKey: "k", env: { ERATHOS_BASE_URL: "api.erathos.com" } })).toThrow(
      /ERATHOS_BASE_URL/,
    );
  });

  test("Erathos fills workspace_id from ERATHOS_WORKSPACE_ID, and names it when unset", async () => {
    const withWorkspace = new Erathos({
      apiKey: demoKeys.erathos.key,
      env: { ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId },
    });
    expect((await withWorkspace.variables.list()).count).toBe(1);
    const without = new Erathos({ apiKey: demoKeys.erathos.key, env: {} });
    await expect(without.variables.list()).rejects.toThrow(/pass `workspace_id` or set ERATHOS_WORKSPACE_ID/);
    expect(requests).toHaveLength(1);
  });
});

describe("typed errors from each API's error shape", () => {
  test("Epsilon3's bare {message}", async () => {
    const error = await caught(
      new Epsilon3({ apiKey: demoKeys.epsilon3.workspace }).runs.get({ runId: "0000000000000000000000" }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, body: { message: "Run 0000000000000000000000 does not exist" } });
    expect((error as Error).message).toContain("Run 0000000000000000000000 does not exist");
    expect((error as NotFoundError).requestId).toMatch(/^req_epsilon3_/);
  });

  test("Epoch's expired token", async () => {
    const error = await caught(
      new Epoch({ apiKey: demoKeys.epoch.expired, serverVariables: { subdomain: "acme" } }).teams.list(),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "expired_key" });
    expect((error as AuthenticationError).requestId).toBe((error as AuthenticationError).headers.get("x-request-id"));
  });

  test("GetKeyManager's key codes: 102 (401) is a PermissionDeniedError, 100 (401) an AuthenticationError", async () => {
    const readOnly = new GetKeyManager({ apiKey: demoKeys.getkeymanager.readOnly });
    const denied = await caught(readOnly.products.list());
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect(denied).toMatchObject({ status: 401, code: "102" });
    expect((denied as Error).message).toContain("doesn't have the required capability");

    const unknown = new GetKeyManager({ apiKey: "00000000-0000-4000-8000-000000000000" });
    const refused = await caught(unknown.products.list());
    expect(refused).toBeInstanceOf(AuthenticationError);
    expect(refused).toMatchObject({ status: 401, code: "100" });
    expect((refused as Error).message).toMatch(/Invalid API Key/);
  });

  test("Erathos's conflict and validation errors", async () => {
    const erathos = new Erathos({
      apiKey: demoKeys.erathos.key,
      env: { ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId },
    });
    const running = mock.apis.erathos.state.jobs.find((job) => job.is_running);
    expect(await caught(erathos.jobs.run({ job_id: running?._id ?? "" }))).toBeInstanceOf(ConflictError);
    const invalid = await caught(erathos.variables.create({ name: "9lives", value: "x" }));
    expect(invalid).toBeInstanceOf(UnprocessableEntityError);
    expect(invalid).toMatchObject({ code: "invalid", body: { error: { field: "name" } } });
  });
});

describe("the rest of the client", () => {
  test("the openapi-fetch client is there for path-style calls, with the same auth", async () => {
    const epsilon3 = new Epsilon3({ apiKey: demoKeys.epsilon3.personal });
    const { data, response } = await epsilon3.fetchClient.GET("/v1/dictionaries");
    expect(response.status).toBe(200);
    expect(data?.map((dictionary) => dictionary.name)).toEqual(["Flight", "Ground"]);
  });

  test("writes that take an Idempotency-Key send one, and replays answer the first result", async () => {
    const gkm = new GetKeyManager({ apiKey: demoKeys.getkeymanager.production });
    const settings = { product_id: 1, activation_limit: 1, validity: 365, status: "available" } as const;
    const input = { license_keys: ["NEW-1"], ...settings };
    const first = await gkm.licenses.create(input, { idempotencyKey: "order-77" });
    const second = await gkm.licenses.create(input, { idempotencyKey: "order-77" });
    expect(second.response).toEqual(first.response);
    expect(mock.apis.getkeymanager.state.licenses.filter((l) => l.license_key === "NEW-1")).toHaveLength(1);
    await gkm.licenses.create({ license_keys: ["NEW-2"], ...settings });
    expect(requests.map((request) => request.headers.get("idempotency-key"))).toEqual([
      "order-77",
      "order-77",
      expect.stringMatching(/^[0-9a-f-]{36}$/),
    ]);
  });
});
