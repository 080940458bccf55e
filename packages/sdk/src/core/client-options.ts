import type { CredentialStatus } from "./credentials.js";
import type { Hooks } from "./hooks.js";
import type { Logger, LogLevel } from "./logger.js";
import type { SchemeCredential } from "./security.js";

/** Options every generated client accepts. */
export interface ClientOptions {
  /**
   * The API key or token, or a function returning it, called before each request so rotated keys are
   * picked up without a restart. Defaults to the API's environment variable (`EPSILON3_API_KEY`,
   * `EPOCH_API_TOKEN`…), then to the file named by `<VARIABLE>_FILE`.
   * @example new Epsilon3({ apiKey: () => secrets.get("epsilon3") })
   */
  apiKey?: string | (() => string | Promise<string>);
  /**
   * Credentials by security scheme name, for APIs whose operations need more than one key: a value or a
   * function (API keys, bearer and OAuth2 tokens), `{ username, password }` (HTTP Basic), or
   * `{ clientId, clientSecret, scopes? }` (OAuth2 client credentials: the client fetches, caches and renews the
   * token). A scheme without one here reads its environment variables, then the API's key. The generated
   * client's doc comment lists each scheme with its option and variables.
   * @example new Twilio({ credentials: { accountSid_authToken: { username: sid, password: token } } })
   */
  credentials?: Readonly<Record<string, SchemeCredential>>;
  /**
   * When the key expires; defaults to the API's `…_EXPIRES_AT` variable, then to a JWT key's `exp` claim.
   * An expired key fails before any request is sent.
   * @example new Epoch({ expiresAt: "2027-01-31T00:00:00Z" })
   */
  expiresAt?: Date | string | number;
  /**
   * How long before expiry to warn (once, through the logger and `onCredentialExpiring`), in ms. Default 7 days.
   * @example new Erathos({ expiryWarning: 14 * 86_400_000 })
   */
  expiryWarning?: number;
  /**
   * Called once when the key comes within `expiryWarning` of its expiry.
   * @example new Epoch({ onCredentialExpiring: (status) => notifyOps(status.expiresAt) })
   */
  onCredentialExpiring?: (status: CredentialStatus) => void;
  /**
   * What the key may do, when known: an operation needing another permission fails before sending.
   * `client.credentials.refreshPermissions()` asks the API instead, where it can say.
   * @example new GetKeyManager({ permissions: ["license:read"] })
   */
  permissions?: readonly string[];
  /**
   * Verify signed responses with this public key (PEM); defaults to the API's variable (`GETKEYMANAGER_PUBLIC_KEY`).
   * @example new GetKeyManager({ publicKey: fs.readFileSync("gkm.pub", "utf8") })
   */
  publicKey?: string;
  /**
   * Send the key over plain http to a host that is not this machine. Off: keys travel only over https or loopback.
   * @example new Erathos({ baseUrl: "http://erathos.internal", allowInsecureHttp: true })
   */
  allowInsecureHttp?: boolean;
  /**
   * The API's base URL, overriding the API's `…_BASE_URL` / `…_API_URL` variable and the spec's servers.
   * @example new Erathos({ baseUrl: "http://127.0.0.1:4010/erathos/developers" })
   */
  baseUrl?: string;
  /**
   * Which of the spec's environments to target, for APIs whose servers are per environment
   * (`x-keysmith-environment`; none of the four bundled APIs has them).
   * @example new Acme({ environment: "sandbox" })
   */
  environment?: string;
  /**
   * Values for the server URL's variables, such as Epoch's `subdomain`.
   * @example new Epoch({ serverVariables: { subdomain: "acme" } })
   */
  serverVariables?: Readonly<Record<string, string>>;
  /**
   * Where to read environment variables; defaults to `process.env` (absent in browsers).
   * @example new Erathos({ env: { ERATHOS_API_KEY: "…" } })
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Retries after a retryable failure (timeouts, 408, 429, 5xx) of a safe or idempotency-keyed request. Default 2.
   * @example new Epoch({ maxRetries: 0 })
   */
  maxRetries?: number;
  /**
   * Milliseconds one attempt may take, from sending to the last byte of the answer, before it fails with a
   * `TimeoutError` (and may be retried). Also bounds a credential function. Default 60 000.
   * @example new Epsilon3({ timeout: 5_000 })
   */
  timeout?: number;
  /**
   * The longest wait between attempts, in ms, even when `Retry-After` asks for more. Default 8 000.
   * @example new GetKeyManager({ maxRetryDelay: 30_000 })
   */
  maxRetryDelay?: number;
  /**
   * Milliseconds a whole call may take, credential function, attempts, bodies and waits included: it ends an
   * attempt in flight with a `TimeoutError`, and no retry starts whose wait would end past it.
   * @example new Epoch({ deadline: 20_000 })
   */
  deadline?: number;
  /**
   * The most bytes an answer's body may have; reading stops past it with a `ResponseTooLargeError`. Default
   * 32 MiB. Answers read as a stream (`{ stream: true }`) are not limited: the caller reads them.
   * @example new Epsilon3({ maxResponseBytes: 100 * 1024 * 1024 })
   */
  maxResponseBytes?: number;
  /**
   * Log level: off, error, warn (the default), info (retries), debug (one line per attempt). Defaults to `KEYSMITH_LOG`.
   * Every line is redacted.
   * @example new Epsilon3({ logLevel: "debug" })
   */
  logLevel?: LogLevel;
  /**
   * Where log lines go; `console` by default.
   * @example new Epsilon3({ logger: pino() })
   */
  logger?: Logger;
  /**
   * The `fetch` to send with; resolved at call time, so test interceptors installed later still apply.
   * @example new Epoch({ fetch: myInstrumentedFetch })
   */
  fetch?: (input: Request) => Promise<Response>;
  /**
   * Headers added to every request.
   * @example new Erathos({ headers: { "User-Agent": "my-app/1.0" } })
   */
  headers?: Readonly<Record<string, string>>;
  /**
   * Called around every attempt (retries included) with the operation, the attempt number and the redacted
   * URL and headers: `onRequest` (which may add headers), `onResponse`, `onError`. See `Hooks`.
   * @example new Erathos({ hooks: { onResponse: ({ operation, attempt, status }) => console.log(operation?.id, attempt, status) } })
   */
  hooks?: Hooks;
}

/** Options for one call. */
export interface RequestOptions {
  /**
   * Cancels the call, including its retries.
   * @example await epoch.events.list({}, { signal: AbortSignal.timeout(2_000) })
   */
  signal?: AbortSignal;
  /**
   * Headers for this call only.
   * @example await epoch.events.get({ event_id: 1 }, { headers: { "Accept-Language": "fr" } })
   */
  headers?: Readonly<Record<string, string>>;
  /**
   * The `Idempotency-Key` to send, for operations that take one; by default a new one per call, reused by its retries.
   * @example await gkm.licenses.create(input, { idempotencyKey: orderId })
   */
  idempotencyKey?: string;
  /**
   * For operations that answer with bytes: the body as a stream instead of a `Blob`, for large downloads.
   * @example const stream = await files.download({ id }, { stream: true })
   */
  stream?: boolean;
  /**
   * Hooks for this call only, run after the client's.
   * @example await epoch.teams.list({}, { hooks: { onRequest: ({ setHeader }) => setHeader("x-trace-id", traceId) } })
   */
  hooks?: Hooks;
}

/** `T` with the keys `K` made optional (parameters that default to an environment variable). */
export type WithOptional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
