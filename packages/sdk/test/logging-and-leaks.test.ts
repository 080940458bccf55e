import { inspect } from "node:util";
import { demoErathosWorkspaceId, demoKeys, getKeyManagerDemoPublicKey } from "@keysmith/mock-server";
import {
  APIError,
  type ApiDefinition,
  CredentialExpiredError,
  Epoch,
  Epsilon3,
  Erathos,
  GetKeyManager,
  type Hooks,
  InvalidCredentialError,
  KeysmithClient,
  type KeysmithError,
  type Logger,
  MissingCredentialError,
  redact,
} from "@keysmith/sdk";
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, test, vi } from "vitest";
import { useMock } from "./support/use-mock.js";

const { server } = useMock();
const WORKSPACES = "https://api.erathos.com/developers/workspaces/";

function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (line: string) => lines.push(line);
  return { lines, error: push, warn: push, info: push, debug: push };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("logging", () => {
  test("debug: one line per attempt, from the option or KEYSMITH_LOG", async () => {
    let first = true;
    server.use(
      http.get(WORKSPACES, () => {
        if (!first) return undefined;
        first = false;
        return HttpResponse.json({}, { status: 503, headers: { "Retry-After": "0" } });
      }),
    );
    const logger = collectingLogger();
    const client = new Erathos({
      apiKey: demoKeys.erathos.key,
      env: { KEYSMITH_LOG: "debug", ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId },
      logger,
    });
    await client.workspaces.list();
    const attempts = logger.lines.filter((line) => line.includes("→"));
    expect(attempts).toEqual([
      "[keysmith Erathos] → GET https://api.erathos.com/developers/workspaces/ (attempt 1/3)",
      "[keysmith Erathos] → GET https://api.erathos.com/developers/workspaces/ (attempt 2/3)",
    ]);
    expect(logger.lines.some((line) => /got 503; retrying in 0 ms/.test(line))).toBe(true);
    expect(logger.lines.some((line) => /← 200 .*request req_erathos_/.test(line))).toBe(true);
  });

  test("the default level (warn) and off print no request lines", async () => {
    for (const logLevel of [undefined, "off"] as const) {
      const logger = collectingLogger();
      const client = new Erathos({ apiKey: demoKeys.erathos.key, ...(logLevel ? { logLevel } : {}), logger, env: {} });
      await client.workspaces.list();
      expect(logger.lines).toEqual([]);
    }
  });
});

describe("redaction", () => {
  test("Authorization, cookies, api_key parameters and registered keys", () => {
    new Erathos({ apiKey: "Zz9Yy8Xx.registeredSecretValue42", env: {} }); // registers the key
    const text = [
      "Authorization: Bearer abc.def.ghi",
      '"authorization": "token 1234567890abcdef"',
      "Cookie: session=s3cr3t; other=1",
      "GET https://api.example.com/x?api_key=live_123&page=2",
      "the key Zz9Yy8Xx.registeredSecretValue42 leaked",
    ].join("\n");
    const redacted = redact(text);
    for (const secret of ["abc.def.ghi", "1234567890abcdef", "s3cr3t", "live_123", "registeredSecretValue42"]) {
      expect(redacted).not.toContain(secret);
    }
    expect(redacted).toContain("page=2");
    expect(redacted).toContain("Authorization: Bearer [REDACTED]");
  });
});

/**
 * The leak test: with known secrets in play, drive every error and log path and look for them in every
 * form the SDK can show: messages, stacks, String(), util.inspect (cause chains included), JSON, log lines,
 * and anything written to the console.
 */
