/**
 * The page script of browser.test.ts: bundled for the browser with esbuild, loaded by a page on another
 * loopback origin than the standalone mock, it calls the mock through the SDK with the browser's own `fetch`
 * and returns what happened as plain JSON (a browser has no `process.env`: every client gets `env: {}`).
 */
import {
  AuthenticationError,
  ConnectionError,
  Epoch,
  Epsilon3,
  Erathos,
  GetKeyManager,
  isKeysmithError,
  NotFoundError,
} from "@keysmith/sdk";

/** What the test hands the page: the mock's base URLs and the demo credentials. */
export interface PageConfig {
  readonly baseUrls: {
    readonly epsilon3: string;
    readonly epoch: string;
    readonly getkeymanager: string;
    readonly erathos: string;
  };
  readonly keys: {
    readonly epsilon3: string;
    readonly epoch: string;
    readonly getkeymanager: string;
    readonly erathos: string;
  };
  readonly erathosWorkspaceId: string;
  /** PEM: GetKeyManager's answers are verified with WebCrypto, as in an application. */
  readonly getKeyManagerPublicKey: string;
}

/** A thrown error, as far as JSON can carry it. */
export interface ThrownReport {
  readonly name: string;
  readonly message: string;
  /** `instanceof` against the page's own copy of the SDK. */
  readonly is: {
    readonly NotFoundError: boolean;
    readonly AuthenticationError: boolean;
    readonly ConnectionError: boolean;
    readonly KeysmithError: boolean;
  };
  readonly status?: number;
  readonly requestId?: string;
  readonly cause?: string;
}

export interface CallResults {
  /** The page's origin, to show the calls were cross-origin. */
  readonly origin: string;
  readonly epsilon3: {
    readonly procedures: number;
    readonly requestId: string | undefined;
    readonly rateLimitRemaining: number | undefined;
    readonly missingRun: ThrownReport | undefined;
    /** The answer `withResponse()` gave, read again in the page: a clone as JSON, its text, its bytes. */
    readonly readAgain: { readonly cloneItems: number; readonly textMatches: boolean; readonly blobBytes: number };
  };
  readonly epoch: { readonly teams: number; readonly createdEventTitle: string; readonly eventsAfter: number };
  readonly erathos: {
    readonly createdWebhook: string;
    readonly webhooksWithIt: number;
    readonly webhooksAfterDelete: number;
    readonly wrongKey: ThrownReport | undefined;
  };
  readonly getkeymanager: { readonly products: number; readonly assignedKeys: number };
}

export interface KeysmithPage {
  /** Lists, creates, deletes and two typed errors, against a mock that allows this origin. */
  calls(config: PageConfig): Promise<CallResults>;
  /** One call to a mock that does not allow this origin: what the SDK throws, first try and after retries. */
  refused(
    baseUrl: string,
    apiKey: string,
  ): Promise<{ once: ThrownReport | undefined; retried: ThrownReport | undefined }>;
  /** The same call with a hook, twice: what each threw (the test may have made the hooks' code fail to load). */
  hookedTwice(baseUrl: string, apiKey: string): Promise<(ThrownReport | undefined)[]>;
}

declare global {
  interface Window {
    keysmithPage?: KeysmithPage;
  }
}

function report(error: unknown): ThrownReport {
  const fields = error as { status?: unknown; requestId?: unknown; cause?: unknown };
  return {
    name: error instanceof Error ? error.name : typeof error,
    message: error instanceof Error ? error.message : String(error),
    is: {
      NotFoundError: error instanceof NotFoundError,
      AuthenticationError: error instanceof AuthenticationError,
      ConnectionError: error instanceof ConnectionError,
      KeysmithError: isKeysmithError(error),
    },
    ...(typeof fields.status === "number" ? { status: fields.status } : {}),
    ...(typeof fields.requestId === "string" ? { requestId: fields.requestId } : {}),
    ...(fields.cause instanceof Error ? { cause: `${fields.cause.name}: ${fields.cause.message}` } : {}),
  };
}

/** What `promise` throws, reported; undefined when it does not throw. */
const thrown = (promise: Promise<unknown>): Promise<ThrownReport | undefined> =>
  promise.then(
    () => undefined,
    (error: unknown) => report(error),
  );

