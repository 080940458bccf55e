/**
 * Descriptions as users bring them (scripts/test/corpus/repros/, the smallest reproduction of each defect class
 * found on real descriptions): each generates, type-checks strictly, and its client sends what the description
 * says, checked on the wire by a plain loopback server.
 */
import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ConfigurationError, MissingCredentialError, TimeoutError } from "@keysmith/sdk/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runGenerator } from "../support/run-generator.js";
import { generatedClientClass } from "./support/generated-client.js";
import { type Recorded, recordingServer } from "./support/recording-server.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const repros = join(root, "scripts/test/corpus/repros");
const scratch = join(root, ".tmp", "descriptions-test");

/** repro file → the client name it is generated under. */
const REPROS = {
  "per-op-security.yaml": "per-op",
  "auth-variants.yaml": "cookie-auth",
  "auth-and.yaml": "and-auth",
  "non-json-bodies.yaml": "bodies",
  "binary-response.yaml": "binary",
  "multi-media-response.yaml": "logs",
  "query-style.yaml": "query-style",
  "relative-server.yaml": "relative",
  "no-operation-id.yaml": "no-ids",
  "name-collision.yaml": "collision",
  "box-hash-operationid.yaml": "hash",
  "bom.json": "bom",
  "external-mapping.yaml": "mapping",
  "swagger2.yaml": "swagger2",
  "multi/root.yaml": "multi",
} as const;

const warnings = new Map<string, string>();
let server: Awaited<ReturnType<typeof recordingServer>>;

beforeAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  for (const [file, name] of Object.entries(REPROS)) {
    const lines: string[] = [];
    const code = await runGenerator(["--spec", join(repros, file), "--name", name, "--out", join(scratch, name)], {
      log: (line) => lines.push(line),
      error: (line) => lines.push(line),
    });
    warnings.set(file, lines.join("\n"));
    expect(code, `${file}:\n${lines.join("\n")}`).toBe(0);
  }
  server = await recordingServer(() => ({ status: 200, body: {} }));
}, 120_000);
afterAll(async () => {
  await server?.close();
  await rm(scratch, { recursive: true, force: true });
});

type Method = (input?: unknown, options?: unknown) => Promise<unknown>;
type AnyClient = Record<string, Record<string, Method>> & { credentials: { status(): Record<string, unknown> } };

async function client(name: string, options: Record<string, unknown> = {}): Promise<AnyClient> {
  const Client = await generatedClientClass<AnyClient>(join(scratch, name), name);
  return new Client({ baseUrl: server.url, maxRetries: 0, env: {}, ...options });
}

async function sent(call: () => Promise<unknown>): Promise<Recorded> {
  server.requests.length = 0;
  await call();
  const [request] = server.requests;
  if (!request) throw new Error("nothing was sent");
  return request;
}