describe("no secret leaks", () => {
  const SECRETS = {
    erathos: demoKeys.erathos.key,
    epoch: demoKeys.epoch.token,
    gkmStaging: demoKeys.getkeymanager.staging,
    gkmProduction: demoKeys.getkeymanager.production,
    bogus: "Qq7Ww6Ee.thisKeyMustNeverBePrinted",
  };

  test("through every error and log path", async () => {
    const printed: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        printed.push(args.map((arg) => (typeof arg === "string" ? arg : inspect(arg, { depth: 10 }))).join(" "));
      });
    }
    const logger = collectingLogger();
    const errors: unknown[] = [];
    const capture = async (run: () => unknown) => {
      try {
        await run();
      } catch (error) {
        errors.push(error);
      }
    };

    // a server that echoes credentials back, in the body and in headers
    server.use(
      http.get(WORKSPACES, ({ request }) =>
        HttpResponse.json(
          {
            error: {
              code: "invalid_key",
              message: `Invalid key in ${request.headers.get("authorization")}`,
              request_id: "r",
            },
          },
          {
            status: 401,
            headers: { "Set-Cookie": `session=${SECRETS.bogus}`, "X-Echo": request.headers.get("authorization") ?? "" },
          },
        ),
      ),
    );
    const echoed = new Erathos({ apiKey: SECRETS.bogus, env: {}, logLevel: "debug", logger });
    await capture(() => echoed.workspaces.list());

    // a transport failure whose message carries the key in a query string
    const failing = new Erathos({
      apiKey: SECRETS.erathos,
      env: { ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId },
      maxRetries: 0,
      logLevel: "debug",
      logger,
      fetch: async (request) => {
        throw new TypeError(`fetch failed: ${request.url}?api_key=${SECRETS.erathos}`, {
          cause: new Error(`connect ECONNREFUSED, Authorization: Api-Key ${SECRETS.erathos}`),
        });
      },
    });
    await capture(() => failing.jobs.list());

    await capture(() => new Erathos({ env: {} }));
    await capture(() => new GetKeyManager({ apiKey: `${SECRETS.gkmProduction}\r\nX-Evil: 1` }));
    await capture(() => new GetKeyManager({ apiKey: `${SECRETS.gkmStaging} and more` }));
    await capture(
      () =>
        new Epoch({ apiKey: SECRETS.epoch, serverVariables: { subdomain: "acme" }, expiresAt: "2020-01-01T00:00:00Z" }),
    );
    await capture(() =>
      new Epoch({ apiKey: SECRETS.epoch, serverVariables: { subdomain: "acme" }, logger }).teams.list(
        {},
        { signal: AbortSignal.abort() },
      ),
    );
    await capture(() =>
      new GetKeyManager({
        apiKey: SECRETS.gkmProduction,
        permissions: [],
        logger,
        publicKey: getKeyManagerDemoPublicKey,
      }).products.list(),
    );
    await capture(() =>
      new Epoch({
        apiKey: SECRETS.epoch,
        serverVariables: { subdomain: "acme" },
        expiresAt: Date.now() + 3_600_000,
        logger,
      }).teams.list(),
    );

    expect(errors.map((error) => (error as Error).name)).toEqual([
      "AuthenticationError",
      "ConnectionError",
      "MissingCredentialError",
      "InvalidCredentialError",
      "InvalidCredentialError",
      "CredentialExpiredError",
      "AbortError",
      "PermissionDeniedError",
    ]);
    expect(errors[0]).toBeInstanceOf(APIError);
    expect(errors[2]).toBeInstanceOf(MissingCredentialError);
    expect(errors[3]).toBeInstanceOf(InvalidCredentialError);
    expect(errors[5]).toBeInstanceOf(CredentialExpiredError);

    const shown: string[] = [...printed, ...logger.lines];
    for (const error of errors) {
      const e = error as KeysmithError;
      shown.push(e.message, String(e), e.stack ?? "", inspect(e, { depth: 10, showHidden: true }), JSON.stringify(e));
      for (let cause = e.cause; cause; cause = (cause as Error).cause)
        shown.push(inspect(cause, { depth: 10 }), String(cause));
    }
    expect(logger.lines.some((line) => line.includes("expires at"))).toBe(true);
    expect(shown.length).toBeGreaterThan(40);
    for (const [name, secret] of Object.entries(SECRETS)) {
      const leaks = shown.filter((text) => text.includes(secret) || text.includes(btoa(`${secret}:`)));
      expect(leaks, `${name} leaked`).toEqual([]);
    }
  });

  test("through every hook's arguments, for every way a key travels: token, Api-Key, Basic, query and cookie", async () => {
    const keys = {
      epoch: demoKeys.epoch.token,
      erathos: demoKeys.erathos.key,
      epsilon3: demoKeys.epsilon3.workspace,
      getkeymanager: demoKeys.getkeymanager.production,
      cookie: "Ck9Xw2Lm7Qp4Rt6Zv1Bn8Hs3Jd5Fg0Ky",
    };
    const shown: string[] = [];
    const counts = { onRequest: 0, onResponse: 0, onError: 0 };
    const show = (hook: keyof typeof counts) => (event: object) => {
      counts[hook] += 1;
      shown.push(inspect(event, { depth: 10, showHidden: true }), JSON.stringify(event), String(Object.values(event)));
    };
    const hooks: Hooks = { onRequest: show("onRequest"), onResponse: show("onResponse"), onError: show("onError") };

    // a server that echoes the credentials back in headers, fails each first attempt (503, retried at once),
    // and refuses with a 401 echoing them in the body when asked to (`x-fail`); otherwise the mock answers
    const retried = new Set<string>();
    server.use(
      http.all("*", ({ request }) => {
        const url = new URL(request.url);
        const echo = {
          "X-Echo-Authorization": request.headers.get("authorization") ?? "",
          "X-Echo-Cookie": request.headers.get("cookie") ?? "",
          "X-Echo-Url": request.url,
          "Set-Cookie": `session=${request.headers.get("authorization") ?? url.searchParams.get("api_key")}`,
        };
        if (request.headers.has("x-fail")) {
          return HttpResponse.json(
            { error: { message: `refused ${request.headers.get("authorization")} at ${request.url}` } },
            { status: 401, headers: echo },
          );
        }
        if (!retried.has(url.host + url.pathname)) {
          retried.add(url.host + url.pathname);
          return HttpResponse.json({}, { status: 503, headers: { ...echo, "Retry-After": "0" } });
        }
        if (url.host === "api.crumbs.test") return HttpResponse.json({ things: [] }, { headers: echo });
        return undefined;
      }),
    );
    const crumbsApi: ApiDefinition = {
      name: "Crumbs",
      servers: [{ url: "https://api.crumbs.test" }],
      env: { apiKey: "CRUMBS_API_KEY", baseUrl: "CRUMBS_BASE_URL" },
      securitySchemes: { session: { type: "cookie", name: "sid" } },
      security: [["session"]],
      operations: { listThings: { method: "get", path: "/things", group: "things", name: "list" } },
    };
    type Call = (options: { headers?: Record<string, string> }) => Promise<unknown>;
    const lists: Record<keyof typeof keys, Call> = {
      epoch: (options) =>
        new Epoch({ apiKey: keys.epoch, serverVariables: { subdomain: "acme" }, env: {}, hooks }).teams.list(
          {},
          options,
        ),
      erathos: (options) =>
        new Erathos({
          apiKey: keys.erathos,
          env: { ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId },
          hooks,
        }).workspaces.list({}, options),
      epsilon3: (options) => new Epsilon3({ apiKey: keys.epsilon3, env: {}, hooks }).dictionaries.list(options),
      getkeymanager: (options) =>
        new GetKeyManager({ credentials: { gkmApiKeyParam: keys.getkeymanager }, env: {}, hooks }).products.list(
          options,
        ),
      cookie: (options) =>
        (
          new KeysmithClient(crumbsApi, { apiKey: keys.cookie, env: {}, hooks }) as unknown as {
            things: { list: Call };
          }
        ).things.list(options),
    };
    for (const [name, list] of Object.entries(lists)) {
      await expect(list({}), `${name}: the retried call`).resolves.toBeDefined();
      await expect(list({ headers: { "x-fail": "1" } }), `${name}: the refused call`).rejects.toThrow(APIError);
    }
    // per API: two attempts and a refused one; answers to all three; the refusal shown to onError
    expect(counts).toEqual({ onRequest: 15, onResponse: 15, onError: 5 });
    const sentKeys = shown.filter((text) => text.includes("api_key=[REDACTED]"));
    expect(sentKeys.length, "the query key is shown redacted").toBeGreaterThan(0);
    for (const [name, key] of Object.entries(keys)) {
      const forms = [key, encodeURIComponent(key), btoa(key), btoa(`${key}:`).replace(/=+$/, "")];
      const leaks = shown.filter((text) => forms.some((form) => text.includes(form)));
      expect(leaks, `${name}'s key leaked through a hook`).toEqual([]);
    }
  });
});
