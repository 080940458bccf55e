import type { Client } from "openapi-fetch";
import { readAnswer } from "./answer-data.js";
import type { ApiDefinition, OperationDefinition } from "./api-definition.js";
import { type APIPromise, apiPromise } from "./api-promise.js";
import { needsChoosing, resolveServer } from "./base-url.js";
import type { encodeBody } from "./body-encoding.js";
import type { CallHooks } from "./call-hooks.js";
import { CallScope } from "./call-scope.js";
import type { ClientOptions, RequestOptions } from "./client-options.js";
import { Credentials } from "./credentials.js";
import { type Environment, readEnvironment, readSetting } from "./environment.js";
import { apiErrorFromResponse } from "./errors/api-error-from-response.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";
import { KeysmithError } from "./errors/KeysmithError.js";
import { MissingCredentialError } from "./errors/MissingCredentialError.js";
import { ResponseParseError } from "./errors/ResponseParseError.js";
import type { apiErrorFromResultCode } from "./errors/result-code-error.js";
import { type HookRunner, hookRunner } from "./hook-runner.js";
import type { introspectKey } from "./key-introspection.js";
import type { checkKeyRules } from "./key-rules.js";
import { createLogger } from "./logger.js";
import type { OAuthTokens } from "./oauth-tokens.js";
import { buildOperationRequest, type RequestBase } from "./operation-call.js";
import { pagePromise } from "./pagination.js";
import { lazyPathClient } from "./path-client.js";
import type { serializeQuery } from "./query-serializer.js";
import type { RetryPolicy } from "./retry-policy.js";
import { type SchemeCredentials, Security } from "./security.js";
import type { chooseServer } from "./server-choice.js";
import type { SignatureVerifier } from "./signature.js";
import { createTransport, type Transport } from "./transport.js";

type OperationMethod = (input?: unknown, options?: RequestOptions) => APIPromise<unknown>;

/** What each operation method shares, built once per client. */
interface Runtime {
  readonly api: ApiDefinition;
  readonly baseUrl: string;
  readonly base: RequestBase;
  readonly env: Environment;
  readonly credentials: Credentials;
  readonly security: Security;
  readonly transport: Transport;
  readonly policy: RetryPolicy;
  readonly verifier: SignatureVerifier | undefined;
  readonly resultCodeError: typeof apiErrorFromResultCode | undefined;
  readonly encodeBody: typeof encodeBody | undefined;
  readonly serializeQuery: typeof serializeQuery | undefined;
  readonly hooks: HookRunner;
}

/**
 * Capabilities only some APIs need, passed in by their generated clients so that the others' bundles
 * leave them out (`SignatureVerifier` for APIs with `x-keysmith-signature`, `apiErrorFromResultCode` for
 * APIs with `x-keysmith-result-code`…). A definition whose servers need choosing, whose keys have rules or
 * that has key introspection is refused at construction when the client was not given the capability for it.
 */
export interface ClientCapabilities {
  readonly SignatureVerifier?: typeof SignatureVerifier;
  /** For APIs with `x-keysmith-result-code`: failures reported inside a 2xx body, as typed errors. */
  readonly apiErrorFromResultCode?: typeof apiErrorFromResultCode;
  /** For APIs with query parameters in other styles than `form` + explode: their serialiser. */
  readonly serializeQuery?: typeof serializeQuery;
  /** For APIs with form, multipart, text or binary bodies: their encoder. */
  readonly encodeBody?: typeof encodeBody;
  /** For APIs with an OAuth2 client-credentials flow: the token cache. */
  readonly OAuthTokens?: typeof OAuthTokens;
  /** For APIs with several schemes, Basic pairs or OAuth2 clients: the `credentials` option and scheme variables. */
  readonly schemeCredentials?: SchemeCredentials;
  /** For APIs whose servers need choosing (environments, variables, relative URLs). */
  readonly chooseServer?: typeof chooseServer;
  /** For APIs whose keys have a format or prefixes to check (`x-keysmith-key-format`, `-key-prefix`). */
  readonly checkKeyRules?: typeof checkKeyRules;
  /** For APIs with key introspection (`x-keysmith-introspection`): `credentials.refreshPermissions()`. */
  readonly introspectKey?: typeof introspectKey;
}