test("every repro generates and type-checks under strict, exactOptionalPropertyTypes and noUncheckedIndexedAccess", async () => {
  const names = Object.values(REPROS);
  await mkdir(scratch, { recursive: true });
  // how an application sees the generated types: bytes as a Blob, or a stream when asked; files in a body
  await writeFile(
    join(scratch, "app.ts"),
    `import { Binary } from "./binary/client.js";
import { Bodies } from "./bodies/client.js";
const binary = new Binary({ apiKey: "k" });
const blob: Blob = await binary.default.download({ id: "1" });
const stream: ReadableStream<Uint8Array> = await binary.default.download({ id: "1" }, { stream: true });
// @ts-expect-error: without \`stream: true\` the answer is a Blob, not a stream
const notStream: ReadableStream<Uint8Array> = await binary.default.download({ id: "1" });
const bodies = new Bodies({ apiKey: "k" });
await bodies.default.upload({ body: { name: "a", file: new Blob(["x"]) } });
await bodies.default.upload({ body: new FormData() });
export { blob, notStream, stream };
`,
  );
  await writeFile(
    join(scratch, "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.base.json",
      compilerOptions: {
        noEmit: true,
        skipLibCheck: false,
        paths: { "@keysmith/sdk/core": ["../../packages/sdk/src/core/index.ts"] },
      },
      include: [...names.map((name) => `${name}/*.ts`), "app.ts"],
    }),
  );
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const output = await promisify(execFile)(process.execPath, [tsc, "-p", join(scratch, "tsconfig.json")], {
    cwd: root,
  }).then(
    () => "",
    (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}`,
  );
  expect(output).toBe("");
}, 120_000);

describe("descriptions as they come", () => {
  test("no operationId: named from method and path, with a warning", async () => {
    expect(warnings.get("no-operation-id.yaml")).toMatch(/GET \/health has no operationId; named it "getHealth"/);
    const request = await sent(async () => (await client("no-ids")).default?.getHealth?.());
    expect([request.method, request.url]).toEqual(["GET", "/health"]);
  });

  test("list_items and listItems: both reachable, deterministically named, with a warning", async () => {
    expect(warnings.get("name-collision.yaml")).toMatch(/default\.listItems is taken; it is default\.listItems2/);
    const collision = await client("collision");
    expect((await sent(() => collision.default?.listItems?.() ?? Promise.resolve())).url).toBe("/a");
    expect((await sent(() => collision.default?.listItems2?.() ?? Promise.resolve())).url).toBe("/b");
  });

  test("`#` in an operationId and path: the fragment is not sent, the query is", async () => {
    const hash = await client("hash");
    const method = Object.values(hash.default ?? {})[0];
    const request = await sent(() => method?.({ id: "f 1", fields: "shared_link" }) ?? Promise.resolve());
    expect([request.method, request.url]).toEqual(["PUT", "/files/f%201?fields=shared_link"]);
  });

  test("a relative first server: refused without a base URL, naming it; resolved against one", async () => {
    await expect(client("relative", { baseUrl: undefined })).rejects.toThrow(ConfigurationError);
    await expect(client("relative", { baseUrl: undefined })).rejects.toThrow(
      /first server "\/v1" is relative; pass `baseUrl`/,
    );
    const request = await sent(async () => (await client("relative")).default?.ping?.());
    expect(request.url).toBe("/v1/ping");
  });

  test("a byte-order mark, a description across files, a dangling discriminator mapping: all generate and call", async () => {
    expect(warnings.get("multi/root.yaml")).toMatch(/bundled the \$refs to other files/);
    expect(warnings.get("external-mapping.yaml")).toMatch(/dropped the mapping "A" → "models\/records\.yml#\/A"/);
    expect((await sent(async () => (await client("multi")).default?.listPets?.())).url).toBe("/pets");
    const posted = await sent(async () => (await client("mapping")).default?.createRecord?.({ body: { type: "A" } }));
    expect(JSON.parse(posted.body.toString())).toEqual({ type: "A" });
    const bom = await client("bom");
    const [method] = Object.values(bom.default ?? {});
    expect((await sent(() => method?.() ?? Promise.resolve())).method).toBe("GET");
  });

  test("Swagger 2.0 is converted; its per-operation security sends the key", async () => {
    expect(warnings.get("swagger2.yaml")).toMatch(/converted Swagger 2\.0 to OpenAPI 3\.0/);
    const request = await sent(async () => (await client("swagger2", { apiKey: "k-2" })).default?.listPets?.());
    expect([request.url, request.headers["x-key"]]).toEqual(["/pets", "k-2"]);
  });
});

describe("security from the operation", () => {
  test("declared per operation only: the key is sent, and status() names its source per scheme", async () => {
    const perOp = await client("per-op", { apiKey: "secret-1" });
    const request = await sent(() => perOp.default?.getThing?.({ id: "7" }) ?? Promise.resolve());
    expect([request.url, request.headers["x-api-key"]]).toEqual(["/things/7", "secret-1"]);
    expect(perOp.credentials.status().schemes).toEqual({
      key: { style: "X-Api-Key: <key>", source: "the `apiKey` option" },
    });
    const fromEnv = await client("per-op", { env: { PER_OP_API_KEY: "secret-2" } });
    expect((await sent(() => fromEnv.default?.getThing?.({ id: "7" }) ?? Promise.resolve())).headers["x-api-key"]).toBe(
      "secret-2",
    );
  });

  test("a requirement the client cannot meet fails before sending, naming the scheme and how to give it", async () => {
    const none = await client("per-op");
    server.requests.length = 0;
    const error = await (none.default?.getThing?.({ id: "7" }) ?? Promise.resolve()).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(MissingCredentialError);
    expect((error as Error).message).toMatch(
      /getThing needs X-Api-Key: <key> \(pass `apiKey` or set PER_OP_API_KEY\); nothing was sent/,
    );
    expect(server.requests).toHaveLength(0);
  });

  test("an apiKey in a cookie is sent as that cookie", async () => {
    const request = await sent(async () => (await client("cookie-auth", { apiKey: "s3ss;on" })).default?.getMe?.());
    expect(request.headers.cookie).toBe("SESSIONID=s3ss%3Bon");
  });

  test("two schemes required together: both are sent", async () => {
    const both = await client("and-auth", { credentials: { appId: "app-1", appKey: "key-1" } });
    const request = await sent(() => both.default?.getMe?.() ?? Promise.resolve());
    expect([request.headers["x-app-id"], request.headers["x-app-key"]]).toEqual(["app-1", "key-1"]);
    // the API's own requirement, unmet: refused at construction, naming what is missing
    await expect(client("and-auth", { credentials: { appId: "app-1" } })).rejects.toThrow(/needs X-App-Key: <key>/);
  });
});

