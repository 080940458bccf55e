/**
 * The SDK against what the vendors publish, not against Keysmith's own mock: GetKeyManager's reference
 * (every endpoint it lists, every example answer it prints, replayed by a plain loopback server), Epsilon3's
 * Builds examples and Erathos's orchestration examples. Each documented answer must parse to the documented
 * payload or throw the typed error for its code, and must be valid against the spec's own schema.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type MockApiSpec, mockApis } from "@keysmith/mock-server";
import { APIError, Epsilon3, Erathos, GetKeyManager } from "@keysmith/sdk";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getKeyManagerApi } from "../src/generated/getkeymanager/api.js";
import otherReferences from "./vendor/epsilon3-erathos-reference.json" with { type: "json" };
import gkmReference from "./vendor/getkeymanager-reference.json" with { type: "json" };

/** One scripted answer at a time, and every request as it arrived. */
let answer: { status: number; body: unknown } = { status: 200, body: {} };
const seen: { method: string; url: string; authorization: string | undefined; body: string }[] = [];
let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      seen.push({
        method: request.method ?? "",
        url: request.url ?? "",
        authorization: request.headers.authorization,
        body,
      });
      response.writeHead(answer.status, { "Content-Type": "application/json" });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const KEY = "2964c3c9-0b5d-4d89-b3ac-4668f30bc492"; // the reference's own example key
const gkm = (apiKey = KEY) => new GetKeyManager({ apiKey, baseUrl: `${base}/api/v1`, maxRetries: 0 });

type Method = (input?: unknown) => Promise<unknown>;
function methodFor(client: GetKeyManager, method: string, path: string): { call: Method; id: string } {
  const entry = Object.entries(getKeyManagerApi.operations).find(
    ([, op]) => op.method === method.toLowerCase() && op.path === path,
  );
  if (!entry) throw new Error(`no operation for ${method} ${path}`);
  const [id, op] = entry;
  const group = (client as unknown as Record<string, Record<string, Method>>)[op.group];
  const call = group?.[op.name];
  if (!call) throw new Error(`no method ${op.group}.${op.name}`);
  return { call, id };
}

/** A validator for a documented status's schema of an operation, from the spec the mock is built from. */
function schemaCheck(spec: MockApiSpec, operationId: string, status: string) {
  const route = spec.operations.find((op) => op.operationId === operationId);
  const schema = route?.responses[status];
  if (!schema) throw new Error(`${operationId} documents no ${status}`);
  return compile(spec, schema);
}

function compile(spec: MockApiSpec, schema: unknown) {
  const rewrite = (node: unknown): unknown =>
    Array.isArray(node)
      ? node.map(rewrite)
      : node && typeof node === "object"
        ? Object.fromEntries(
            Object.entries(node).map(([key, value]) => [
              key,
              key === "$ref" && typeof value === "string"
                ? value.replace("#/components/schemas/", "#/$defs/")
                : rewrite(value),
            ]),
          )
        : node;
  return new Ajv2020({ strict: false }).compile({
    ...(rewrite(schema) as object),
    $defs: rewrite(spec.schemas) as object,
  });
}

