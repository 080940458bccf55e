import { getEventListeners } from "node:events";
import { createRequire } from "node:module";
import { demoErathosWorkspaceId, demoKeys, getKeyManagerDemoPublicKey } from "@keysmith/mock-server";
import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  Epsilon3,
  Erathos,
  GetKeyManager,
  InternalServerError,
  isKeysmithError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseParseError,
  SignatureError,
  TimeoutError,
  UnprocessableEntityError,
} from "@keysmith/sdk";
import { delay, HttpResponse, http } from "msw";
import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { loadLazyCode } from "./support/lazy-code.js";
import { useMock } from "./support/use-mock.js";

const { mock, requests, server } = useMock();
const WORKSPACES = "https://api.erathos.com/developers/workspaces/";
const json = (body: Parameters<typeof HttpResponse.json>[0], status = 200, headers: Record<string, string> = {}) =>
  HttpResponse.json(body, { status, headers });
const erathos = (options: ConstructorParameters<typeof Erathos>[0] = {}) =>
  new Erathos({ apiKey: demoKeys.erathos.key, env: { ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId }, ...options });

/** A handler that answers with `faults` in turn, then lets the mock answer. */
function faults(method: "get" | "post", url: string, ...answers: (() => Response | Promise<Response>)[]) {
  let index = 0;
  server.use(
    http[method](url, () => {
      const answer = answers[index++];
      return answer ? answer() : undefined;
    }),
  );
}

// the SDK loads its retry code on a process's first retry: loaded here, the fake time below cannot outrun it
beforeAll(loadLazyCode);
afterEach(() => {
  vi.useRealTimers();
});

/**
 * Advances fake time in steps until `promise` settles, letting real work between steps finish (the mock
 * signs GetKeyManager answers with WebCrypto, which runs outside the fake clock).
 */
async function settle<T>(promise: Promise<T>, stepMs = 100): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  // bounded by real time (performance.now is not faked): WebCrypto work may take a while under load
  const started = performance.now();
  while (!done && performance.now() - started < 20_000) {
    await new Promise((resolve) => setImmediate(resolve));
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  return tracked;
}