/**
 * The runtime behind every generated client. At construction it resolves the base URL and the credential
 * (so a missing, malformed or expired key fails before any request); on every call it checks the key again
 * (expiry, rotation, permissions), authorizes the request in the spec's style, sends it with timeouts and
 * safe retries, and turns the answer into typed data or a typed error. The key lives in closures, never on
 * the instance, so it cannot show up in `JSON.stringify` or `util.inspect` of the client.
 */
export class KeysmithClient<Paths extends {}> {
  /**
   * An openapi-fetch client, for path-style calls with the same auth, retries and transport (openapi-fetch
   * loads on its first call).
   * @example const { data } = await client.fetchClient.GET("/v1/dictionaries")
   */
  readonly fetchClient: Client<Paths>;
  /** The base URL every request goes to. */
  readonly baseUrl: string;
  /** The environment targeted, for APIs whose servers are per environment (undefined with a custom base URL and none named). */
  readonly environment: string | undefined;
  /**
   * The credential: where it came from, how it is sent, when it expires (never the key itself).
   * @example console.log(client.credentials.status())
   */
  readonly credentials: Credentials & { refreshPermissions(): Promise<readonly string[]> };

  constructor(api: ApiDefinition, options: ClientOptions = {}, capabilities: ClientCapabilities = {}) {
    checkCapabilities(api, capabilities);
    const env = readEnvironment(options.env);
    const logger = createLogger(api.name, options, env);
    const { baseUrl, environment } = resolveServer(api, options, env, capabilities.chooseServer);
    const credentials = new Credentials(api, options, env, {
      environment,
      logger,
      keyRules: capabilities.checkKeyRules,
    });
    const policy = retryPolicyOf(api.name, options);
    const tokens = capabilities.OAuthTokens
      ? new capabilities.OAuthTokens({ fetch: options.fetch, timeout: policy.timeout })
      : undefined;
    const security = new Security(api, options, env, {
      credentials,
      tokens,
      baseUrl,
      schemeCredentials: capabilities.schemeCredentials,
      timeout: policy.timeout,
    });
    // an API whose every call needs a credential, built without any: refused now, not at the first call
    if (!security.canMeet(api.security)) {
      // nothing given at all: the API's key is what is missing; something given: name what else is needed
      throw Object.values(security.sources()).some(Boolean)
        ? security.missing(api.security)
        : new MissingCredentialError(api.name, api.env.apiKey);
    }
    credentials.describe(security);
    this.baseUrl = baseUrl;
    this.environment = environment;
    const transport = createTransport({ policy, fetch: options.fetch, logger });
    const hooks = hookRunner(api, options.hooks, policy.timeout, logger);
    const headers = options.headers ? { ...options.headers } : undefined;
    this.fetchClient = lazyPathClient<Paths>({
      baseUrl,
      headers,
      timeout: policy.timeout,
      // path-style calls: the API's own security; the signal, if any, is only known to the Request
      fetch: async (request) => {
        const scope = new CallScope(`${request.method} ${request.url.split("?")[0]}`, request.signal, policy.deadline);
        let callHooks: CallHooks | undefined;
        try {
          const loading = hooks(scope, undefined, undefined, request.method, request.url);
          callHooks = loading && (await loading);
          const auth = await security.forOperation(undefined, scope);
          return await transport(request, { scope, auth, hooks: callHooks });
        } catch (error) {
          await callHooks?.failed(error);
          throw error;
        } finally {
          scope.close();
        }
      },
    });
    const publicKey = api.signature ? readSetting(options.publicKey, "publicKey", env, api.env.publicKey) : undefined;
    const runtime: Runtime = {
      api,
      baseUrl,
      base: { baseUrl, headers },
      env,
      credentials,
      security,
      transport,
      policy,
      verifier:
        api.signature && publicKey && capabilities.SignatureVerifier
          ? new capabilities.SignatureVerifier(api.name, api.signature, publicKey.value, publicKey.source)
          : undefined,
      resultCodeError: api.resultCode ? capabilities.apiErrorFromResultCode : undefined,
      encodeBody: capabilities.encodeBody,
      serializeQuery: capabilities.serializeQuery,
      hooks,
    };
    attachOperations(this, runtime);
    const { introspectKey } = capabilities;
    this.credentials = Object.assign(credentials, {
      refreshPermissions: async () => {
        if (!introspectKey) {
          throw new KeysmithError(`${api.name}: this API has no key introspection; pass \`permissions\` instead.`);
        }
        const permissions = await introspectKey(api, (op) => operationMethod(runtime, op)());
        credentials.setPermissions(permissions);
        return permissions;
      },
    });
  }
}

