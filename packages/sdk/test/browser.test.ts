/**
 * The SDK in a real browser: headless Chromium loads a page from one loopback origin (a tiny static server)
 * and calls the standalone mock on another (another port), through the SDK bundled for the browser from
 * its source, with the browser's own fetch, CORS preflights included.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import {
  demoErathosWorkspaceId,
  demoKeys,
  getKeyManagerDemoPublicKey,
  type MockApiName,
  type RunningMockServer,
  startMockServer,
} from "@keysmith/mock-server";
import { build } from "esbuild";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { PageConfig } from "./support/browser-page.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
if (!hasChromium) {
  console.warn(
    `browser.test.ts skipped: no Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium); playwright-core never downloads one`,
  );
}

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The page script and its lazy chunks, bundled for the browser, by URL path. */
async function bundlePage(): Promise<Map<string, string>> {
  const result = await build({
    entryPoints: { page: source("./support/browser-page.ts") },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    splitting: true,
    outdir: "/bundle",
    write: false,
    alias: { "@keysmith/sdk": source("../src/index.ts") },
    logLevel: "silent",
  });
  const files = new Map(result.outputFiles.map((file) => [file.path.replace("/bundle", ""), file.text]));
  files.set(
    "/",
    `<!doctype html><meta charset="utf-8"><title>Keysmith</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>`,
  );
  return files;
}

/** Paths the page server answers with a 503 once (a chunk the network loses), then serves again. */
const loseOnce = new Set<string>();

