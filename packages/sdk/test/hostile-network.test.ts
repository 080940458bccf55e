import { randomBytes } from "node:crypto";
import { getEventListeners } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import {
  AbortError,
  AuthenticationError,
  ConfigurationError,
  ConnectionError,
  CredentialSourceError,
  Epoch,
  Epsilon3,
  Erathos,
  GetKeyManager,
  InternalServerError,
  InvalidCredentialError,
  isKeysmithError,
  type KeysmithError,
  type Logger,
  RateLimitError,
  RedirectError,
  ResponseParseError,
  ResponseTooLargeError,
  TimeoutError,
} from "@keysmith/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { withFakeTime } from "./support/fake-time.js";
import {
  answer,
  endless,
  HostileServer,
  resetMidBody,
  stallBeforeHeaders,
  stallMidBody,
  truncated,
} from "./support/hostile-server.js";
import { loadLazyCode } from "./support/lazy-code.js";

/**
 * The SDK against a server that misbehaves on purpose (stalls, resets, truncation, redirects, echoes of
 * the key in every encoding, huge and empty bodies, odd Retry-After values), for each of the four clients:
 * every failure must be a Keysmith error of the right class, after the right number of attempts, with no
 * secret in what the caller can print.
 */

const server = new HostileServer();
const elsewhere = new HostileServer();
beforeAll(async () => {
  await server.listen();
  await elsewhere.listen();
  // the SDK loads its retry code on a process's first retry: loaded here, the fake time below cannot outrun it
  await loadLazyCode();
});
afterAll(async () => {
  await server.close();
  await elsewhere.close();
});
afterEach(() => {
  vi.useRealTimers();
});

const alnum = (length: number) =>
  Array.from(
    randomBytes(length),
    (byte) => "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"[byte % 56],
  ).join("");

type Options = {
  apiKey?: string | (() => string | Promise<string>);
  timeout?: number;
  deadline?: number;
  maxRetries?: number;
  maxRetryDelay?: number;
  maxResponseBytes?: number;
  logger?: Logger;
  logLevel?: "debug" | "info";
};

/** Each client with a recognisable key, and a call that lists something (a JSON answer is expected). */
interface Subject {
  readonly name: string;
  readonly key: string;
  list(baseUrl: string, options?: Options, signal?: AbortSignal): Promise<unknown>;
}

const subjects: Subject[] = [
  {
    name: "Epsilon3",
    key: `e3_${alnum(40)}`,
    list(baseUrl, options = {}, signal) {
      return new Epsilon3({ apiKey: this.key, baseUrl, env: {}, ...options }).dictionaries.list(
        signal ? { signal } : {},
      );
    },
  },
  {
    name: "Epoch",
    key: alnum(40),
    list(baseUrl, options = {}, signal) {
      return new Epoch({ apiKey: this.key, baseUrl, env: {}, ...options }).events.list({}, signal ? { signal } : {});
    },
  },
  {
    name: "Erathos",
    key: alnum(48),
    list(baseUrl, options = {}, signal) {
      return new Erathos({ apiKey: this.key, baseUrl, env: {}, ...options }).workspaces.list(
        {},
        signal ? { signal } : {},
      );
    },
  },
  {
    name: "GetKeyManager",
    key: `km_live_${alnum(32)}`,
    list(baseUrl, options = {}, signal) {
      return new GetKeyManager({ apiKey: this.key, baseUrl, env: {}, ...options }).products.list(
        signal ? { signal } : {},
      );
    },
  },
];

/** The error a promise rejects with (failing the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<KeysmithError> {
  try {
    await promise;
  } catch (error) {
    expect(isKeysmithError(error), `not a Keysmith error: ${inspect(error)}`).toBe(true);
    return error as KeysmithError;
  }
  throw new Error("expected the call to fail");
}

/** Every way the caller can print an error: none may show the secret or a recognisable part of it. */
function expectNoLeak(error: unknown, forms: readonly string[]): void {
  const printed = [
    String(error),
    (error as Error).stack ?? "",
    inspect(error, { depth: 10 }),
    JSON.stringify(error),
    inspect((error as Error).cause, { depth: 10 }),
  ].join("\n");
  for (const form of forms) {
    expect(printed.toLowerCase()).not.toContain(form.toLowerCase());
    // a third of the key in a row is already an echo of it
    const window = Math.max(8, Math.ceil(form.length / 3));
    for (let start = 0; start + window <= form.length; start += window) {
      expect(printed).not.toContain(form.slice(start, start + window));
    }
  }
}

let scenario = 0;
/** A fresh behaviour name per test, so hit counts never mix. */
const route = (target: HostileServer, behaviour: Parameters<HostileServer["on"]>[1]) =>
  target.on(`s${++scenario}`, behaviour);
