/**
 * OAuth2's client-credentials flow and HTTP Basic pairs, through the public core API against a plain
 * loopback server that plays both the token endpoint and the API.
 */
import { inspect } from "node:util";
import {
  type ApiDefinition,
  AuthenticationError,
  KeysmithClient,
  OAuthTokens,
  schemeCredentials,
} from "@keysmith/sdk/core";
import { afterAll, afterEach, beforeAll, expect, test, vi } from "vitest";
import { type Recorded, recordingServer } from "../../../scripts/test/support/recording-server.js";

const CLIENT_SECRET = "cs_very_secret_0123456789";
let server: Awaited<ReturnType<typeof recordingServer>>;
let issued = 0;
/** Tokens the API refuses (as if revoked): a 401 for each. */
const revoked = new Set<string>();

beforeAll(async () => {
  server = await recordingServer((request: Recorded) => {
    if (request.url === "/oauth/token") {
      issued += 1;
      return { body: { access_token: `tok-${issued}-secret`, token_type: "Bearer", expires_in: 3600 } };
    }
    const token = String(request.headers.authorization ?? "").replace(/^Bearer /, "");
    if (revoked.has(token)) return { status: 401, body: { message: `token ${token} revoked` } };
    return { body: { ok: true } };
  });
});
afterAll(() => server.close());
afterEach(() => {
  vi.useRealTimers();
  server.requests.length = 0;
  revoked.clear();
  issued = 0;
});

const api: ApiDefinition = {
  name: "Acme",
  servers: [{ url: "https://api.acme.test" }],
  env: { apiKey: "ACME_API_KEY", baseUrl: "ACME_BASE_URL" },
  securitySchemes: {
    oauth: { type: "oauth2", tokenUrl: "/oauth/token", env: "ACME_OAUTH" },
    basicAuth: { type: "basic", env: "ACME_BASIC_AUTH" },
  },
  security: [["oauth"]],
  operations: {
    listThings: { method: "get", path: "/things", group: "things", name: "list" },
    getAccount: { method: "get", path: "/account", group: "account", name: "get", security: [["basicAuth"]] },
  },
};

type Things = { things: { list(): Promise<unknown> }; account: { get(): Promise<unknown> } };
const acme = (options: Record<string, unknown> = {}) =>
  new KeysmithClient(
    api,
    { baseUrl: server.url, maxRetries: 0, env: {}, ...options },
    { OAuthTokens, schemeCredentials },
  ) as unknown as KeysmithClient<object> & Things;
const client = { clientId: "acme-app", clientSecret: CLIENT_SECRET };
const calls = () => server.requests.filter((request) => request.url !== "/oauth/token");
const tokenRequests = () => server.requests.filter((request) => request.url === "/oauth/token");

test("concurrent calls share one token request; the token is reused", async () => {
  const acmeClient = acme({ credentials: { oauth: client } });
  await Promise.all(Array.from({ length: 5 }, () => acmeClient.things.list()));
  await acmeClient.things.list();
  expect(tokenRequests()).toHaveLength(1);
  const [token] = tokenRequests();
  expect(token?.headers.authorization).toBe(`Basic ${btoa(`acme-app:${CLIENT_SECRET}`)}`);
  expect(new URLSearchParams(token?.body.toString()).get("grant_type")).toBe("client_credentials");
  expect(calls().map((request) => request.headers.authorization)).toEqual(Array(6).fill("Bearer tok-1-secret"));
});

test("a token is renewed shortly before it expires", async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  const acmeClient = acme({ credentials: { oauth: client } });
  await acmeClient.things.list();
  vi.setSystemTime(Date.now() + 3_500_000); // 100 s before expiry: still good
  await acmeClient.things.list();
  expect(tokenRequests()).toHaveLength(1);
  vi.setSystemTime(Date.now() + 60_000); // 40 s before expiry: renewed first
  await acmeClient.things.list();
  expect(tokenRequests()).toHaveLength(2);
  expect(calls().at(-1)?.headers.authorization).toBe("Bearer tok-2-secret");
});

test("a 401 gets one fresh token and one more try, never a loop", async () => {
  const acmeClient = acme({ credentials: { oauth: client } });
  await acmeClient.things.list();
  revoked.add("tok-1-secret");
  await acmeClient.things.list();
  expect(tokenRequests()).toHaveLength(2);
  expect(calls().map((request) => request.headers.authorization)).toEqual([
    "Bearer tok-1-secret",
    "Bearer tok-1-secret",
    "Bearer tok-2-secret",
  ]);
  revoked.add("tok-2-secret");
  revoked.add("tok-3-secret");
  await expect(acmeClient.things.list()).rejects.toThrow(AuthenticationError);
  expect(tokenRequests()).toHaveLength(3);
});

test("client id and secret from the scheme's variables; a refused token request is a typed error", async () => {
  const fromEnv = acme({ env: { ACME_OAUTH_CLIENT_ID: "acme-app", ACME_OAUTH_CLIENT_SECRET: CLIENT_SECRET } });
  await fromEnv.things.list();
  expect(fromEnv.credentials.status().schemes.oauth?.source).toBe("ACME_OAUTH_CLIENT_ID + ACME_OAUTH_CLIENT_SECRET");
  server.reply((request) =>
    request.url === "/oauth/token"
      ? { status: 401, body: { error: "invalid_client", error_description: `bad secret ${CLIENT_SECRET}` } }
      : { body: {} },
  );
  const lines: string[] = [];
  const logger = {
    error: (l: string) => lines.push(l),
    warn: (l: string) => lines.push(l),
    info: (l: string) => lines.push(l),
    debug: (l: string) => lines.push(l),
  };
  const refused = acme({ credentials: { oauth: client }, logLevel: "debug", logger });
  const error = await refused.things.list().catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(AuthenticationError);
  expect(error).toMatchObject({ code: "invalid_client", status: 401 });
  // the secret, echoed by the server, and the tokens never show
  for (const text of [
    String(error),
    inspect(error, { depth: 5 }),
    JSON.stringify(error),
    inspect(refused),
    lines.join("\n"),
  ]) {
    expect(text).not.toContain(CLIENT_SECRET);
    expect(text).not.toContain("tok-1-secret");
  }
  server.reply((request) =>
    request.url === "/oauth/token"
      ? { body: { access_token: `tok-${++issued}-secret`, expires_in: 3600 } }
      : { body: {} },
  );
});

test("HTTP Basic with a user name and password pair (Twilio's SID and token), per operation", async () => {
  const pair = acme({ credentials: { oauth: client, basicAuth: { username: "AC123", password: "pw-secret-99" } } });
  await pair.account.get();
  expect(calls().at(-1)?.headers.authorization).toBe(`Basic ${btoa("AC123:pw-secret-99")}`);
  const fromEnv = acme({
    credentials: { oauth: client },
    env: { ACME_BASIC_AUTH_USERNAME: "AC9", ACME_BASIC_AUTH_PASSWORD: "pw-env" },
  });
  await fromEnv.account.get();
  expect(calls().at(-1)?.headers.authorization).toBe(`Basic ${btoa("AC9:pw-env")}`);
  expect(inspect(pair)).not.toContain("pw-secret-99");
});
