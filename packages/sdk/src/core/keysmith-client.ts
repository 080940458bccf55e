import createClient, { type Client } from "openapi-fetch";
import type { ApiDefinition, OperationDefinition } from "./api-definition.js";
import { chooseAuthScheme, createAuthorizer } from "./auth-styles.js";
import { resolveServer } from "./base-url.js";
import type { ClientOptions, RequestOptions } from "./client-options.js";
import { resolveApiKey } from "./credentials.js";
import { type Environment, readEnvironment } from "./environment.js";
import { apiErrorFromResponse } from "./errors/api-error-from-response.js";
import { buildRequestInit } from "./operation-call.js";
import { createTransport, type Transport } from "./transport.js";

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RETRIES = 2;

type OperationMethod = (input?: unknown, options?: RequestOptions) => Promise<unknown>;

/**
 * The runtime behind every generated client: resolves the key and base URL once, at construction (so a
 * missing key fails before any request), authorizes every request, and exposes one method per operation,
 * grouped by tag. The key lives in a closure, never on the instance, so it cannot show up in
 * `JSON.stringify` or `util.inspect` of the client.
 */
export class KeysmithClient<Paths extends {}> {
  /**
   * The underlying openapi-fetch client, for path-style calls with the same auth, retries and transport.
   * @example const { data } = await client.fetchClient.GET("/v1/dictionaries")
   */
  readonly fetchClient: Client<Paths>;
  /** The base URL every request goes to. */
  readonly baseUrl: string;
  /** The environment targeted, for APIs whose servers are per environment. */
  readonly environment: string | undefined;

  constructor(api: ApiDefinition, options: ClientOptions = {}) {
    const env = readEnvironment(options.env);
    const { baseUrl, environment } = resolveServer(api, options, env);
    const key = resolveApiKey(api, options, env);
    this.baseUrl = baseUrl;
    this.environment = environment;
    const transport = createTransport({
      authorize: createAuthorizer(chooseAuthScheme(api), key),
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
      fetch: options.fetch,
    });
    this.fetchClient = createClient<Paths>({
      baseUrl,
      ...(options.headers ? { headers: { ...options.headers } } : {}),
      // path-style calls may carry a signal in their init, which only the Request knows
      fetch: (request) => transport(request, request.signal),
    });
    attachOperations(this, api, env, transport);
  }
}

function attachOperations(
  client: KeysmithClient<object>,
  api: ApiDefinition,
  env: Environment,
  transport: Transport,
): void {
  const groups = new Map<string, Record<string, OperationMethod>>();
  for (const op of Object.values(api.operations)) {
    const group = groups.get(op.group) ?? {};
    groups.set(op.group, group);
    group[op.name] = operationMethod(client, api, op, env, transport);
  }
  for (const [name, group] of groups) {
    Object.defineProperty(client, name, { value: Object.freeze(group), enumerable: true });
  }
}

function operationMethod(
  client: KeysmithClient<object>,
  api: ApiDefinition,
  op: OperationDefinition,
  env: Environment,
  transport: Transport,
): OperationMethod {
  const takesInput = Boolean(op.path.includes("{") || op.queryParams || op.headerParams || op.body);
  const request = client.fetchClient.request as unknown as (
    method: string,
    path: string,
    init: unknown,
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
  return async (...args) => {
    const [input, options] = takesInput ? [args[0], args[1]] : [undefined, args[0] as RequestOptions | undefined];
    const init = buildRequestInit(api, op, (input ?? {}) as Record<string, unknown>, options ?? {}, env);
    const signal = options?.signal;
    // typed methods know whether the caller gave a signal; without one, ky is spared joining signals
    init.fetch = (request: Request) => transport(request, signal);
    const { data, error, response } = await request(op.method, op.path, init);
    if (response.ok) return data;
    throw apiErrorFromResponse(
      api.error,
      op.method.toUpperCase(),
      response.url || client.baseUrl + op.path,
      response,
      error,
    );
  };
}