async function calls(config: PageConfig): Promise<CallResults> {
  const { baseUrls, keys } = config;
  const epsilon3 = new Epsilon3({ apiKey: keys.epsilon3, baseUrl: baseUrls.epsilon3, env: {}, maxRetries: 0 });
  const epoch = new Epoch({ apiKey: keys.epoch, baseUrl: baseUrls.epoch, env: {}, maxRetries: 0 });
  const erathos = new Erathos({
    apiKey: keys.erathos,
    baseUrl: baseUrls.erathos,
    env: { ERATHOS_WORKSPACE_ID: config.erathosWorkspaceId },
    maxRetries: 0,
  });
  const gkm = new GetKeyManager({
    apiKey: keys.getkeymanager,
    baseUrl: baseUrls.getkeymanager,
    publicKey: config.getKeyManagerPublicKey,
    env: {},
    maxRetries: 0,
  });

  // GET with Basic auth; the request id and rate-limit state come from response headers
  const procedures = await epsilon3.procedures.list().withResponse();
  const missingRun = await thrown(epsilon3.runs.get({ runId: "0000000000000000000000" }));
  // the answer was read within its attempt: Chromium's own Response still reads it every way
  const { response } = procedures;
  const clone = (await response.clone().json()) as { data: unknown[] };
  const text = await response.text();
  const readAgain = {
    cloneItems: clone.data.length,
    textMatches: JSON.stringify(JSON.parse(text)) === JSON.stringify(procedures.data),
    blobBytes: (await response.blob()).size,
  };

  // POST with a JSON body (a preflighted Content-Type)
  const teams = await epoch.teams.list();
  const event = await epoch.events.create({
    title: "Browser launch lunch",
    start: "2027-02-01T20:00:00Z",
    end: "2027-02-01T21:00:00Z",
    timezone: "America/Los_Angeles",
    location_type: "in_person",
    capacity: 10,
    team_id: teams.results[0]?.id ?? 0,
  });
  const events = await epoch.events.list({ page_size: 1 });

  // POST, then DELETE (a method that is never simple)
  const webhook = await erathos.webhooks.create({
    description: "Notify the browser",
    is_active: true,
    method: "POST",
    url: "https://hooks.example.com/browser",
    rules: [{ variable_name: "STATUS", operation: "EQUAL", value: "FINISHED" }],
    jobs: [],
  });
  const withIt = await erathos.webhooks.list();
  await erathos.webhooks.delete({ webhook_id: webhook._id });
  const afterDelete = await erathos.webhooks.list();
  const wrongKey = await thrown(
    new Erathos({
      apiKey: keys.erathos.replace(/.{4}$/, "XXXX"),
      baseUrl: baseUrls.erathos,
      env: { ERATHOS_WORKSPACE_ID: config.erathosWorkspaceId },
      maxRetries: 0,
    }).webhooks.list(),
  );

  // signed answers verified with WebCrypto; a write carrying an Idempotency-Key header
  const { products } = (await gkm.products.list()).response;
  const assigned = await gkm.licenses.randomAssign({
    product_id: products[0]?.id ?? 0,
    owner_name: "Browser",
    owner_email: "browser@example.com",
    quantity: 1,
    generate: 1,
  });

  return {
    origin: location.origin,
    epsilon3: {
      procedures: procedures.data.data.length,
      requestId: procedures.requestId,
      rateLimitRemaining: procedures.rateLimit.remaining,
      missingRun,
      readAgain,
    },
    epoch: { teams: teams.results.length, createdEventTitle: event.title, eventsAfter: events.count },
    erathos: {
      createdWebhook: webhook._id,
      webhooksWithIt: withIt.count,
      webhooksAfterDelete: afterDelete.count,
      wrongKey,
    },
    getkeymanager: { products: products.length, assignedKeys: assigned.response.license_keys.length },
  };
}

async function refused(baseUrl: string, apiKey: string) {
  const client = (maxRetries: number) => new Epsilon3({ apiKey, baseUrl, env: {}, maxRetries, maxRetryDelay: 20 });
  return {
    once: await thrown(client(0).procedures.list()),
    retried: await thrown(client(2).procedures.list()),
  };
}

async function hookedTwice(baseUrl: string, apiKey: string) {
  const client = new Erathos({ apiKey, baseUrl, env: {}, maxRetries: 0, hooks: { onRequest: () => undefined } });
  return [await thrown(client.workspaces.list()), await thrown(client.workspaces.list())];
}

window.keysmithPage = { calls, refused, hookedTwice };
