import type { ApiDefinition, OperationDefinition } from "./api-definition.js";
import type { CallScope } from "./call-scope.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";
import { HookError } from "./errors/HookError.js";
import { KeysmithError } from "./errors/KeysmithError.js";
import type { HookEvent, HookOperation, Hooks } from "./hooks.js";
import type { SdkLogger } from "./logger.js";
import { redact } from "./redact.js";

const REDACTED = "[REDACTED]";
type HookName = keyof Hooks;

/**
 * A client's hooks, and what showing a request to them safely takes: which headers and query parameters
 * carry credentials (Authorization, cookies, and the API's own key headers and parameters, from its security
 * schemes), never shown and never set by a hook. Built once per client, by the first call with hooks (see
 * `hookRunner`); `forCall` makes each call's runner.
 */
export class ClientHooks {
  readonly #api: ApiDefinition;
  readonly #hooks: Hooks | undefined;
  readonly #timeout: number;
  readonly #logger: SdkLogger;
  readonly #secretHeaders = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);
  readonly #secretQuery: RegExp | undefined;
  #operations: Map<OperationDefinition, HookOperation> | undefined;

  constructor(api: ApiDefinition, hooks: Hooks | undefined, timeout: number, logger: SdkLogger) {
    this.#api = api;
    this.#hooks = hooks;
    this.#timeout = timeout;
    this.#logger = logger;
    const query: string[] = [];
    for (const scheme of Object.values(api.securitySchemes)) {
      if (scheme.type === "header") this.#secretHeaders.add(scheme.name.toLowerCase());
      if (scheme.type === "query") query.push(encodeURIComponent(scheme.name).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    }
    this.#secretQuery = query.length > 0 ? new RegExp(`([?&](?:${query.join("|")})=)[^&#]*`, "gi") : undefined;
  }

  /** The hooks of one call: the client's, then the call's own. */
  forCall(
    scope: CallScope,
    op: OperationDefinition | undefined,
    own: Hooks | undefined,
    method: string,
    url: string,
  ): CallHooks {
    const all = [this.#hooks, own].filter((hooks): hooks is Hooks => hooks !== undefined);
    this.#operations ??= new Map(
      Object.entries(this.#api.operations).map(([id, definition]) => [
        definition,
        { id, group: definition.group, name: definition.name },
      ]),
    );
    const operation = op && this.#operations.get(op);
    return new CallHooks(this, scope, all, operation, method, url);
  }

  get apiName(): string {
    return this.#api.name;
  }

  get timeout(): number {
    return this.#timeout;
  }

  get logger(): SdkLogger {
    return this.#logger;
  }

  /** Whether a hook may set this header: never one that carries a credential, nor the Idempotency-Key. */
  owns(name: string): boolean {
    const lower = name.toLowerCase();
    return this.#secretHeaders.has(lower) || lower === "idempotency-key";
  }

  /** The URL without its credential query parameters and known keys. */
  url(url: string): string {
    return redact(this.#secretQuery ? url.replace(this.#secretQuery, `$1${REDACTED}`) : url);
  }

  /** The headers as a frozen record, credential headers replaced and every other value redacted. */
  headers(headers: Headers): Readonly<Record<string, string>> {
    const shown: Record<string, string> = {};
    headers.forEach((value, name) => {
      shown[name] = this.#secretHeaders.has(name) ? REDACTED : redact(value);
    });
    return Object.freeze(shown);
  }
}

/**
 * One call's hooks: numbers its attempts (across the transport's retries and an OAuth2 token's second try),
 * builds each event, and calls each hook bounded by `timeout` and the call's scope, turning a failure into a
 * `HookError`. Each error the call throws is shown to `onError` once.
 */
export class CallHooks {
  readonly #client: ClientHooks;
  readonly #scope: CallScope;
  readonly #hooks: readonly Hooks[];
  readonly #operation: HookOperation | undefined;
  readonly #label: string;
  readonly #method: string;
  #url: string;
  #attempt = 0;

  constructor(
    client: ClientHooks,
    scope: CallScope,
    hooks: readonly Hooks[],
    operation: HookOperation | undefined,
    method: string,
    url: string,
  ) {
    this.#client = client;
    this.#scope = scope;
    this.#hooks = hooks;
    this.#operation = operation;
    this.#method = method;
    this.#url = client.url(url);
    this.#label = operation
      ? `${client.apiName}.${operation.group}.${operation.name}`
      : `${client.apiName}: ${scope.where}`;
  }

