/**
 * Typed calls build their requests themselves (openapi-fetch is loaded only by path-style calls through
 * `fetchClient`). What they put on the wire is checked against bare openapi-fetch sending the same call to the
 * same plain loopback server, and, where the two differ by design, against the OpenAPI specification's own
 * examples of its default parameter style.
 */
import { type ApiDefinition, ConfigurationError, KeysmithClient } from "@keysmith/sdk/core";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type Recorded, recordingServer } from "../../../scripts/test/support/recording-server.js";

let server: Awaited<ReturnType<typeof recordingServer>>;
beforeAll(async () => {
  server = await recordingServer((request) =>
    request.url.startsWith("/empty")
      ? { status: 204 }
      : request.url.startsWith("/form")
        ? { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "state=done&count=2" }
        : { body: { ok: true } },
  );
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const api: ApiDefinition = {
  name: "Acme",
  servers: [{ url: "https://api.acme.test" }],
  env: { apiKey: "ACME_API_KEY", baseUrl: "ACME_BASE_URL" },
  securitySchemes: { key: { type: "header", name: "X-Api-Key" } },
  security: [["key"]],
  operations: {
    search: {
      method: "get",
      path: "/folders/{folderId}/items",
      group: "items",
      name: "search",
      queryParams: ["tag", "limit", "q", "empty"],
      headerParams: ["X-Trace"],
    },
    create: {
      method: "post",
      path: "/folders/{folderId}/items",
      group: "items",
      name: "create",
      queryParams: ["dryRun"],
      body: "flat",
    },
    remove: { method: "delete", path: "/empty/{id}", group: "items", name: "remove", emptySuccess: true },
    status: { method: "get", path: "/form/status", group: "items", name: "status", response: "text" },
  },
};

type Acme = KeysmithClient<object> & {
  items: {
    search(input: Record<string, unknown>): Promise<unknown>;
    create(input: Record<string, unknown>): Promise<unknown>;
    remove(input: Record<string, unknown>): Promise<unknown>;
    status(): Promise<unknown>;
  };
};
const KEY = "acme_key_0123456789";
const acme = (options: Record<string, unknown> = {}) =>
  new KeysmithClient(api, { apiKey: KEY, baseUrl: server.url, env: {}, maxRetries: 0, ...options }) as Acme;
const bare = () => createClient<Record<string, never>>({ baseUrl: server.url, headers: { "X-Api-Key": KEY } });

/** The parts of a request both clients must agree on. */
function wire(request: Recorded | undefined) {
  return {
    method: request?.method,
    url: request?.url,
    contentType: request?.headers["content-type"],
    key: request?.headers["x-api-key"],
    trace: request?.headers["x-trace"],
    body: request?.body.toString(),
  };
}

/** Sends a call through both clients and gives what each put on the wire. */
async function both(ours: () => Promise<unknown>, theirs: () => Promise<unknown>) {
  await ours();
  await theirs();
  const [first, second] = server.requests;
  return { ours: wire(first), theirs: wire(second) };
}

describe("what a typed call sends, beside bare openapi-fetch", () => {
  test("path parameters encoded; scalar and list query parameters in form + explode; header parameters", async () => {
    const path = { folderId: "a b/ç?#" };
    const query = { tag: ["red", "green & blue"], limit: 5, q: "x=1&y=2", empty: undefined };
    const { ours, theirs } = await both(
      () => acme().items.search({ ...path, ...query, "X-Trace": "t-1" }),
      () =>
        bare().request(
          "get",
          "/folders/{folderId}/items" as never,
          {
            params: { path, query, header: { "X-Trace": "t-1" } },
          } as never,
        ),
    );
    expect(ours).toEqual(theirs);
    expect(ours.url).toBe("/folders/a%20b%2F%C3%A7%3F%23/items?tag=red&tag=green%20%26%20blue&limit=5&q=x%3D1%26y%3D2");
  });

  test("a JSON body with its query parameter: the same bytes and Content-Type", async () => {
    const body = { name: "Flight", tags: ["a"], nested: { deep: [1, null] } };
    const { ours, theirs } = await both(
      () => acme().items.create({ folderId: "f1", dryRun: true, ...body }),
      () =>
        bare().request(
          "post",
          "/folders/{folderId}/items" as never,
          {
            params: { path: { folderId: "f1" }, query: { dryRun: true } },
            body,
          } as never,
        ),
    );
    expect(ours).toEqual(theirs);
    expect(JSON.parse(ours.body ?? "")).toEqual(body);
  });

  test("a 204 answers nothing; headers given to the client and to the call both travel, the call's winning", async () => {
    const client = acme({ headers: { "X-Trace": "from-client", "X-Other": "kept" } });
    await expect(client.items.remove({ id: 7 })).resolves.toBeUndefined();
    await client.items.search({ folderId: "f", "X-Trace": "from-param" });
    const [removal, search] = server.requests;
    expect([removal?.method, removal?.url, removal?.headers["x-trace"], removal?.headers["x-other"]]).toEqual([
      "DELETE",
      "/empty/7",
      "from-client",
      "kept",
    ]);
    expect(removal?.headers["content-type"]).toBeUndefined();
    expect(search?.headers["x-trace"]).toBe("from-param");
  });
});

describe("where the two differ by design", () => {
  test("an object in a query parameter of no declared style is written as OpenAPI's default, form + explode", async () => {
    // the specification's example for `form`, explode: color={R:100,G:200,B:150} is "R=100&G=200&B=150";
    // openapi-fetch writes deepObject (`color[R]=100`) by default instead
    await acme().items.search({ folderId: "f", q: { R: 100, G: 200, B: 150 } });
    expect(server.requests[0]?.url).toBe("/folders/f/items?R=100&G=200&B=150");
  });

  test("a date is written as ISO 8601, not as Date#toString", async () => {
    await acme().items.search({ folderId: "f", q: new Date("2026-12-02T10:00:00Z") });
    expect(server.requests[0]?.url).toBe("/folders/f/items?q=2026-12-02T10%3A00%3A00.000Z");
  });
});

describe("a request that cannot be written is refused before anything is sent", () => {
  test.each([
    ["a missing path parameter", { q: "x" }, /Acme\.items\.search: pass `folderId` \(it is required\)/],
    ["an object inside a list", { folderId: "f", tag: [{ a: 1 }] }, /the parameter `tag` holds a nested value/],
  ])("%s", async (_, input, message) => {
    const error = await acme()
      .items.search(input)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });

  test("a body JSON cannot write (a BigInt)", async () => {
    const error = await acme()
      .items.create({ folderId: "f", count: 10n })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/Acme\.items\.create: cannot write the body as JSON/);
    expect(server.requests).toHaveLength(0);
  });
});

describe("fetchClient: openapi-fetch, loaded by the first path-style call", () => {
  test("middleware registered before the load runs on that first call, and can be ejected", async () => {
    const client = acme();
    const seen: string[] = [];
    const middleware = {
      onRequest({ request }: { request: Request }) {
        seen.push(new URL(request.url).pathname);
      },
    };
    client.fetchClient.use(middleware);
    await client.fetchClient.GET("/first" as never);
    client.fetchClient.eject(middleware);
    await client.fetchClient.GET("/second" as never);
    expect(seen).toEqual(["/first"]);
    expect(server.requests.map((request) => [request.url, request.headers["x-api-key"]])).toEqual([
      ["/first", KEY],
      ["/second", KEY],
    ]);
  });

  test("a middleware of the wrong shape is refused when registered, not at the next call", () => {
    expect(() => acme().fetchClient.use({} as never)).toThrow(TypeError);
  });
});

test("the answer a typed call gives back from a real server is read already, and still reads as json, text, bytes, a blob, a stream or a clone", async () => {
  const { data, response } = await (
    acme().items.search({ folderId: "f1" }) as unknown as {
      withResponse(): Promise<{ data: unknown; response: Response }>;
    }
  ).withResponse();
  expect(data).toEqual({ ok: true });
  expect(response).toBeInstanceOf(Response);
  const twin = response.clone();
  expect(await response.json()).toEqual(data);
  expect(await response.text()).toBe('{"ok":true}');
  expect(new TextDecoder().decode(await response.arrayBuffer())).toBe('{"ok":true}');
  expect(await (await response.blob()).text()).toBe('{"ok":true}');
  expect(await new Response(response.body).text()).toBe('{"ok":true}');
  expect(await twin.json()).toEqual(data);
});

test("a settled answer reads as form data too, from the bytes read within the attempt", async () => {
  const { data, response } = await (
    acme().items.status() as unknown as { withResponse(): Promise<{ data: unknown; response: Response }> }
  ).withResponse();
  expect(data).toBe("state=done&count=2");
  const form = await response.formData();
  expect([...form.entries()]).toEqual([
    ["state", "done"],
    ["count", "2"],
  ]);
});

test("a custom fetch that hands back the same answer every time: it is read each time, and nothing piles up on it", async () => {
  const answer = new Response('{"ok":true}', { headers: { "Content-Type": "application/json" } });
  const client = acme({ fetch: async () => answer });
  const depth = (value: object) => {
    let levels = 0;
    for (let prototype = Object.getPrototypeOf(value); prototype; prototype = Object.getPrototypeOf(prototype)) {
      levels += 1;
    }
    return levels;
  };
  expect(await client.items.search({ folderId: "f1" })).toEqual({ ok: true });
  const levels = depth(answer);
  for (let call = 0; call < 5; call++) expect(await client.items.search({ folderId: "f1" })).toEqual({ ok: true });
  expect(depth(answer)).toBe(levels);
});