describe("retries", () => {
  test("503 then 200: retried after a backoff, and the caller sees the data", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    faults("get", WORKSPACES, () => json({ error: { code: "unavailable", message: "down", request_id: "r1" } }, 503));
    const pending = erathos().workspaces.list();
    await vi.advanceTimersByTimeAsync(1000);
    expect((await pending).count).toBe(1);
    expect(requests).toHaveLength(2);
  });

  test.each([
    ["Retry-After in seconds", { "Retry-After": "2" }, 2000],
    ["Retry-After as an HTTP date", { "Retry-After": "Fri, 01 Jan 2027 00:00:03 GMT" }, 3000],
    ["retry-after-ms", { "retry-after-ms": "1500" }, 1500],
  ])("429 with %s is honoured to the millisecond", async (_case, headers, wait) => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: new Date("2027-01-01T00:00:00Z") });
    faults(
      "get",
      WORKSPACES,
      () => json({ error: { code: "rate_limited", message: "slow down", request_id: "r" } }, 429, headers),
      () => json({ error: { code: "rate_limited", message: "slow down", request_id: "r" } }, 429, headers),
    );
    const pending = erathos().workspaces.list();
    await vi.advanceTimersByTimeAsync(wait - 1);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(wait);
    expect((await pending).count).toBe(1);
    expect(requests).toHaveLength(3);
  });

  test("a Retry-After past maxRetryDelay is capped", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    faults("get", WORKSPACES, () => json({}, 503, { "Retry-After": "3600" }));
    const pending = erathos({ maxRetryDelay: 1000 }).workspaces.list();
    await vi.advanceTimersByTimeAsync(1000);
    expect(requests).toHaveLength(2);
    await pending;
  });

  test("persistent 503: maxRetries (default 2) retries, then the typed error", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const down = () => json({ error: { code: "unavailable", message: "down", request_id: "r" } }, 503);
    faults("get", WORKSPACES, down, down, down, down);
    const pending = erathos()
      .workspaces.list()
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10_000);
    const error = await pending;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503 });
    expect(requests).toHaveLength(3);
  });

  test("the deadline stops retries that would end past it", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const slow = () => json({}, 503, { "Retry-After": "5" });
    faults("get", WORKSPACES, slow, slow, slow);
    const pending = erathos({ deadline: 3000, maxRetryDelay: 10_000 })
      .workspaces.list()
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(await pending).toBeInstanceOf(InternalServerError);
    expect(requests).toHaveLength(1);
  });

  test("a POST without an Idempotency-Key is never sent twice", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    faults("post", "https://api.epsilon3.io/v1/runs", () => json({ message: "bad gateway" }, 502));
    const client = new Epsilon3({ apiKey: demoKeys.epsilon3.workspace });
    const runs = mock.apis.epsilon3.state.runs.length;
    const pending = client.runs
      .start({ procedure_id: mock.apis.epsilon3.state.procedures[0]?._id ?? "" })
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await pending).toBeInstanceOf(InternalServerError);
    expect(requests).toHaveLength(1);
    expect(mock.apis.epsilon3.state.runs).toHaveLength(runs);
  });

  test("a write with an Idempotency-Key: the same key on every attempt, and the write applied once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const runtime = mock.apis.getkeymanager;
    const route = runtime.definition.spec.operations.find((op) => op.operationId === "createLicenseKeys");
    if (!route) throw new Error("no createLicenseKeys route");
    let first = true;
    server.use(
      http.post("https://api.getkeymanager.com/api/v1/create-license-keys", async ({ request }) => {
        if (!first) return undefined;
        first = false;
        await runtime.handle(route, request, {}); // the write happens…
        return json({}, 503); // …but the answer is lost
      }),
    );
    const answer = await settle(
      new GetKeyManager({ apiKey: demoKeys.getkeymanager.production }).licenses.create({
        license_keys: ["ONCE-0001"],
        product_id: 1,
        activation_limit: 1,
        validity: 365,
        status: "available",
      }),
    );
    expect([answer.response.created, answer.response.duplicate]).toEqual([1, 0]);
    const keys = requests.map((request) => request.headers.get("idempotency-key"));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(runtime.state.licenses.filter((license) => license.license_key === "ONCE-0001")).toHaveLength(1);
  });

  test("a reset connection is retried; a second one becomes a ConnectionError", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    faults("get", WORKSPACES, () => HttpResponse.error());
    const recovered = erathos().workspaces.list();
    await vi.advanceTimersByTimeAsync(1000);
    expect((await recovered).count).toBe(1);

    faults(
      "get",
      WORKSPACES,
      () => HttpResponse.error(),
      () => HttpResponse.error(),
    );
    const failed = erathos({ maxRetries: 1 })
      .workspaces.list()
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await failed).toBeInstanceOf(ConnectionError);
  });

  test("an attempt that stalls past `timeout` is a TimeoutError, and is retried", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    faults("get", WORKSPACES, async () => {
      await delay("infinite");
      return json({});
    });
    const retried = erathos({ timeout: 1000 }).workspaces.list();
    await vi.advanceTimersByTimeAsync(2000);
    expect((await retried).count).toBe(1);

    faults("get", WORKSPACES, async () => {
      await delay("infinite");
      return json({});
    });
    const failed = erathos({ timeout: 1000, maxRetries: 0 })
      .workspaces.list()
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1000);
    const error = await failed;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(
      /GET https:\/\/api\.erathos\.com\/developers\/workspaces\/ timed out after 1000 ms/,
    );
  });
});