/** Serves `files` on 127.0.0.1, a random free port. */
async function servePage(files: Map<string, string>): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    if (loseOnce.delete(req.url ?? "/")) {
      res.writeHead(503).end();
      return;
    }
    const body = files.get(req.url ?? "/");
    const type = req.url === "/" ? "text/html" : "text/javascript";
    res.writeHead(body === undefined ? 404 : 200, { "content-type": `${type}; charset=utf-8` }).end(body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function baseUrlOf(mock: RunningMockServer, api: MockApiName): string {
  const endpoint = mock.endpoints.find((candidate) => candidate.api === api);
  if (!endpoint) throw new Error(`the mock serves no ${api}`);
  return endpoint.baseUrl;
}

interface LoggedMock {
  readonly server: RunningMockServer;
  /** `<method> <status>` of each request the mock answered, in order. */
  readonly seen: string[];
}

/** A standalone mock on 127.0.0.1 (a random free port), logging what it saw. */
async function startLoggedMock(corsOrigins?: readonly string[]): Promise<LoggedMock> {
  const seen: string[] = [];
  const server = await startMockServer({
    port: 0,
    ...(corsOrigins ? { corsOrigins } : {}),
    log: (line) => seen.push(`${line.method} ${line.status}`),
  });
  return { server, seen };
}

describe.skipIf(!hasChromium)("the SDK in headless Chromium, from another loopback origin", () => {
  let allowing: LoggedMock;
  let refusing: { off: LoggedMock; other: LoggedMock };
  let pageFiles: Map<string, string>;
  let pageServer: { server: Server; origin: string };
  let browser: Browser;
  let page: Page;
  /** What the page's console said (Chromium explains CORS refusals there), for assertions and failure messages. */
  const consoleLines: string[] = [];

  beforeAll(async () => {
    let off: LoggedMock;
    let other: LoggedMock;
    [allowing, off, other, pageServer, browser] = await Promise.all([
      startLoggedMock(), // the default: loopback pages on any port
      startLoggedMock([]),
      startLoggedMock(["https://app.example.com"]),
      bundlePage().then((files) => {
        pageFiles = files;
        return servePage(files);
      }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    ]);
    refusing = { off, other };
    page = await browser.newPage();
    page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    page.on("pageerror", (error) => consoleLines.push(`pageerror: ${error.message}`));
    await page.goto(`${pageServer.origin}/`);
    await page.waitForFunction(() => window.keysmithPage !== undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([allowing, refusing?.off, refusing?.other].map((mock) => mock?.server.close()));
    if (pageServer) {
      pageServer.server.closeAllConnections();
      await new Promise((resolve) => pageServer.server.close(resolve));
    }
  });

  /** Runs `action` in the page; a failure there comes back with what the console said. */
  async function inPage<T>(action: () => Promise<T>): Promise<T> {
    const from = consoleLines.length;
    return action().catch((error: unknown) => {
      throw new Error(`the page failed: ${error}\nconsole:\n${consoleLines.slice(from).join("\n")}`);
    });
  }

  test("lists, creates, deletes and typed errors all work across origins, preflights included", async () => {
    const mock = allowing.server;
    const config: PageConfig = {
      baseUrls: {
        epsilon3: baseUrlOf(mock, "epsilon3"),
        epoch: baseUrlOf(mock, "epoch"),
        getkeymanager: baseUrlOf(mock, "getkeymanager"),
        erathos: baseUrlOf(mock, "erathos"),
      },
      keys: {
        epsilon3: demoKeys.epsilon3.workspace,
        epoch: demoKeys.epoch.token,
        getkeymanager: demoKeys.getkeymanager.production,
        erathos: demoKeys.erathos.key,
      },
      erathosWorkspaceId: demoErathosWorkspaceId,
      getKeyManagerPublicKey: getKeyManagerDemoPublicKey,
    };
    const results = await inPage(() => page.evaluate((given) => window.keysmithPage?.calls(given), config));
    if (!results) throw new Error("the page script did not load");

    // two origins, and the browser did CORS: preflights answered 204 before the calls
    expect(results.origin).toBe(pageServer.origin);
    expect(new URL(mock.url).origin).not.toBe(results.origin);
    expect(allowing.seen).toContain("OPTIONS 204");

    expect(results.epsilon3).toMatchObject({ procedures: 3 });
    expect(results.epsilon3.readAgain).toEqual({ cloneItems: 3, textMatches: true, blobBytes: expect.any(Number) });
    expect(results.epsilon3.readAgain.blobBytes).toBeGreaterThan(0);
    // read from response headers: the mock must expose them to a cross-origin page
    expect(results.epsilon3.requestId).toMatch(/^req_epsilon3_/);
    expect(results.epsilon3.rateLimitRemaining).toBeGreaterThan(0);
    expect(results.epsilon3.missingRun).toMatchObject({
      name: "NotFoundError",
      status: 404,
      is: { NotFoundError: true, KeysmithError: true },
      requestId: expect.stringMatching(/^req_epsilon3_/),
    });
    expect(results.epsilon3.missingRun?.message).toContain("Run 0000000000000000000000 does not exist");

    expect(results.epoch).toMatchObject({ createdEventTitle: "Browser launch lunch" });
    expect(results.epoch.teams).toBeGreaterThan(0);
    // the event created from the page is in the mock's state, seen from Node
    expect(mock.mock.apis.epoch.state.events.some((event) => event.title === "Browser launch lunch")).toBe(true);

    expect(results.erathos.createdWebhook).toBeTruthy();
    expect(results.erathos.webhooksAfterDelete).toBe(results.erathos.webhooksWithIt - 1);
    expect(results.erathos.wrongKey).toMatchObject({
      name: "AuthenticationError",
      status: 401,
      is: { AuthenticationError: true, KeysmithError: true },
      requestId: expect.stringMatching(/^req_erathos_/),
    });

    // signatures verified with WebCrypto; the write carried an Idempotency-Key through the preflight
    expect(results.getkeymanager.products).toBeGreaterThan(0);
    expect(results.getkeymanager.assignedKeys).toBe(1);
  });

  /** The page calls a mock that refuses its origin: what the SDK threw (first try, after retries), what Chromium logged. */
  async function callRefused(mock: LoggedMock) {
    const baseUrl = baseUrlOf(mock.server, "epsilon3");
    const from = consoleLines.length;
    const args = [baseUrl, demoKeys.epsilon3.workspace] as const;
    const thrown = await inPage(() => page.evaluate(([url, key]) => window.keysmithPage?.refused(url, key), args));
    if (!thrown) throw new Error("the page script did not load");
    return { baseUrl, errors: [thrown.once, thrown.retried], consoleText: consoleLines.slice(from).join("\n") };
  }

  test.each([
    ["CORS is off", () => refusing.off],
    ["it allows other origins only", () => refusing.other],
  ])(
    "a mock that refuses the page's origin (%s): a ConnectionError, and no operation reached",
    async (_case, mockOf) => {
      const mock = mockOf();
      const { baseUrl, errors, consoleText } = await callRefused(mock);

      // the browser refused it for CORS (it says so in its console), after the preflight only
      expect(consoleText).toMatch(/blocked by CORS policy/);
      expect(mock.seen).toContain("OPTIONS 403");
      expect(mock.seen.filter((line) => !line.startsWith("OPTIONS "))).toEqual([]);

      for (const error of errors) {
        expect(error).toMatchObject({ name: "ConnectionError", is: { ConnectionError: true, KeysmithError: true } });
        expect(error).not.toHaveProperty("status");
        expect(error?.message).toContain(`GET ${baseUrl}/`);
        expect(error?.message).not.toContain(demoKeys.epsilon3.workspace);
      }
    },
  );

  // A browser hides why a cross-origin fetch failed ("Failed to fetch"; only the console says CORS), so the
  // SDK's message names CORS as a likely cause, with the page's origin to allow.
  test("a refused origin's ConnectionError names CORS as a likely cause", async () => {
    const { errors } = await callRefused(refusing.off);
    for (const error of errors)
      expect(error?.message).toMatch(/CORS refuses a call: the server must allow the origin http:\/\/127\.0\.0\.1:\d+/);
  });

  // What only some calls need loads with the first of them (here the hooks' runner, as the retry code and the
  // code for error answers do). A chunk the network loses fails that call with a typed ConnectionError saying
  // so (never a bare TypeError), and the next call loads it again.
  test("a lost chunk of lazily loaded code fails the call with a ConnectionError; the next call loads it", async () => {
    const chunk = [...pageFiles].find(
      ([path, text]) => path !== "/page.js" && text.includes("did not settle within ${"),
    )?.[0];
    expect(chunk, "no chunk of its own holds the hooks' runner").toBeDefined();
    expect(pageFiles.get("/page.js"), "the page imports the hooks' runner statically").not.toContain(
      `from ".${chunk}"`,
    );
    loseOnce.add(chunk ?? "");
    const fresh = await browser.newPage();
    try {
      await fresh.goto(`${pageServer.origin}/`);
      await fresh.waitForFunction(() => window.keysmithPage !== undefined, undefined, { timeout: 5_000 });
      const args = [baseUrlOf(allowing.server, "erathos"), demoKeys.erathos.key] as const;
      const [lost, again] = await fresh.evaluate(
        ([url, key]) => window.keysmithPage?.hookedTwice(url, key) ?? [],
        args,
      );
      expect(loseOnce.has(chunk ?? ""), "the page never asked for the chunk").toBe(false);
      expect(lost).toMatchObject({ name: "ConnectionError", is: { ConnectionError: true, KeysmithError: true } });
      expect(lost?.message).toMatch(/loading the SDK's hook code failed/);
      expect(again).toBeUndefined();
    } finally {
      loseOnce.clear();
      await fresh.close();
    }
  });
});
