import { authenticate, checkKey } from "./authenticate.js";
import { DEFAULT_BODY_LIMIT } from "./body-limit.js";
import { base36Time, isoString } from "./clock-text.js";
import { FaultInjector, type FaultOutcome, injectedProblem } from "./faults.js";
import { IdempotentReplays } from "./idempotent-replays.js";
import type { KeyRecord } from "./key-record.js";
import { LimitedRequest } from "./limited-request.js";
import type { MockApiDefinition, MockEvent, Resolver, ResolverContext, SeedMode } from "./mock-api.js";
import type { RouteSpec } from "./mock-api-spec.js";
import { type MockRequest, type MockResponse, mergeHeaders, toFetchResponse } from "./mock-http.js";
import { MockProblem } from "./mock-problem.js";
import { decodePathParams } from "./path-params.js";
import { RateLimiter, rateLimitHeaders } from "./rate-limiter.js";
import { bodyFields, readRequestBody } from "./request-body.js";
import { RequestLog, type RequestLogEntry } from "./request-log.js";
import { RequestValidator } from "./request-validator.js";
import { urlPath } from "./url-path.js";
import { wwwAuthenticate } from "./www-authenticate.js";

export interface MockRuntimeOptions {
  readonly seed?: SeedMode;
  /** The clock, for key expiry and rate-limit windows; fake timers drive `Date` too. */
  readonly now?: () => Date;
  /** Enforce per-key rate limits (default true); turn off for load tests of your own code. */
  readonly rateLimits?: boolean;
  /** Shared fault rules (a `Mock` passes its own to every API). */
  readonly faults?: FaultInjector;
  /**
   * Check every answer against the spec, and throw `MockContractError` when one does not match: on by default
   * under vitest, jest or NODE_ENV=test, so a test suite notices if the mock drifts from the contract.
   */
  readonly validateResponses?: boolean;
  /**
   * The largest request body read, in bytes (default 1 MiB): a larger one is answered with 413 in the API's
   * error shape, and the standalone server stops reading it.
   * @example new Mock({ bodyLimit: 64 * 1024 })
   */
  readonly bodyLimit?: number;
}

function inTests(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  return env.VITEST !== undefined || env.JEST_WORKER_ID !== undefined || env.NODE_ENV === "test";
}

/**
 * Refusals of a malformed request (unreadable or too deep JSON, a path that does not decode, a body too large
 * or in another media type): checked against the spec where it documents them, and not required of it.
 */
const REFUSALS = new Set([400, 413, 415]);

/**
 * One API's live mock: its store, rate-limit windows, validators, fault rules and per-key request logs, and
 * the request pipeline both the MSW handlers and the standalone server run: authenticate, check the key
 * (active, unexpired, right environment, permitted), apply injected faults, rate-limit, validate, resolve,
 * and answer in the API's own shapes.
 */