describe("AbortSignal", () => {
  test("aborting while waiting to retry ends the call with AbortError", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    faults("get", WORKSPACES, () => json({}, 503, { "Retry-After": "5" }));
    const controller = new AbortController();
    const pending = erathos()
      .workspaces.list({}, { signal: controller.signal })
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect(await pending).toBeInstanceOf(AbortError);
    expect(requests).toHaveLength(1);
  });

  test("an aborted signal sends nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(erathos().workspaces.list({}, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(requests).toHaveLength(0);
  });

  test("one signal over many calls leaves no listener behind", async () => {
    const controller = new AbortController();
    const client = erathos();
    for (let i = 0; i < 25; i++) await client.workspaces.list({}, { signal: controller.signal });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});

describe("typed errors", () => {
  test.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [502, InternalServerError],
  ])("%i is %o, from one factory", async (status, ErrorClass) => {
    faults("get", WORKSPACES, () =>
      json({ error: { code: `e${status}`, message: "nope", request_id: "req_1" } }, status),
    );
    const error = await erathos({ maxRetries: 0 })
      .workspaces.list()
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, code: `e${status}`, requestId: "req_1" });
  });

  test("a 401 carries the API's troubleshooting hint", async () => {
    const error = await new Erathos({
      apiKey: "Ab3dEf9h.x".padEnd(20, "z"),
      env: { ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId },
    }).workspaces
      .list()
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(
      /check the key has not expired and is sent as `Authorization: Api-Key <key>`/,
    );
    const gkm = await new GetKeyManager({ apiKey: "00000000-0000-4000-8000-000000000000" }).products
      .list()
      .catch((thrown: unknown) => thrown);
    expect((gkm as Error).message).toMatch(/Codes 100 \(invalid key\), 101 \(inactive key\)/);
  });

  test("RateLimitError exposes retryAfter and the RateLimit-* values", async () => {
    faults("get", WORKSPACES, () =>
      json({ error: { code: "slow", message: "slow down", request_id: "r" } }, 429, {
        "Retry-After": "7",
        "RateLimit-Limit": "100",
        "RateLimit-Remaining": "0",
        "RateLimit-Reset": "7",
      }),
    );
    const error = await erathos({ maxRetries: 0 })
      .workspaces.list()
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfter: 7, rateLimit: { limit: 100, remaining: 0, reset: 7 } });
  });

  test("GetKeyManager's retry_after in the body counts when there is no header", async () => {
    faults("get", "https://api.getkeymanager.com/api/v1/get-all-products", () =>
      json({ response: { code: 429, message: "Rate limited", timestamp: 1 }, retry_after: 12 }, 429),
    );
    const error = await new GetKeyManager({ apiKey: demoKeys.getkeymanager.production, maxRetries: 0 }).products
      .list()
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: "RateLimitError", retryAfter: 12, code: "429" });
  });

  test.each([
    [
      "a truncated body",
      () => new HttpResponse('{"count": 1, "results": [', { headers: { "Content-Type": "application/json" } }),
    ],
    [
      "a non-JSON body",
      () => new HttpResponse("<html>oops</html>", { headers: { "Content-Type": "application/json" } }),
    ],
    [
      "the wrong content type",
      () => new HttpResponse("<html>maintenance</html>", { headers: { "Content-Type": "text/html" } }),
    ],
  ])("%s is a ResponseParseError", async (_case, answer) => {
    faults("get", WORKSPACES, answer);
    const error = await erathos()
      .workspaces.list()
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ResponseParseError);
    expect(error).toMatchObject({ status: 200 });
  });

  test("type guards work across copies of the SDK, where instanceof cannot", async () => {
    const other = createRequire(import.meta.url)("../dist/index.cjs") as typeof import("@keysmith/sdk");
    const error = await new other.Erathos({
      apiKey: demoKeys.erathos.key,
      env: { ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId },
    }).jobs
      .get({ job_id: "00000000-0000-4000-8000-000000000000" })
      .catch((thrown: unknown) => thrown);
    expect(error).not.toBeInstanceOf(NotFoundError);
    expect(isKeysmithError(error, "NotFoundError")).toBe(true);
    expect(isKeysmithError(error, "APIError")).toBe(true);
    expect(isKeysmithError(error, "RateLimitError")).toBe(false);
    expect(isKeysmithError(new Error("plain"))).toBe(false);
  });
});

