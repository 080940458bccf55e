/**
 * Request/response hooks (`onRequest`, `onResponse`, `onError`), through the public API against a plain
 * loopback server: every attempt of a retried call seen with its number, headers added by a hook arriving
 * on the wire, the SDK's own headers refused, and a hook that throws, rejects or hangs failing the call with
 * a `HookError` (or the call's own reason when its deadline or signal ends it first).
 */
import {
  AbortError,
  type ClientOptions,
  ConfigurationError,
  ConnectionError,
  Erathos,
  type ErrorHookEvent,
  HookError,
  type Hooks,
  InternalServerError,
  NotFoundError,
  type RequestHookEvent,
  type ResponseHookEvent,
  TimeoutError,
} from "@keysmith/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { type Recorded, type Reply, recordingServer } from "../../../scripts/test/support/recording-server.js";
import { withFakeTime } from "./support/fake-time.js";
import { loadLazyCode } from "./support/lazy-code.js";

const KEY = "hk7Q2mVx9Lp4Rt8Nw3Zs6Yb1Jc5Fd0Gh2Kq4Mn6Pr8Tv0Wx";
const OK: Reply = { body: { count: 0, next_page: null, results: [] } };
let server: Awaited<ReturnType<typeof recordingServer>>;

beforeAll(async () => {
  server = await recordingServer(() => OK);
  // the SDK loads its retry and hook code on first use: loaded here, the fake time below cannot outrun it
  await loadLazyCode();
});
afterAll(() => server.close());
afterEach(() => {
  vi.useRealTimers();
  server.requests.length = 0;
  server.reply(() => OK);
});

const erathos = (options: ClientOptions = {}) => new Erathos({ apiKey: KEY, baseUrl: server.url, env: {}, ...options });

/** Answers with `replies` in turn, then `OK`. */
function script(...replies: Reply[]): void {
  let index = 0;
  server.reply(() => replies[index++] ?? OK);
}

type Seen =
  | { readonly hook: "onRequest"; readonly event: RequestHookEvent }
  | { readonly hook: "onResponse"; readonly event: ResponseHookEvent }
  | { readonly hook: "onError"; readonly event: ErrorHookEvent };

/** One event in a word: `request 1`, `response 1 503`, `error 2 ConnectionError retrying`. */
function oneLine(entry: Seen): string {
  if (entry.hook === "onRequest") return `request ${entry.event.attempt}`;
  if (entry.hook === "onResponse") return `response ${entry.event.attempt} ${entry.event.status}`;
  return `error ${entry.event.attempt} ${entry.event.error.name}${entry.event.retrying ? " retrying" : ""}`;
}

/** Hooks that record every event, in order. */
function recorder(): { seen: Seen[]; hooks: Hooks; summary: () => string[] } {
  const seen: Seen[] = [];
  return {
    seen,
    hooks: {
      onRequest: (event) => void seen.push({ hook: "onRequest", event }),
      onResponse: (event) => void seen.push({ hook: "onResponse", event }),
      onError: (event) => void seen.push({ hook: "onError", event }),
    },
    summary: () => seen.map(oneLine),
  };
}