function attachOperations(client: KeysmithClient<object>, runtime: Runtime): void {
  const groups = new Map<string, Record<string, OperationMethod>>();
  for (const op of Object.values(runtime.api.operations)) {
    const group = groups.get(op.group) ?? {};
    groups.set(op.group, group);
    group[op.name] = operationMethod(runtime, op);
  }
  for (const [name, group] of groups)
    Object.defineProperty(client, name, { value: Object.freeze(group), enumerable: true });
}

function operationMethod(runtime: Runtime, op: OperationDefinition): OperationMethod {
  const takesInput = Boolean(op.path.includes("{") || op.queryParams || op.headerParams || op.cookieParams || op.body);
  const method = op.method.toUpperCase();
  // an operation that also answers in other media types reads whatever arrives (see `call`)
  const expectsJson = op.response === undefined && op.accept === undefined;
  const { pagination } = op;
  return (...args) => {
    const [input, options] = takesInput ? [args[0], args[1]] : [undefined, args[0] as RequestOptions | undefined];
    const given = (input ?? {}) as Record<string, unknown>;
    const first = call(runtime, op, method, expectsJson, given, options ?? {});
    if (!pagination) return apiPromise(first);
    // a list: the first page now, the others when iterated, each one call with the same options
    const fetchPage = (next: Record<string, unknown>) => call(runtime, op, method, expectsJson, next, options ?? {});
    const where = `${runtime.api.name}.${op.group}.${op.name}`;
    return pagePromise(where, pagination, given, first, fetchPage, options?.signal, runtime.policy.timeout);
  };
}

async function call(
  runtime: Runtime,
  op: OperationDefinition,
  method: string,
  expectsJson: boolean,
  input: Record<string, unknown>,
  options: RequestOptions,
): Promise<{ data: unknown; response: Response }> {
  const scope = new CallScope(`${method} ${runtime.baseUrl}${op.path}`, options.signal, runtime.policy.deadline);
  let hooks: CallHooks | undefined;
  try {
    const loading = runtime.hooks(scope, op, options.hooks, method, runtime.baseUrl + op.path);
    hooks = loading && (await loading);
    return await callWithin(scope, runtime, op, method, expectsJson, input, options, hooks);
  } catch (error) {
    // the error the call throws, shown to `onError` once (a failing `onError` fails the call instead)
    await hooks?.failed(error);
    throw error;
  } finally {
    scope.close();
  }
}

async function callWithin(
  scope: CallScope,
  runtime: Runtime,
  op: OperationDefinition,
  method: string,
  expectsJson: boolean,
  input: Record<string, unknown>,
  options: RequestOptions,
  hooks: CallHooks | undefined,
): Promise<{ data: unknown; response: Response }> {
  const { api, credentials } = runtime;
  const url = runtime.baseUrl + op.path;
  credentials.require(op, method, url);
  const auth = await runtime.security.forOperation(op, scope);
  const { request, parseAs } = buildRequest(runtime, op, input, options);
  let response = await runtime.transport(request, { scope, auth, stream: options.stream, hooks });
  // an OAuth2 token the server no longer takes: one fresh token, one more try
  const fresh = response.status === 401 ? await auth.retry?.() : undefined;
  if (fresh) {
    void response.body?.cancel().catch(() => undefined);
    response = await runtime.transport(request, { scope, auth: fresh, stream: options.stream, hooks });
  }
  const type = response.headers.get("content-type");
  if (response.ok && expectsJson && type && !/json/i.test(type) && response.status !== 204) {
    void response.body?.cancel().catch(() => undefined);
    throw new ResponseParseError(
      `${api.name}: ${method} ${url} answered ${response.status} with ${type}, not JSON`,
      response,
    );
  }
  let answer: Awaited<ReturnType<typeof readAnswer>>;
  try {
    answer = await readAnswer(response, method, parseAs);
  } catch (cause) {
    throw new ResponseParseError(
      `${api.name}: the ${response.status} answer to ${method} ${url} could not be read as JSON`,
      response,
      { cause },
    );
  }
  if (!response.ok) throw apiErrorFromResponse(api, method, response.url || url, response, answer.error);
  let { data } = answer as { data: unknown };
  // read as text for an operation that speaks JSON and more: JSON when the answer says so
  if (op.accept && op.response === undefined && typeof data === "string" && /json/i.test(type ?? "")) {
    try {
      data = JSON.parse(data);
    } catch (cause) {
      throw new ResponseParseError(
        `${api.name}: the ${response.status} answer to ${method} ${url} is not the JSON it says`,
        response,
        { cause },
      );
    }
  }
  // a JSON answer promised but an empty one given (a 204 too, unless the operation documents one): a typed
  // error, never a silent `undefined`
  if (expectsJson && data === undefined && !op.emptySuccess && method !== "HEAD") {
    throw new ResponseParseError(
      `${api.name}: ${method} ${url} answered ${response.status} with no body; JSON was expected`,
      response,
    );
  }
  if (runtime.verifier) await runtime.verifier.verify(data, response.status);
  const failure = runtime.resultCodeError?.(api, op, method, response.url || url, response, data);
  if (failure) throw failure;
  return { data, response };
}