export class MockApiRuntime<S = unknown> {
  readonly definition: MockApiDefinition<S>;
  state: S;
  readonly faults: FaultInjector;
  readonly #seed: SeedMode;
  readonly #now: () => Date;
  readonly #limiter: RateLimiter | undefined;
  readonly #validator: RequestValidator;
  readonly #validateResponses: boolean;
  readonly #bodyLimit: number;
  /** Whether a key may travel as a body field (`x-keysmith-also-in-body`): then the body is read to authenticate. */
  readonly #keyInBody: boolean;
  readonly #replays = new IdempotentReplays();
  readonly #log = new RequestLog();
  #requests = 0;
  /** Listeners to what resolvers publish (kept across `reset()`). */
  readonly events = new Set<(event: MockEvent) => void>();
  /** Hands what a resolver publishes to the listeners (the realtime mock). */
  readonly #publish = (event: MockEvent): void => {
    for (const listener of this.events) listener(event);
  };

  constructor(definition: MockApiDefinition<S>, options: MockRuntimeOptions = {}) {
    this.definition = definition;
    this.#seed = options.seed ?? "demo";
    this.#now = options.now ?? (() => new Date());
    this.#limiter = options.rateLimits === false ? undefined : new RateLimiter();
    this.faults = options.faults ?? new FaultInjector();
    this.state = definition.createState(this.#seed);
    this.#validator = new RequestValidator(definition.spec);
    this.#validateResponses = options.validateResponses ?? inTests();
    this.#bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    this.#keyInBody = Object.values(definition.spec.securitySchemes).some(
      (scheme) => scheme.type === "query" && scheme.alsoInBody,
    );
    if (!(Number.isSafeInteger(this.#bodyLimit) && this.#bodyLimit >= 0)) {
      throw new TypeError(`bodyLimit must be a whole number of bytes, not ${options.bodyLimit}`);
    }
  }

  /** The largest request body read, in bytes. */
  get bodyLimit(): number {
    return this.#bodyLimit;
  }

  /** Back to the seed data, with fresh rate-limit windows, replay cache and request logs. */
  reset(seed: SeedMode = this.#seed): void {
    this.state = this.definition.createState(seed);
    this.#limiter?.clear();
    this.#replays.clear();
    this.#log.clear();
  }

  /** The requests made with a key (by its id), newest last, at most the last 200. */
  requestLog(keyId: string): readonly RequestLogEntry[] {
    return this.#log.of(keyId);
  }

  /** The pipeline as a Fetch `Response`, for MSW handlers and for tests that call a resolver directly. */
  async handle(
    route: RouteSpec,
    request: MockRequest,
    pathParams: Record<string, string>,
    environment?: string,
  ): Promise<Response> {
    return toFetchResponse(await this.answer(route, request, pathParams, environment), request.method);
  }

  /**
   * One request through the pipeline. `pathParams` are as the URL carries them (percent-encoded): the runtime
   * decodes them, and refuses with a 400 one that does not decode. A HEAD request gets its GET's answer, body
   * included: the adapters send the headers only.
   */
  answer(
    route: RouteSpec,
    incoming: MockRequest,
    pathParams: Record<string, string>,
    environment?: string,
  ): Promise<MockResponse> {
    try {
      const answer = this.answerNow(route, incoming, pathParams, environment);
      return answer instanceof Promise ? answer : Promise.resolve(answer);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * `answer`, for adapters that can use an answer at once (the standalone server): the answer itself where
   * nothing had to be waited for, as for most requests (no body to read, no injected latency, a resolver that
   * answers at once), else a promise of it. A failure of the mock itself is thrown, or rejects the promise.
   *
   * The pipeline: authenticate, check the key, apply faults, rate-limit, resolve; a `MockProblem` on the way is
   * answered in the API's shape; then the request is logged and its answer checked. Its steps hand on the answer
   * itself, and a promise only where something has to be waited for: a request then costs no async function's
   * frame and no turn of the microtask queue.
   */
  answerNow(
    route: RouteSpec,
    incoming: MockRequest,
    pathParams: Record<string, string>,
    environment?: string,
  ): MockResponse | Promise<MockResponse> {
    const now = this.#now();
    const requestId = this.#nextRequestId(now);
    const call: Call = {
      route,
      request: new LimitedRequest(incoming, this.#bodyLimit),
      pathParams,
      environment,
      now,
      requestId,
      headers: { "X-Request-Id": requestId },
      key: undefined,
      fault: undefined,
    };
    let answer: MockResponse | Promise<MockResponse>;
    try {
      const url = incoming.parsedUrl ?? new URL(call.request.url);
      // a key may travel as a field of the body where the spec says so (`x-keysmith-also-in-body`)
      answer = this.#keyInBody
        ? bodyFields(call.request, route, this.definition.spec.schemas).then((fields) =>
            this.#authorized(call, url, fields),
          )
        : this.#authorized(call, url, undefined);
    } catch (error) {
      return this.#refused(call, error);
    }
    if (answer instanceof Promise) {
      return answer.then(
        (done) => this.#finish(call, done),
        (error: unknown) => this.#refused(call, error),
      );
    }
    return this.#finish(call, answer);
  }

  /** Authenticates the request and decides its faults; a latency fault delays the rest. */
  #authorized(call: Call, url: URL, fields: Record<string, unknown> | undefined): MockResponse | Promise<MockResponse> {
    const { route, request, environment, now } = call;
    const key = authenticate(this.definition.spec, this.#checkKey, route, request, url, environment, now, fields);
    call.key = key;
    const fault =
      this.faults.size > 0 ? this.faults.decide(this.definition.spec.name, call.route.operationId, key) : undefined;
    call.fault = fault;
    if (fault && fault.latencyMs > 0) {
      return new Promise((resolve) => setTimeout(resolve, fault.latencyMs)).then(() => this.#admitted(call, url, key));
    }
    return this.#admitted(call, url, key);
  }

  /** An authenticated request: dropped or refused as its faults say, rate-limited, then resolved. */
  #admitted(call: Call, url: URL, key: KeyRecord): MockResponse | Promise<MockResponse> {
    const { fault, headers, now } = call;
    if (fault?.drop) return { status: 0, headers: {}, body: undefined, drop: true };
    if (fault?.status !== undefined) throw injectedProblem(fault.status, this.definition.defaultRateLimit.requests);
    const limit = this.#limiter?.take(key, this.definition.defaultRateLimit, now.getTime());
    if (limit) Object.assign(headers, rateLimitHeaders(limit));
    if (limit?.exceeded) {
      throw new MockProblem(429, {
        code: "rate_limited",
        message: `Rate limit of ${limit.limit} requests exceeded; retry in ${limit.reset} s`,
        retryAfter: limit.reset,
        headers: { "Retry-After": String(limit.reset) },
      });
    }
    key.lastUsedAt = isoString(now);
    return this.#resolve(call, url, key);
  }

  /** A refusal (a `MockProblem`) answered in the API's shape, then finished as any answer; anything else is thrown. */
  #refused(call: Call, error: unknown): Promise<MockResponse> {
    if (!(error instanceof MockProblem)) throw error;
    return this.#problemAnswer(error, call.route, call.requestId, call.now, call.headers).then((answer) =>
      this.#finish(call, answer),
    );
  }

  /**
   * The request logged (where a key was found) and its answer checked against the spec; a dropped connection
   * is neither.
   */
  #finish(call: Call, answer: MockResponse): MockResponse {
    // only an injected fault drops a connection: nothing was answered, so nothing is logged or checked
    if (answer.drop) return answer;
    const { fault, key, route } = call;
    if (key) this.#record(key, call.request, route, answer.status, call.requestId, call.now);
    // injected faults and refusals of malformed requests are not the mock speaking for the API
    if (this.#validateResponses) {
      const optional =
        fault?.status !== undefined ||
        REFUSALS.has(answer.status) ||
        this.definition.undocumentedStatuses?.has(answer.status) === true;
      this.#validator.response(route, answer.status, answer.body, { optional });
    }
    return fault?.slowBodyMs ? { ...answer, slowBodyMs: fault.slowBodyMs } : answer;
  }

  /**
   * A request that passed authentication, resolved: its body read, its parameters and body checked, its replay
   * found or its resolver run. The answer itself, not a promise, when nothing has to be waited for (no body to
   * read, no replay in flight, a resolver that answers at once), as for most requests. A refusal is thrown (or
   * rejects, once waiting).
   */
  #resolve(call: Call, url: URL, key: KeyRecord): MockResponse | Promise<MockResponse> {
    const decoded = decodePathParams(call.pathParams);
    if (call.route.requestBody) {
      return readRequestBody(call.request, call.route, this.definition.spec.schemas).then(({ body, form }) =>
        this.#resolveRead(call, url, key, decoded, body, form),
      );
    }
    return this.#resolveRead(call, url, key, decoded, undefined, false);
  }

  /** `#resolve` once the body is read (`form`: it came as form fields). */
  #resolveRead(
    call: Call,
    url: URL,
    key: KeyRecord,
    decoded: Record<string, string>,
    body: unknown,
    form: boolean,
  ): MockResponse | Promise<MockResponse> {
    const { route, request, headers } = call;
    const { path, query } = this.#validator.params(route, decoded, url);
    if (form) this.#validator.formBody(route, body);
    else this.#validator.body(route, body);
    const idempotencyKey = route.idempotencyKey ? request.headers.get("Idempotency-Key") : null;
    const replayKey = idempotencyKey ? `${key.id} ${route.operationId} ${idempotencyKey}` : undefined;
    const replay = replayKey === undefined ? undefined : this.#replays.find(replayKey, headers);
    if (replay) return replay;
    const resolver = this.definition.resolvers[route.operationId];
    if (!resolver)
      throw new MockProblem(501, { code: "not_implemented", message: `${route.operationId} is not mocked` });
    const context: ResolverContext<S> = {
      state: this.state,
      route,
      params: path,
      query,
      body,
      key,
      request,
      url,
      environment: call.environment,
      now: call.now,
      requestId: call.requestId,
      publish: this.#publish,
    };
    return replayKey === undefined
      ? this.#run(resolver, headers, context)
      : this.#replays.run(replayKey, this.#runAsync(resolver, headers, context));
  }

  /** `#run` as a promise: what the resolver throws rejects it, as it would an async function's. */
  async #runAsync(
    resolver: Resolver<S>,
    headers: Record<string, string>,
    context: ResolverContext<S>,
  ): Promise<MockResponse> {
    return this.#run(resolver, headers, context);
  }

  /** The resolver's result as a JSON answer: at once where it answers at once, else once its promise settles. */
  #run(
    resolver: Resolver<S>,
    headers: Record<string, string>,
    context: ResolverContext<S>,
  ): MockResponse | Promise<MockResponse> {
    const result = resolver(context);
    if (isThenable(result)) {
      return Promise.resolve(result).then((done) =>
        json(done.status ?? context.route.successStatus, done.body, headers, done.headers),
      );
    }
    return json(result.status ?? context.route.successStatus, result.body, headers, result.headers);
  }

  /** `checkKey` as the pipeline calls it (an override in a subclass included). */
  readonly #checkKey = (secret: string, now: Date): KeyRecord => this.checkKey(secret, now);

  /** The key with this secret, if it is known, active and unexpired; else a 401 `MockProblem` saying which. */
  checkKey(secret: string, now: Date = this.#now()): KeyRecord {
    return checkKey(this.definition.keys(this.state), secret, now);
  }

  /**
   * A refusal in the API's own error shape, for a request that reached no operation (a path no operation
   * has, a method the path does not take): what the standalone server answers outside the pipeline.
   */
  async refuse(problem: MockProblem): Promise<MockResponse> {
    const now = this.#now();
    const requestId = this.#nextRequestId(now);
    return this.#problemAnswer(problem, undefined, requestId, now, { "X-Request-Id": requestId });
  }

  #nextRequestId(now: Date): string {
    this.#requests += 1;
    return `req_${this.definition.spec.name}_${base36Time(now)}${this.#requests.toString(36).padStart(4, "0")}`;
  }

  async #problemAnswer(
    problem: MockProblem,
    route: RouteSpec | undefined,
    requestId: string,
    now: Date,
    headers: Record<string, string>,
  ): Promise<MockResponse> {
    const status = (route && this.definition.errorStatus?.(problem.status, problem.details, route)) ?? problem.status;
    const body = await this.definition.errorBody(status, problem.details, requestId, now, route);
    const type = this.definition.errorContentType?.(status, route);
    return json(
      status,
      body,
      mergeHeaders(headers, type ? { "Content-Type": type } : undefined, this.#challenge(status, route)),
      problem.details.headers,
    );
  }

  /** `WWW-Authenticate` for a 401: a challenge per scheme the operation accepts (RFC 9110 §11.6.1). */
  #challenge(status: number, route: RouteSpec | undefined): Record<string, string> {
    if (status !== 401) return {};
    const { spec } = this.definition;
    const value = wwwAuthenticate(spec, route?.security?.length ? route.security : spec.security);
    return value === undefined ? {} : { "WWW-Authenticate": value };
  }

  #record(key: KeyRecord, request: MockRequest, route: RouteSpec, status: number, requestId: string, now: Date): void {
    const entry: RequestLogEntry = {
      at: isoString(now),
      method: request.method,
      path: urlPath(request.url),
      operationId: route.operationId,
      status,
      requestId,
    };
    this.#log.record(key.id, entry);
  }
}

/** Whether a resolver answered with a promise (or any thenable, which `await` would also wait for). */
function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === "function";
}

/** One request on its way through the pipeline: what its steps share. */
interface Call {
  readonly route: RouteSpec;
  readonly request: LimitedRequest;
  readonly pathParams: Record<string, string>;
  readonly environment: string | undefined;
  readonly now: Date;
  readonly requestId: string;
  /** The answer's own headers: its id, and its rate limit. */
  readonly headers: Record<string, string>;
  /** The key, once authenticated. */
  key: KeyRecord | undefined;
  /** What injected faults do to it, once decided. */
  fault: FaultOutcome | undefined;
}

const JSON_TYPE: Readonly<Record<string, string>> = { "Content-Type": "application/json" };

/** A JSON answer; `extra` headers (a resolver's own, a problem's own) win over `headers`. */
function json(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>>,
  extra?: Readonly<Record<string, string>>,
): MockResponse {
  if (body === undefined || status === 204) return { status, headers: mergeHeaders(headers, extra), body: undefined };
  return { status, headers: mergeHeaders(JSON_TYPE, headers, extra), body: JSON.stringify(body) };
}