/** The error a promise rejects with (failing the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail");
}

describe("every attempt", () => {
  test("503 then 200: each attempt is seen with its number, the operation, the method and the URL", async () => {
    script({ status: 503, body: { error: { code: "unavailable", message: "down" } } });
    const { seen, hooks, summary } = recorder();
    await withFakeTime(() => erathos({ hooks }).workspaces.list());
    expect(summary()).toEqual(["request 1", "response 1 503", "request 2", "response 2 200"]);
    for (const { event } of seen) {
      expect(event).toMatchObject({
        api: "Erathos",
        operation: { id: "listWorkspaces", group: "workspaces", name: "list" },
        method: "GET",
        url: `${server.url}/workspaces/`,
      });
    }
    const response = seen[1]?.hook === "onResponse" ? seen[1].event : undefined;
    expect(response?.headers["content-type"]).toBe("application/json");
    expect(response?.durationMs).toBeGreaterThanOrEqual(0);
    expect(server.requests).toHaveLength(2);
  });

  test("429 with Retry-After: the retry waits as asked, and both attempts are seen", async () => {
    script({ status: 429, headers: { "Retry-After": "2" }, body: { error: { code: "rate_limited" } } });
    const started: number[] = [];
    const { hooks, summary } = recorder();
    await withFakeTime(() =>
      erathos({ hooks }).workspaces.list(
        {},
        { hooks: { onRequest: () => void started.push(Date.now()) } }, // the call's own hooks, after the client's
      ),
    );
    expect(summary()).toEqual(["request 1", "response 1 429", "request 2", "response 2 200"]);
    const [first = 0, second = 0] = started;
    expect(second - first).toBeGreaterThanOrEqual(2000);
    expect(second - first).toBeLessThan(2200);
  });

  test("a lost connection then an answer: onError says the attempt is retried, then the next attempt", async () => {
    let attempts = 0;
    const flaky = async (request: Request) => {
      attempts += 1;
      if (attempts === 1) throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
      return globalThis.fetch(request);
    };
    const { seen, hooks, summary } = recorder();
    await withFakeTime(() => erathos({ hooks, fetch: flaky }).workspaces.list());
    expect(summary()).toEqual(["request 1", "error 1 ConnectionError retrying", "request 2", "response 2 200"]);
    expect(seen[1]?.event).toMatchObject({ retrying: true, operation: { id: "listWorkspaces" } });
  });

  test("the error the call throws is shown to onError once: the very same object", async () => {
    const { seen, hooks, summary } = recorder();
    server.reply(() => ({ status: 404, body: { error: { code: "not_found", message: "no such job" } } }));
    const error = await failure(erathos({ hooks }).jobs.get({ workspace_id: "w1", job_id: "j1" }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(summary()).toEqual(["request 1", "response 1 404", "error 1 NotFoundError"]);
    const reported = seen[2]?.hook === "onError" ? seen[2].event : undefined;
    expect(reported?.error).toBe(error);
    expect(reported?.operation).toEqual({ id: "getJob", group: "jobs", name: "get" });
  });

  test("persistent 503: every retry is seen, then the typed error once", async () => {
    server.reply(() => ({ status: 503, body: { error: { code: "unavailable" } } }));
    const { hooks, summary } = recorder();
    const error = await withFakeTime(() => failure(erathos({ hooks }).workspaces.list()));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(summary()).toEqual([
      "request 1",
      "response 1 503",
      "request 2",
      "response 2 503",
      "request 3",
      "response 3 503",
      "error 3 InternalServerError",
    ]);
  });

  test("a failure before anything is sent is shown with attempt 0", async () => {
    const { hooks, summary } = recorder();
    const client = erathos({ hooks });
    const missing = await failure(client.jobs.list({ workspace_id: "" }));
    expect(missing).toBeInstanceOf(ConfigurationError);
    const aborted = await failure(client.workspaces.list({}, { signal: AbortSignal.abort() }));
    expect(aborted).toBeInstanceOf(AbortError);
    expect(summary()).toEqual(["error 0 ConfigurationError", "error 0 AbortError"]);
    expect(server.requests).toHaveLength(0);
  });

  test("path-style calls through fetchClient are seen too, with no operation", async () => {
    const { seen, hooks, summary } = recorder();
    await erathos({ hooks }).fetchClient.GET("/workspaces/");
    expect(summary()).toEqual(["request 1", "response 1 200"]);
    expect(seen[0]?.event).toMatchObject({ operation: undefined, method: "GET", url: `${server.url}/workspaces/` });
  });
});

describe("headers", () => {
  test("headers set by onRequest arrive at the server, on every attempt, each attempt starting afresh", async () => {
    script({ status: 502 });
    const client = erathos({
      hooks: {
        onRequest: ({ attempt, setHeader }) => {
          setHeader("x-attempt", String(attempt));
          if (attempt === 1) setHeader("x-first-only", "yes");
        },
      },
    });
    await withFakeTime(() =>
      client.workspaces.list(
        {},
        { hooks: { onRequest: ({ setHeader }) => setHeader("traceparent", "00-abc-def-01") } },
      ),
    );
    const sent = server.requests.map((request: Recorded) => ({
      attempt: request.headers["x-attempt"],
      first: request.headers["x-first-only"],
      trace: request.headers.traceparent,
      auth: request.headers.authorization,
    }));
    expect(sent).toEqual([
      { attempt: "1", first: "yes", trace: "00-abc-def-01", auth: `Api-Key ${KEY}` },
      { attempt: "2", first: undefined, trace: "00-abc-def-01", auth: `Api-Key ${KEY}` },
    ]);
  });

  test("a later hook sees the headers an earlier one set; credentials show as [REDACTED]", async () => {
    const shown: Readonly<Record<string, string>>[] = [];
    await erathos({ hooks: { onRequest: ({ setHeader }) => setHeader("x-trace-id", "t-1") } }).workspaces.list(
      {},
      { hooks: { onRequest: ({ headers }) => void shown.push(headers) } },
    );
    expect(shown[0]).toMatchObject({ "x-trace-id": "t-1", authorization: "[REDACTED]" });
    expect(JSON.stringify(shown)).not.toContain(KEY);
  });

  test.each([
    ["Authorization", "Bearer other"],
    ["authorization", "Api-Key forged"],
    ["Proxy-Authorization", "Basic x"],
    ["Cookie", "session=1"],
    ["Idempotency-Key", "k-1"],
  ])("setHeader refuses %s: a HookError, and nothing is sent", async (name, value) => {
    const error = await failure(
      erathos({ hooks: { onRequest: ({ setHeader }) => setHeader(name, value) } }).workspaces.list(),
    );
    expect(error).toBeInstanceOf(HookError);
    expect(error.cause).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(new RegExp(`may not set ${name}`));
    expect(server.requests).toHaveLength(0);
  });
});

describe("a hook that fails", () => {
  test("a throwing onRequest: a HookError naming the hook and the operation, nothing sent, no retry", async () => {
    const error = await failure(
      erathos({
        hooks: {
          onRequest: () => {
            throw new Error("tracer not ready");
          },
        },
      }).workspaces.list(),
    );
    expect(error).toBeInstanceOf(HookError);
    expect(error).toMatchObject({ hook: "onRequest", operation: "Erathos.workspaces.list", attempt: 1 });
    expect(error.message).toBe("Erathos.workspaces.list: the onRequest hook (attempt 1) failed: tracer not ready");
    expect((error.cause as Error).message).toBe("tracer not ready");
    expect(server.requests).toHaveLength(0);
  });

  test("a rejecting onResponse: a HookError, and a 503 is not retried after it", async () => {
    script({ status: 503 });
    const onError = vi.fn();
    const error = await failure(
      erathos({
        hooks: { onResponse: () => Promise.reject(new Error("metrics backend down")), onError },
      }).workspaces.list(),
    );
    expect(error).toMatchObject({ name: "HookError", hook: "onResponse", attempt: 1 });
    expect(server.requests).toHaveLength(1);
    // the call's error, a HookError, is shown to onError like any other
    expect(onError).toHaveBeenCalledOnce();
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ error, retrying: false });
  });

  test("a throwing onError: the call fails with its HookError, which names what it was handling", async () => {
    server.reply(() => ({ status: 404, body: { error: { code: "not_found" } } }));
    const error = await failure(
      erathos({
        hooks: {
          onError: () => {
            throw new Error("alerting failed");
          },
        },
      }).workspaces.list(),
    );
    expect(error).toBeInstanceOf(HookError);
    expect(error).toMatchObject({ hook: "onError", attempt: 1 });
    expect(error.message).toMatch(/the onError hook on NotFoundError \(attempt 1\) failed: alerting failed/);
  });

  test("a hook that never settles is cut by `timeout`", async () => {
    const error = await withFakeTime(() =>
      failure(
        erathos({ timeout: 1_000, hooks: { onRequest: () => new Promise<void>(() => undefined) } }).workspaces.list(),
      ),
    );
    expect(error).toBeInstanceOf(HookError);
    expect(error.message).toMatch(/the onRequest hook \(attempt 1\) did not settle within 1000 ms/);
    expect(error.cause).toBeInstanceOf(TimeoutError);
    expect(server.requests).toHaveLength(0);
  });

  test("an onResponse that never settles is cut by `timeout` too, after the answer came", async () => {
    const error = await withFakeTime(() =>
      failure(
        erathos({ timeout: 1_000, hooks: { onResponse: () => new Promise<void>(() => undefined) } }).workspaces.list(),
      ),
    );
    expect(error).toMatchObject({ name: "HookError", hook: "onResponse" });
    expect(server.requests).toHaveLength(1);
  });

  test("the deadline and the caller's signal end a hanging hook with the call's own reason", async () => {
    const hang = { onRequest: () => new Promise<void>(() => undefined) };
    const late = await withFakeTime(() =>
      failure(erathos({ deadline: 500, timeout: 10_000, hooks: hang }).workspaces.list()),
    );
    expect(late).toBeInstanceOf(TimeoutError);
    expect(late.message).toMatch(/deadline of 500 ms/);

    const controller = new AbortController();
    let hookCalled: () => void = () => undefined;
    const called = new Promise<void>((resolve) => {
      hookCalled = resolve;
    });
    const pending = failure(
      erathos({
        hooks: {
          onRequest: () => {
            hookCalled();
            return new Promise<void>(() => undefined);
          },
        },
      }).workspaces.list({}, { signal: controller.signal }),
    );
    await called;
    controller.abort();
    expect(await pending).toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(0);
  });

  test("an onError that never settles after the caller aborted is not waited for", async () => {
    const controller = new AbortController();
    const onError = vi.fn(() => new Promise<void>(() => undefined));
    const pending = failure(
      erathos({
        hooks: {
          onRequest: () => {
            controller.abort();
          },
          onError,
        },
      }).workspaces.list({}, { signal: controller.signal }),
    );
    expect(await pending).toBeInstanceOf(AbortError);
    expect(onError).toHaveBeenCalledOnce();
  });

  test("a hook that is not a function is refused by name, at construction or at the call", async () => {
    const notAFunction = { onResponse: "log" } as unknown as Hooks;
    expect(() => erathos({ hooks: notAFunction })).toThrow(ConfigurationError);
    expect(() => erathos({ hooks: notAFunction })).toThrow(/`onResponse` in hooks must be a function/);
    const error = await failure(erathos().workspaces.list({}, { hooks: notAFunction }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(server.requests).toHaveLength(0);
  });

  test("a connection failure that is not retried reaches onError once, not twice", async () => {
    const onError = vi.fn();
    const down = async () => {
      throw new TypeError("fetch failed");
    };
    const error = await failure(erathos({ maxRetries: 0, fetch: down, hooks: { onError } }).workspaces.list());
    expect(error).toBeInstanceOf(ConnectionError);
    expect(onError).toHaveBeenCalledOnce();
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ error, retrying: false, attempt: 1 });
  });
});