describe("GetKeyManager, as its public reference documents it", () => {
  test("every endpoint of the reference has a typed method, marked documented", () => {
    expect(gkmReference.endpoints).toHaveLength(37);
    const client = gkm();
    for (const endpoint of gkmReference.endpoints) {
      const { id } = methodFor(client, endpoint.method, endpoint.path);
      expect(getKeyManagerApi.operations[id]?.source, `${endpoint.method} ${endpoint.path}`).toBe("documented");
    }
  });

  test.each([
    ["a UUID, as the reference's examples", KEY],
    ["the portal's km_live_ form", "km_live_0123456789abcdefABCDEF"],
  ])("%s is sent as `Authorization: Bearer <key>`", async (_case, key) => {
    answer = { status: 200, body: gkmReference.examples.find((example) => example.path === "/get-all-products")?.body };
    seen.length = 0;
    const { response } = await gkm(key).products.list();
    expect(response.code).toBe(810);
    expect(seen.map((request) => [request.method, request.url, request.authorization])).toEqual([
      ["GET", "/api/v1/get-all-products", `Bearer ${key}`],
    ]);
  });

  test("code 210 inside an HTTP 200 to verify is a typed error with that code and status", async () => {
    answer = { status: 200, body: { response: { code: 210, message: "Invalid license key", timestamp: 1708999231 } } };
    const error = await gkm()
      .licenses.verify({ license_key: "x", identifier: "y" })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ name: "NotFoundError", status: 200, code: "210" });
    expect((error as Error).message).toContain("Invalid license key");
  });

  const examples = gkmReference.examples.map(
    (example) => [`${example.method} ${example.path}: ${example.title}`, example] as const,
  );
  test.each(examples)("%s", async (_title, example) => {
    const client = gkm();
    const { call, id } = methodFor(client, example.method, example.path);
    const op = getKeyManagerApi.operations[id];
    const body = example.body as { response: { code: number | string; message: string } };
    const code = String(body.response.code);
    answer = { status: example.httpStatus, body };
    const input = example.path.includes("{slug}") ? { slug: "acme" } : {};
    const success = example.httpStatus === 200 && (op?.successCodes ?? []).includes(code);
    const spec = mockApis.getkeymanager.spec;
    if (success) {
      // the documented answer, as the SDK returns it and as the spec describes it
      expect(await call(input)).toEqual(body);
      const validate = schemaCheck(spec, id, "200");
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      return;
    }
    const error = (await call(input).catch((thrown: unknown) => thrown)) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect([error.status, error.code]).toEqual([example.httpStatus, code]);
    const mapped = spec.resultCode?.errors?.[code];
    if (mapped && example.httpStatus !== 429) expect(error.name).toBe(mapped);
    expect(error.message).toContain(body.response.message);
    if (example.httpStatus === 200) expect(op?.successCodes).not.toContain(code);
    const validate = compile(spec, { $ref: spec.resultCode?.failure });
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe("GetKeyManager's endpoints without printed examples, by the vendor SDK's code table", () => {
  test.each([
    ["getContractInfo", "contracts", "getInfo", 1204, undefined],
    ["generateContractLicenseKeys", "contracts", "generate", 1300, 1205],
    ["destroyContractLicenseKey", "contracts", "destroy", 1400, 1401],
    ["destroyAllContractLicenseKeys", "contracts", "destroyAll", 1500, 1501],
    ["getProductChangelog", "products", "changelog", 1600, 1601],
  ] as const)("%s: %i resolves, %s is a typed error", async (_id, group, name, ok, bad) => {
    const call = (gkm() as unknown as Record<string, Record<string, Method>>)[group]?.[name];
    if (!call) throw new Error(`no ${group}.${name}`);
    answer = { status: 200, body: { response: { code: ok, message: "ok", timestamp: 1 } } };
    await expect(call({ slug: "acme" })).resolves.toMatchObject({ response: { code: ok } });
    if (bad === undefined) return;
    answer = { status: 200, body: { response: { code: bad, message: "no", timestamp: 1 } } };
    await expect(call({ slug: "acme" })).rejects.toMatchObject({ status: 200, code: String(bad) });
  });

  test("the public changelog is called without any key", async () => {
    answer = { status: 200, body: { response: { code: 1600, message: "ok", timestamp: 1 } } };
    seen.length = 0;
    await gkm().products.changelog({ slug: "acme" });
    expect(seen[0]?.authorization).toBeUndefined();
    expect(seen[0]?.url).toBe("/api/v1/products/acme/changelog");
  });

  test("a code mapped to a class refines a 4xx, never a 5xx", async () => {
    answer = { status: 500, body: { response: { code: 210, message: "boom", timestamp: 1 } } };
    await expect(gkm().products.list()).rejects.toMatchObject({ name: "InternalServerError", status: 500 });
  });
});

describe("Epsilon3 and Erathos, as their references show them", () => {
  test("the Builds examples parse through the SDK and match the spec", async () => {
    const epsilon3 = new Epsilon3({ apiKey: "e3_key", baseUrl: base, maxRetries: 0 });
    const [parts, part] = otherReferences.epsilon3.examples;
    answer = { status: 200, body: parts?.body };
    expect(await epsilon3.builds.listParts()).toEqual(parts?.body);
    answer = { status: 200, body: part?.body };
    const got = await epsilon3.builds.getPart({ partId: "vnWtKWleNWiuSQbBPNdE5F" });
    expect(got.details[0]?.name).toBe("External Id");
    expect(seen.at(-1)?.authorization).toBe(`Basic ${btoa("e3_key:")}`);
    const spec = mockApis.epsilon3.spec;
    for (const [operationId, example] of [
      ["listParts", parts],
      ["getPart", part],
    ] as const) {
      const validate = schemaCheck(spec, operationId, "200");
      expect(validate(example?.body), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  test("Erathos: the list example parses, and the documented create request (header and body null) is sent as is", async () => {
    const erathos = new Erathos({ apiKey: "erathos-key", baseUrl: base, env: { ERATHOS_WORKSPACE_ID: "ws" } });
    const [list, create] = otherReferences.erathos.examples;
    answer = { status: 200, body: list?.body };
    expect(await erathos.webhooks.list()).toEqual(list?.body);
    const validate = schemaCheck(mockApis.erathos.spec, "listWebhooks", "200");
    expect(validate(list?.body), JSON.stringify(validate.errors)).toBe(true);

    answer = { status: 201, body: { _id: "123e4567-e89b-12d3-a456-426614174000" } };
    seen.length = 0;
    await erathos.webhooks.create(create?.body as Parameters<Erathos["webhooks"]["create"]>[0]);
    expect(JSON.parse(seen[0]?.body ?? "{}")).toEqual(create?.body);
    expect(seen[0]?.authorization).toBe("Api-Key erathos-key");
  });
});