/** The call's request; a value that cannot be written fails the call with a `ConfigurationError`, nothing sent. */
function buildRequest(
  runtime: Runtime,
  op: OperationDefinition,
  input: Record<string, unknown>,
  options: RequestOptions,
): ReturnType<typeof buildOperationRequest> {
  try {
    return buildOperationRequest(
      runtime.api,
      op,
      runtime.base,
      input,
      options,
      runtime.env,
      runtime.encodeBody,
      runtime.serializeQuery,
    );
  } catch (error) {
    if (error instanceof KeysmithError) throw error;
    const where = `${runtime.api.name}.${op.group}.${op.name}`;
    throw new ConfigurationError(`${where}: cannot build the request: ${(error as Error)?.message ?? error}`, {
      cause: error,
    });
  }
}

/** A definition whose features need a capability the client was not given: refused now, naming it. */
function checkCapabilities(api: ApiDefinition, capabilities: ClientCapabilities): void {
  const needed: [boolean, keyof ClientCapabilities][] = [
    [api.servers.some(needsChoosing), "chooseServer"],
    [api.keyFormat !== undefined || api.servers.some((server) => server.keyPrefix), "checkKeyRules"],
    [api.introspection !== undefined, "introspectKey"],
  ];
  for (const [needs, name] of needed) {
    if (needs && !capabilities[name]) {
      throw new ConfigurationError(
        `${api.name}: its description needs the \`${name}\` capability: regenerate the client (\`keysmith generate\`), or pass it to KeysmithClient as generated clients do.`,
      );
    }
  }
}

const KIB = 1024;

/** The retry and size options, checked: a bad value is refused at construction, naming the option. */
function retryPolicyOf(apiName: string, options: ClientOptions): RetryPolicy {
  const read = (name: keyof ClientOptions, fallback: number | undefined, integer: boolean, min: number) => {
    const value = options[name];
    if (value === undefined) return fallback;
    if (typeof value !== "number" || Number.isNaN(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new ConfigurationError(
        `${apiName}: \`${name}\` must be ${integer ? "an integer" : "a number"} of at least ${min}; got ${String(value)}.`,
      );
    }
    return value;
  };
  return {
    maxRetries: read("maxRetries", 2, true, 0) ?? 2,
    timeout: Math.min(read("timeout", 60_000, false, 1) ?? 60_000, MAX_TIMER_MS),
    maxRetryDelay: read("maxRetryDelay", 8_000, false, 0) ?? 8_000,
    deadline: (() => {
      const deadline = read("deadline", undefined, false, 1);
      return deadline === undefined ? undefined : Math.min(deadline, MAX_TIMER_MS);
    })(),
    maxResponseBytes: read("maxResponseBytes", 32 * KIB * KIB, true, 1) ?? 32 * KIB * KIB,
  };
}

/** The longest delay a timer can hold (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;