const hitsOf = (target: HostileServer, baseUrl: string) => target.hits(new URL(baseUrl).pathname.slice(1));

function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (line: string) => lines.push(line);
  return { lines, error: push, warn: push, info: push, debug: push };
}

describe.each(subjects)("$name against a hostile server", (subject) => {
  test("a body that stalls after the headers ends by `timeout`, and the caller sees a TimeoutError", async () => {
    const base = route(server, stallMidBody(200));
    const error = await failure(subject.list(base, { timeout: 150, maxRetries: 0 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(hitsOf(server, base)).toHaveLength(1);
  });

  test("a stalled error body ends by `timeout` too", async () => {
    const base = route(server, stallMidBody(404));
    expect(await failure(subject.list(base, { timeout: 150, maxRetries: 0 }))).toBeInstanceOf(TimeoutError);
  });

  test("a stalled body is retried like any timeout, then given up", async () => {
    const base = route(server, stallMidBody(200));
    const error = await withFakeTime(() => failure(subject.list(base, { timeout: 1_000, maxRetries: 1 })));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(hitsOf(server, base)).toHaveLength(2);
  });

  test("the caller's signal ends a stalled body with AbortError", async () => {
    const base = route(server, stallMidBody(200));
    const controller = new AbortController();
    const pending = failure(subject.list(base, { maxRetries: 0 }, controller.signal));
    await server.reached(new URL(base).pathname.slice(1));
    controller.abort();
    expect(await pending).toBeInstanceOf(AbortError);
  });

  test("`deadline` ends an attempt in flight, long before `timeout`", async () => {
    const base = route(server, stallBeforeHeaders);
    const error = await withFakeTime(() => failure(subject.list(base, { deadline: 2_000, timeout: 10_000 })));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/deadline of 2000 ms/);
    expect(hitsOf(server, base)).toHaveLength(1);
  });

  test("a reset while reading an error body is a ConnectionError, not a raw TypeError", async () => {
    const base = route(server, resetMidBody(404));
    const error = await failure(subject.list(base, { maxRetries: 0 }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(/broke while reading the 404 answer/);
  });

  test("a truncated body is a ConnectionError", async () => {
    const base = route(server, truncated);
    expect(await failure(subject.list(base, { maxRetries: 0 }))).toBeInstanceOf(ConnectionError);
  });

  test("an answer past maxResponseBytes stops being read: ResponseTooLargeError", async () => {
    const base = route(server, endless);
    const error = await failure(subject.list(base, { maxResponseBytes: 1024 * 1024, maxRetries: 0 }));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).limit).toBe(1024 * 1024);
    const declared = route(server, (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(2 ** 31) });
      res.write("[");
    });
    expect(await failure(subject.list(declared, { maxRetries: 0 }))).toBeInstanceOf(ResponseTooLargeError);
  });

  test("an empty 200 or a 204 where JSON is documented is a ResponseParseError, never undefined", async () => {
    for (const empty of [answer(200, undefined), answer(204, undefined)]) {
      const base = route(server, empty);
      expect(await failure(subject.list(base, { maxRetries: 0 }))).toBeInstanceOf(ResponseParseError);
    }
  });

  test("a server echoing the key in every encoding gets none of it printed", async () => {
    const { key } = subject;
    const forms = [
      key,
      key.toLowerCase(),
      key.toUpperCase(),
      btoa(key),
      btoa(`${key}:`),
      encodeURIComponent(`${key}/`),
      `${key.slice(0, -4)}****`,
      `****${key.slice(4)}`,
    ];
    const base = route(server, (req, res) => {
      const echoed = forms.join(" | ");
      const body = JSON.stringify({
        error: { code: "unauthorized", message: `bad key ${echoed}`, detail: req.headers.authorization ?? "" },
        message: `bad key ${echoed}`,
        response: { code: 100, message: `bad key ${echoed}` },
      });
      res.writeHead(401, { "Content-Type": "application/json", "X-Echo": btoa(key) });
      res.end(body);
    });
    const logger = collectingLogger();
    const error = await failure(subject.list(base, { maxRetries: 0, logger, logLevel: "debug" }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expectNoLeak(error, [key, btoa(key), btoa(`${key}:`)]);
    expectNoLeak(logger.lines.join("\n"), [key]);
  });

  test("a credential function that throws: a CredentialSourceError whose cause is redacted", async () => {
    // the key is known to the client (used once), then the function fails, quoting it
    let calls = 0;
    const apiKey = () => {
      calls += 1;
      if (calls === 1) return subject.key;
      throw new Error(`vault refused ${subject.key} (${btoa(subject.key)})`);
    };
    const base = route(server, answer(500, {}));
    await failure(subject.list(base, { apiKey, maxRetries: 0 }));
    const error = await failure(subject.list(base, { apiKey, maxRetries: 0 }));
    expect(error).toBeInstanceOf(CredentialSourceError);
    expect(error.message).toMatch(/the `apiKey` function failed: vault refused \[REDACTED\]/);
    expectNoLeak(error, [subject.key, btoa(subject.key)]);
  });

  test("a credential function that never settles ends by `timeout`, by the signal and by the deadline", async () => {
    const base = route(server, answer(200, []));
    const apiKey = () => new Promise<string>(() => undefined);
    const error = await failure(subject.list(base, { apiKey, timeout: 100 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/the `apiKey` function did not answer within 100 ms/);
    const controller = new AbortController();
    const pending = failure(subject.list(base, { apiKey }, controller.signal));
    controller.abort();
    expect(await pending).toBeInstanceOf(AbortError);
    expect(await failure(subject.list(base, { apiKey, deadline: 100 }))).toBeInstanceOf(TimeoutError);
    expect(hitsOf(server, base)).toHaveLength(0);
  });
});

describe("redirects", () => {
  const key = alnum(48);
  const erathos = (baseUrl: string) =>
    new Erathos({ apiKey: key, baseUrl, env: { ERATHOS_WORKSPACE_ID: "ws_1" }, maxRetries: 0 });
  const secret = { name: "DB_PASSWORD", value: `pw-${alnum(24)}` };

  test("a 307 to another origin never carries the key or the body there", async () => {
    const target = route(elsewhere, answer(201, { id: 1 }));
    const base = route(server, (_req, res) => res.writeHead(307, { Location: `${target}/stolen` }).end());
    const error = await failure(erathos(base).secrets.create(secret));
    expect(error).toBeInstanceOf(RedirectError);
    expect(error.message).toMatch(/another origin/);
    expect(hitsOf(elsewhere, target)).toHaveLength(0);
    expect(hitsOf(server, base)).toHaveLength(1);
  });

  test("a 308 to another origin for a GET with credentials is refused too", async () => {
    const target = route(elsewhere, answer(200, { count: 0, results: [] }));
    const base = route(server, (_req, res) => res.writeHead(308, { Location: `${target}/workspaces/` }).end());
    expect(await failure(erathos(base).workspaces.list())).toBeInstanceOf(RedirectError);
    expect(hitsOf(elsewhere, target)).toHaveLength(0);
  });

  test("a 307 within the origin is followed with the key and the body", async () => {
    const base = route(server, (req, res, hit) => {
      if (hit === 1) res.writeHead(307, { Location: `${req.url}moved/` }).end();
      else answer(201, { id: 7, name: secret.name, created_at: "2026-01-01T00:00:00Z" })(req, res, hit, server);
    });
    await erathos(base).secrets.create(secret);
    const [first, second] = hitsOf(server, base);
    expect(second?.path).toMatch(/moved\/$/);
    expect(second?.body).toBe(first?.body);
    expect(second?.headers.authorization).toBe(`Api-Key ${key}`);
  });

  test("a 303 after a POST becomes a GET without the body", async () => {
    const base = route(server, (req, res, hit) => {
      if (hit === 1) res.writeHead(303, { Location: `${req.url}result/` }).end();
      else answer(201, { id: 8, name: secret.name, created_at: "2026-01-01T00:00:00Z" })(req, res, hit, server);
    });
    await erathos(base).secrets.create(secret);
    const second = hitsOf(server, base)[1];
    expect(second?.method).toBe("GET");
    expect(second?.body).toBe("");
  });

  test("never to plain http off loopback, and never more than 5 in a row", async () => {
    const away = route(server, (_req, res) => res.writeHead(302, { Location: "http://api.example.com/x" }).end());
    const error = await failure(erathos(away).workspaces.list());
    expect(error).toBeInstanceOf(RedirectError);
    expect(error.message).toMatch(/plain http off loopback/);
    const loop = route(server, (req, res) => res.writeHead(302, { Location: req.url ?? "/" }).end());
    expect((await failure(erathos(loop).workspaces.list())).message).toMatch(/more than 5 redirects/);
    expect(hitsOf(server, loop)).toHaveLength(6);
  });

  test("a GET without credentials may follow a redirect to another origin, credential headers stripped", async () => {
    const target = route(elsewhere, answer(200, { response: { code: 1600, message: "ok", changelog: [] } }));
    const base = route(server, (_req, res) => res.writeHead(302, { Location: `${target}/changelog` }).end());
    const client = new GetKeyManager({ apiKey: `km_live_${alnum(32)}`, baseUrl: base, env: {}, maxRetries: 0 });
    await client.products.changelog({ slug: "demo" });
    const [seen] = hitsOf(elsewhere, target);
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.path).toBe("/changelog");
  });
});

describe("retry waits", () => {
  const key = alnum(48);
  const waits = (lines: readonly string[]) =>
    lines.flatMap((line) => {
      const found = /retrying in (\d+) ms/.exec(line);
      return found ? [Number(found[1])] : [];
    });
  const erathos = (baseUrl: string, options: Options = {}) =>
    new Erathos({ apiKey: key, baseUrl, env: {}, ...options }).workspaces.list();

  test.each([
    ["a negative Retry-After", { "Retry-After": "-5" }],
    ["a Retry-After that is not a number or a date", { "Retry-After": "soon" }],
    ["a Retry-After that only looks like a date", { "Retry-After": "Mon, 99 Foo 2026" }],
  ])("%s is ignored: every retry backs off as usual", async (_, headers) => {
    const base = route(server, answer(503, { error: { message: "down" } }, headers));
    const logger = collectingLogger();
    const error = await withFakeTime(() => failure(erathos(base, { logger, logLevel: "info" })));
    expect(error).toBeInstanceOf(InternalServerError);
    const [first, second] = waits(logger.lines);
    // jittered backoff: half to all of 500 ms, then of 1000 ms (never 0, never maxRetryDelay)
    expect(first).toBeGreaterThanOrEqual(250);
    expect(first).toBeLessThanOrEqual(500);
    expect(second).toBeGreaterThanOrEqual(500);
    expect(second).toBeLessThanOrEqual(1000);
    expect(hitsOf(server, base)).toHaveLength(3);
  });

  test("RateLimit-Reset on a 429 is honoured on every retry, the same way", async () => {
    const base = route(server, answer(429, { error: { message: "slow down" } }, { "RateLimit-Reset": "2" }));
    const logger = collectingLogger();
    const error = await withFakeTime(() => failure(erathos(base, { logger, logLevel: "info" })));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(2);
    expect(waits(logger.lines)).toEqual([2000, 2000]);
  });

  test("a huge Retry-After is capped at maxRetryDelay", async () => {
    const base = route(server, answer(503, {}, { "Retry-After": "99999999" }));
    const logger = collectingLogger();
    await withFakeTime(() => failure(erathos(base, { logger, logLevel: "info", maxRetryDelay: 3_000 })));
    expect(waits(logger.lines)).toEqual([3000, 3000]);
  });

  test("no attempt starts after the deadline (503 + Retry-After 2, deadline 3 s: attempts at 0 and 2 s only)", async () => {
    const base = route(server, answer(503, {}, { "Retry-After": "2" }));
    const error = await withFakeTime(() => failure(erathos(base, { deadline: 3_000, maxRetries: 5 })));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(hitsOf(server, base)).toHaveLength(2);
  });
});

describe("shared signals, keys and limits", () => {
  test("many concurrent calls on one signal: one listener, no MaxListenersExceededWarning", async () => {
    // every call is held until all 25 are in flight, then all are answered
    const CALLS = 25;
    const held: (() => void)[] = [];
    const base = route(server, (req, res, hit) => {
      held.push(() => answer(200, [])(req, res, hit, server));
      if (held.length === CALLS) for (const release of held) release();
    });
    const name = new URL(base).pathname.slice(1);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      const client = new Epsilon3({ apiKey: alnum(40), baseUrl: base, env: {} });
      const calls = Array.from({ length: CALLS }, () => client.dictionaries.list({ signal: controller.signal }));
      await server.reached(name, CALLS - 1);
      // all but the last are in flight on the same signal
      expect(getEventListeners(controller.signal, "abort").length).toBeLessThanOrEqual(1);
      await Promise.all(calls);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  test("a key past 4096 characters is refused at construction, from an option or a 10 MB key file", () => {
    const long = alnum(5000);
    expect(() => new Epsilon3({ apiKey: long, env: {} })).toThrow(InvalidCredentialError);
    const dir = mkdtempSync(join(tmpdir(), "keysmith-key-"));
    const file = join(dir, "key");
    writeFileSync(file, "x".repeat(10 * 1024 * 1024));
    expect(() => new Epsilon3({ env: { EPSILON3_API_KEY_FILE: file } })).toThrow(ConfigurationError);
    expect(() => new Epsilon3({ env: { EPSILON3_API_KEY_FILE: file } })).toThrow(/10485760 bytes/);
  });

  test("bad limits are refused at construction, naming the option", () => {
    expect(() => new Epsilon3({ apiKey: alnum(40), env: {}, timeout: -1 })).toThrow(/`timeout` must be/);
    expect(() => new Epsilon3({ apiKey: alnum(40), env: {}, maxResponseBytes: 0 })).toThrow(/`maxResponseBytes`/);
    expect(() => new Epsilon3({ apiKey: alnum(40), env: {}, maxRetries: 1.5 })).toThrow(/`maxRetries`/);
  });
});