  /** A new attempt of `url`: `onRequest`, given `headers` to add to; answers the headers to send. */
  async request(url: string, headers: Headers): Promise<Headers> {
    this.#attempt += 1;
    this.#url = this.#client.url(url);
    if (!this.#hooks.some((hooks) => hooks.onRequest)) return headers;
    const own = new Headers(headers);
    const setHeader = (name: string, value: string) => {
      if (this.#client.owns(name)) {
        throw new ConfigurationError(
          `${this.#client.apiName}: a hook may not set ${name}; the SDK sets it from the credentials and the call.`,
        );
      }
      own.set(name, value);
    };
    for (const hooks of this.#hooks) {
      if (!hooks.onRequest) continue;
      const event = { ...this.#event(), headers: this.#client.headers(own), setHeader };
      await this.#run("onRequest", () => hooks.onRequest?.(event));
    }
    return own;
  }

  /** The attempt got an answer: `onResponse`. On a hook's failure the answer's body is let go. */
  async response(response: Response, durationMs: number): Promise<void> {
    if (!this.#hooks.some((hooks) => hooks.onResponse)) return;
    const event = {
      ...this.#event(),
      ...(response.url ? { url: this.#client.url(response.url) } : {}),
      status: response.status,
      headers: this.#client.headers(response.headers),
      durationMs,
    };
    try {
      for (const hooks of this.#hooks)
        if (hooks.onResponse) await this.#run("onResponse", () => hooks.onResponse?.(event));
    } catch (error) {
      void response.body?.cancel().catch(() => undefined);
      throw error;
    }
  }

  /** The attempt failed without an answer, and another follows: `onError` with `retrying`. */
  error(error: KeysmithError): Promise<void> {
    return this.#report(error, true);
  }

  /** The call fails with `error`: `onError`, unless it is an `onError` hook's own failure. */
  async failed(error: unknown): Promise<void> {
    if (!(error instanceof KeysmithError) || (error instanceof HookError && error.hook === "onError")) return;
    await this.#report(error, false);
  }

  async #report(error: KeysmithError, retrying: boolean): Promise<void> {
    const event = { ...this.#event(), error, retrying };
    for (const hooks of this.#hooks) {
      if (hooks.onError) await this.#run("onError", () => hooks.onError?.(event), error);
    }
  }

  #event(): HookEvent {
    return {
      api: this.#client.apiName,
      operation: this.#operation,
      attempt: this.#attempt,
      method: this.#method,
      url: this.#url,
    };
  }

  /**
   * Calls one hook and waits for it, within `timeout` and the call's scope. Once the call has ended (its
   * signal, its deadline) its reason stands: a hook called then (`onError`) is not waited for.
   */
  async #run(name: HookName, call: () => void | Promise<void> | undefined, handling?: KeysmithError): Promise<void> {
    let result: unknown;
    try {
      result = call();
    } catch (error) {
      throw this.#failure(name, error, false, handling);
    }
    if (!isThenable(result)) return;
    const pending = Promise.resolve(result);
    const scope = this.#scope;
    const ended = () => scope.canEnd && scope.signal.aborted;
    if (ended()) {
      pending.catch((error: unknown) =>
        this.#client.logger.log("warn", this.#failure(name, error, false, handling).message),
      );
      return;
    }
    let settled = false;
    pending.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    try {
      await scope.bound(pending, this.#client.timeout, `the ${name} hook`);
    } catch (error) {
      if (ended() && error === scope.signal.reason) throw error;
      throw this.#failure(name, error, !settled, handling);
    }
  }

  #failure(name: HookName, error: unknown, timedOut: boolean, handling: KeysmithError | undefined): HookError {
    const what = timedOut
      ? `did not settle within ${this.#client.timeout} ms`
      : `failed: ${error instanceof Error ? error.message : String(error)}`;
    const during = handling ? ` on ${handling.name}` : "";
    return new HookError(
      `${this.#label}: the ${name} hook${during} (attempt ${this.#attempt}) ${what}`,
      name,
      this.#label,
      this.#attempt,
      error,
    );
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === "function";
}
