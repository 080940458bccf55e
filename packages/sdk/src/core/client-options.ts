/** Options every generated client accepts. */
export interface ClientOptions {
  /**
   * The API key or token. Defaults to the API's environment variable (`EPSILON3_API_KEY`, `EPOCH_API_TOKEN`…).
   * @example new Epsilon3({ apiKey: process.env.MY_EPSILON3_KEY })
   */
  apiKey?: string;
  /**
   * The API's base URL, overriding the API's `…_BASE_URL` / `…_API_URL` variable and the spec's servers.
   * @example new Erathos({ baseUrl: "http://127.0.0.1:4010/erathos/developers" })
   */
  baseUrl?: string;
  /**
   * Which of the spec's environments to target, for APIs whose servers are per environment (GetKeyManager).
   * @example new GetKeyManager({ environment: "staging" })
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
   * Milliseconds one attempt may take before it fails with a `TimeoutError`. Default 60 000.
   * @example new Epsilon3({ timeout: 5_000 })
   */
  timeout?: number;
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
}

/** `T` with the keys `K` made optional (parameters that default to an environment variable). */
export type WithOptional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
