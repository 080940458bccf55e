import { extractCredential } from "./authenticate.js";
import type { KeyRecord } from "./key-record.js";
import type { MockApiDefinition, SeedMode } from "./mock-api.js";
import type { RouteSpec } from "./mock-api-spec.js";
import { MockProblem } from "./mock-problem.js";
import { RateLimiter, rateLimitHeaders } from "./rate-limiter.js";
import { RequestValidator } from "./request-validator.js";

export interface MockRuntimeOptions {
  readonly seed?: SeedMode;
  /** The clock, for key expiry and rate-limit windows; fake timers drive `Date` too. */
  readonly now?: () => Date;
  /** Enforce per-key rate limits (default true); turn off for load tests of your own code. */
  readonly rateLimits?: boolean;
}

/**
 * One API's live mock: its store, rate-limit windows and validators, and the request pipeline both the MSW
 * handlers and the standalone server run: authenticate, check the key (active, unexpired, right environment,
 * permitted), rate-limit, validate, resolve, and answer in the API's own shapes.
 */
export class MockApiRuntime<S = unknown> {
  readonly definition: MockApiDefinition<S>;
  state: S;
  readonly #seed: SeedMode;
  readonly #now: () => Date;
  readonly #limiter: RateLimiter | undefined;
  readonly #validator: RequestValidator;
  /** First answers to writes that carried an `Idempotency-Key`, replayed for the same key and operation. */
  readonly #idempotent = new Map<string, { status: number; body: unknown; headers: Record<string, string> }>();
  #requests = 0;

  constructor(definition: MockApiDefinition<S>, options: MockRuntimeOptions = {}) {
    this.definition = definition;
    this.#seed = options.seed ?? "demo";
    this.#now = options.now ?? (() => new Date());
    this.#limiter = options.rateLimits === false ? undefined : new RateLimiter();
    this.state = definition.createState(this.#seed);
    this.#validator = new RequestValidator(definition.spec);
  }

  /** Back to the seed data, with fresh rate-limit windows. */
  reset(seed: SeedMode = this.#seed): void {
    this.state = this.definition.createState(seed);
    this.#limiter?.clear();
    this.#idempotent.clear();
  }

  async handle(
    route: RouteSpec,
    request: Request,
    pathParams: Record<string, string>,
    environment?: string,
  ): Promise<Response> {
    const now = this.#now();
    this.#requests += 1;
    const requestId = `req_${this.definition.spec.name}_${now.getTime().toString(36)}${this.#requests.toString(36).padStart(4, "0")}`;
    const headers: Record<string, string> = { "X-Request-Id": requestId };
    try {
      const url = new URL(request.url);
      const key = this.#authenticate(route, request, url, environment, now);
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
      key.lastUsedAt = now.toISOString();
      const { path, query } = this.#validator.params(route, pathParams, url);
      const body = await readJson(request);
      this.#validator.body(route, body);
      const idempotencyKey = route.idempotencyKey ? request.headers.get("Idempotency-Key") : null;
      const replayKey = idempotencyKey ? `${key.id} ${route.operationId} ${idempotencyKey}` : undefined;
      const replay = replayKey === undefined ? undefined : this.#idempotent.get(replayKey);
      if (replay)
        return json(replay.status, replay.body, { ...headers, ...replay.headers, "Idempotent-Replayed": "true" });
      const resolver = this.definition.resolvers[route.operationId];
      if (!resolver)
        throw new MockProblem(501, { code: "not_implemented", message: `${route.operationId} is not mocked` });
      const result = await resolver({
        state: this.state,
        route,
        params: path,
        query,
        body,
        key,
        request,
        url,
        environment,
        now,
        requestId,
      });
      const status = result.status ?? route.successStatus;
      if (replayKey !== undefined && status < 300) {
        this.#idempotent.set(replayKey, { status, body: result.body, headers: { ...result.headers } });
      }
      return json(status, result.body, { ...headers, ...result.headers });
    } catch (error) {
      if (!(error instanceof MockProblem)) throw error;
      return json(error.status, await this.definition.errorBody(error.status, error.details, requestId, now), {
        ...headers,
        ...error.details.headers,
      });
    }
  }

  #authenticate(route: RouteSpec, request: Request, url: URL, environment: string | undefined, now: Date): KeyRecord {
    const security = route.security ?? this.definition.spec.security;
    const secret = extractCredential(this.definition.spec, security, request, url);
    const key = this.definition.keys(this.state).find(secret);
    if (!key) throw new MockProblem(401, { code: "invalid_key", message: "Invalid API key", authFailure: "unknown" });
    if (key.status !== "active") {
      throw new MockProblem(401, {
        code: "inactive_key",
        message: "The API key is inactive or revoked",
        authFailure: "inactive",
      });
    }
    if (key.expiresAt !== undefined && Date.parse(key.expiresAt) <= now.getTime()) {
      throw new MockProblem(401, {
        code: "expired_key",
        message: `The API key expired at ${key.expiresAt}`,
        authFailure: "expired",
      });
    }
    if (environment !== undefined && key.environment !== undefined && key.environment !== environment) {
      throw new MockProblem(401, {
        code: "wrong_environment",
        message: `The API key belongs to the ${key.environment} environment, not ${environment}`,
        authFailure: "wrong_environment",
      });
    }
    if (route.permission && key.permissions && !key.permissions.includes(route.permission)) {
      throw new MockProblem(403, {
        code: "permission_denied",
        message: `The API key lacks the ${route.permission} permission`,
        authFailure: "permission",
      });
    }
    return key;
  }
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new MockProblem(400, { code: "parse_error", field: "body", message: "body: not valid JSON" });
  }
}

function json(status: number, body: unknown, headers: Record<string, string>): Response {
  if (body === undefined || status === 204) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}