describe("bodies and answers by media type", () => {
  test("form-urlencoded, multipart (a Blob and a text field) and */* bodies are encoded as declared", async () => {
    const bodies = await client("bodies");
    const form = await sent(
      () => bodies.default?.postForm?.({ body: { email: "ada@example.com" } }) ?? Promise.resolve(),
    );
    expect([form.headers["content-type"], form.body.toString()]).toEqual([
      "application/x-www-form-urlencoded",
      "email=ada%40example.com",
    ]);
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const upload = await sent(
      () =>
        bodies.default?.upload?.({ body: { name: "report", file: new Blob([bytes], { type: "application/pdf" }) } }) ??
        Promise.resolve(),
    );
    const type = String(upload.headers["content-type"]);
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    // the parts, read back as a server would
    const parsed = await new Response(new Uint8Array(upload.body), { headers: { "Content-Type": type } }).formData();
    expect(parsed.get("name")).toBe("report");
    const file = parsed.get("file") as File;
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
    const any = await sent(() => bodies.default?.postAny?.({ body: { a: "b" } }) ?? Promise.resolve());
    expect([any.headers["content-type"], JSON.parse(any.body.toString())]).toEqual(["application/json", { a: "b" }]);
  });

  test("a binary download comes back byte-exact, as a Blob", async () => {
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28]);
    server.reply(() => ({ headers: { "Content-Type": "application/octet-stream" }, body: bytes }));
    const binary = await client("binary");
    const blob = (await binary.default?.download?.({ id: "f1" })) as Blob;
    expect(blob).toBeInstanceOf(Blob);
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(bytes);
    server.reply(() => ({ status: 200, body: {} }));
  });

  test("a streamed download that stalls fails by `timeout` between chunks, however long it runs", async () => {
    // two chunks, then silence: the stream must fail, not hang
    const stalling = createServer((_request, response) => {
      response.writeHead(200, { "Content-Type": "application/octet-stream" });
      response.write(Buffer.from([1, 2, 3]));
      response.write(Buffer.from([4, 5]));
    });
    await new Promise<void>((resolve) => stalling.listen(0, "127.0.0.1", resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}`;
      const binary = await client("binary", { baseUrl, timeout: 200 });
      const stream = (await binary.default?.download?.({ id: "f1" }, { stream: true })) as ReadableStream<Uint8Array>;
      const reader = stream.getReader();
      const received: number[] = [];
      const failure = await (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return undefined;
          received.push(...value);
        }
      })().catch((error: unknown) => error);
      expect(received).toEqual([1, 2, 3, 4, 5]);
      expect(failure).toBeInstanceOf(TimeoutError);
      expect(String(failure)).toMatch(/stalled for 200 ms/);
    } finally {
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });

  test("an operation answering text or JSON asks for both, and takes either", async () => {
    const logs = await client("logs");
    server.reply(() => ({ headers: { "Content-Type": "text/plain" }, body: "line 1\nline 2" }));
    server.requests.length = 0;
    expect(await logs.default?.getLogs?.()).toBe("line 1\nline 2");
    expect(server.requests[0]?.headers.accept).toBe("application/json, text/plain");
    server.reply(() => ({ body: "as JSON" }));
    expect(await logs.default?.getLogs?.()).toBe("as JSON");
    server.reply(() => ({ status: 200, body: {} }));
  });
});

describe("parameters as their style says", () => {
  test("form without explode and a content-typed (JSON) parameter, on the wire", async () => {
    const styled = await client("query-style");
    const request = await sent(
      () =>
        styled.default?.listItems?.({ fields: ["id", "name"], filter: { status: "open", n: 2 } }) ?? Promise.resolve(),
    );
    const url = new URL(request.url, "http://x");
    expect(url.searchParams.get("fields")).toBe("id,name");
    expect(JSON.parse(url.searchParams.get("filter") ?? "")).toEqual({ status: "open", n: 2 });
    expect(request.url).toContain("fields=id,name");
  });

  test.each([
    ["form, exploded list", { style: "form" }, { ids: [1, 2] }, "ids=1&ids=2"],
    ["form, exploded object", { style: "form" }, { ids: { a: 1, b: "x y" } }, "a=1&b=x%20y"],
    ["form, object not exploded", { style: "form", explode: false }, { ids: { a: 1, b: 2 } }, "ids=a,1,b,2"],
    ["spaceDelimited", { style: "spaceDelimited", explode: false }, { ids: [1, 2] }, "ids=1%202"],
    ["pipeDelimited", { style: "pipeDelimited", explode: false }, { ids: [1, 2] }, "ids=1|2"],
    ["deepObject, nested", { style: "deepObject" }, { ids: { a: { b: 1 }, c: [2] } }, "ids[a][b]=1&ids[c][0]=2"],
    ["allowReserved", { allowReserved: true }, { ids: "a/b:c" }, "ids=a/b:c"],
    ["reserved encoded by default", {}, { ids: "a/b:c" }, "ids=a%2Fb%3Ac"],
  ])("%s", async (_case, style, query, want) => {
    const { serializeQuery } = await import("@keysmith/sdk/core");
    expect(serializeQuery(query, { ids: style })).toBe(want);
  });

  test("a value the default style cannot write (an object inside an object) is a ConfigurationError, and nothing is sent", async () => {
    const perOp = await client("per-op", { apiKey: "k" });
    server.requests.length = 0;
    const error = await (perOp.default?.getThing?.({ id: "7", deep: { a: { b: 1 } } }) ?? Promise.resolve()).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/PerOp\.default\.getThing: the parameter `deep` holds a nested value/);
    expect(server.requests).toHaveLength(0);
  });

  test("a nested value a style cannot write is a ConfigurationError naming the parameter", async () => {
    const { serializeQuery } = await import("@keysmith/sdk/core");
    expect(() => serializeQuery({ ids: [{ a: 1 }] }, { ids: { style: "form" } }, "Acme.things.list")).toThrow(
      ConfigurationError,
    );
    expect(() => serializeQuery({ ids: [{ a: 1 }] }, {}, "Acme.things.list")).toThrow(/`ids` holds a nested value/);
  });
});

describe("cookie parameters and streamed uploads", () => {
  const spec = `openapi: 3.0.3
info: { title: Extras, version: "1" }
servers: [{ url: https://api.example.com }]
paths:
  /session:
    get:
      operationId: getSession
      parameters:
        - { name: tenant, in: cookie, required: true, schema: { type: string } }
        - { name: theme, in: cookie, schema: { type: string } }
      responses: { "204": { description: ok } }
  /blobs:
    put:
      operationId: putBlob
      requestBody:
        required: true
        content: { application/octet-stream: { schema: { type: string, format: binary } } }
      responses: { "204": { description: ok } }
`;
  beforeAll(async () => {
    await mkdir(join(scratch, "extras-spec"), { recursive: true });
    await writeFile(join(scratch, "extras-spec", "extras.yaml"), spec);
    const code = await runGenerator(
      ["--spec", join(scratch, "extras-spec", "extras.yaml"), "--name", "extras", "--out", join(scratch, "extras")],
      { log: () => {}, error: () => {} },
    );
    expect(code).toBe(0);
  });

  test("cookie parameters travel in the Cookie header", async () => {
    const extras = await client("extras");
    const request = await sent(
      () => extras.default?.getSession?.({ tenant: "acme; x=1", theme: "dark" }) ?? Promise.resolve(),
    );
    expect(request.headers.cookie).toBe("tenant=acme%3B%20x%3D1; theme=dark");
  });

  test("a binary body given as a ReadableStream is streamed as is", async () => {
    const extras = await client("extras");
    const stream = new Blob([new Uint8Array([1, 2, 3, 255])]).stream();
    const request = await sent(() => extras.default?.putBlob?.({ body: stream }) ?? Promise.resolve());
    expect([request.headers["content-type"], [...request.body]]).toEqual(["application/octet-stream", [1, 2, 3, 255]]);
  });
});

test("an empty answer where JSON is promised is a ResponseParseError, not undefined", async () => {
  const { ResponseParseError } = await import("@keysmith/sdk/core");
  server.reply(() => ({ status: 200 }));
  const perOp = await client("per-op", { apiKey: "k" });
  await expect(perOp.default?.getThing?.({ id: "1" })).rejects.toThrow(ResponseParseError);
  await expect(perOp.default?.getThing?.({ id: "1" })).rejects.toThrow(/answered 200 with no body; JSON was expected/);
  server.reply(() => ({ status: 200, body: {} }));
});

test("a binary answer as a stream when asked: the same bytes", async () => {
  const bytes = Buffer.from([1, 2, 3, 0xff, 0x00, 0x80]);
  server.reply(() => ({ headers: { "Content-Type": "application/octet-stream" }, body: bytes }));
  const binary = await client("binary");
  const stream = (await binary.default?.download?.({ id: "f1" }, { stream: true })) as ReadableStream<Uint8Array>;
  expect(stream).toBeInstanceOf(ReadableStream);
  expect(Buffer.from(await new Response(stream).arrayBuffer())).toEqual(bytes);
  server.reply(() => ({ status: 200, body: {} }));
});