test("withResponse() gives the request id and the rate-limit state", async () => {
  const { data, response, requestId, rateLimit } = await erathos().workspaces.list().withResponse();
  expect(data.count).toBe(1);
  expect(response.status).toBe(200);
  expect(requestId).toMatch(/^req_erathos_/);
  expect(rateLimit).toEqual({ limit: 1000, remaining: 999, reset: 60 });
});

test("the answer withResponse() gives is read already, and still reads as json, text, bytes, a blob, a stream or a clone (MSW's subclass)", async () => {
  const { data, response } = await erathos().workspaces.list().withResponse();
  expect(response).toBeInstanceOf(Response);
  expect(response.headers.get("content-type")).toMatch(/json/);
  const twin = response.clone();
  expect(await response.json()).toEqual(data);
  expect(JSON.parse(await response.text())).toEqual(data);
  expect(JSON.parse(new TextDecoder().decode(await response.arrayBuffer()))).toEqual(data);
  expect(JSON.parse(await (await response.blob()).text())).toEqual(data);
  expect(JSON.parse(await new Response(response.body).text())).toEqual(data);
  expect(await twin.json()).toEqual(data);
  expect(twin.status).toBe(200);
});

describe("signed responses (GetKeyManager)", () => {
  test("verified with GETKEYMANAGER_PUBLIC_KEY", async () => {
    const client = new GetKeyManager({
      env: {
        GETKEYMANAGER_API_KEY: demoKeys.getkeymanager.production,
        GETKEYMANAGER_PUBLIC_KEY: getKeyManagerDemoPublicKey,
      },
    });
    expect((await client.products.list()).response.products).toHaveLength(2);
  });

  test("a tampered body or another key is a SignatureError", async () => {
    server.use(
      http.get("https://api.getkeymanager.com/api/v1/get-all-products", async ({ request }) => {
        const route = mock.apis.getkeymanager.definition.spec.operations.find(
          (op) => op.operationId === "listProducts",
        );
        if (!route) throw new Error("no route");
        const genuine = await (await mock.apis.getkeymanager.handle(route, request, {})).json();
        genuine.response.products[0].name = "Tampered";
        return json(genuine);
      }),
    );
    const client = new GetKeyManager({
      apiKey: demoKeys.getkeymanager.production,
      publicKey: getKeyManagerDemoPublicKey,
    });
    await expect(client.products.list()).rejects.toThrow(SignatureError);
    await expect(client.products.list()).rejects.toThrow(/does not verify/);
    server.resetHandlers();

    const otherKey = await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    );
    const spki = btoa(
      String.fromCharCode(...new Uint8Array(await crypto.subtle.exportKey("spki", otherKey.publicKey))),
    );
    const wrong = new GetKeyManager({
      apiKey: demoKeys.getkeymanager.production,
      publicKey: `-----BEGIN PUBLIC KEY-----\n${spki}\n-----END PUBLIC KEY-----`,
    });
    await expect(wrong.products.list()).rejects.toThrow(/does not verify/);
  });

  test('an installation without a key pair ("Private key not set") fails verification, as in the vendor SDKs', async () => {
    server.use(
      http.get("https://api.getkeymanager.com/api/v1/get-all-products", () =>
        json({
          response: { code: 810, message: "All products", products: [], timestamp: 1 },
          response_base64: "e30=",
          private_key_used: "global",
          signature: "Private key not set",
        }),
      ),
    );
    const client = new GetKeyManager({
      apiKey: demoKeys.getkeymanager.production,
      publicKey: getKeyManagerDemoPublicKey,
    });
    await expect(client.products.list()).rejects.toThrow(/is not base64 .*no signing key set/);
  });
});
