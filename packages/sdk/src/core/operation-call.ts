import type { ApiDefinition, OperationDefinition } from "./api-definition.js";
import type { RequestOptions } from "./client-options.js";
import { type Environment, readVariable } from "./environment.js";
import { apiErrorFromResponse } from "./errors/api-error-from-response.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";

/** What openapi-fetch's `request(method, path, init)` takes, untyped: typing is the generated method's job. */
export interface FetchRequestInit {
  params: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> };
  body?: unknown;
  bodySerializer?: (body: unknown) => unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  parseAs?: "json" | "text";
}

type Input = Record<string, unknown>;

/**
 * Splits a method's one argument into path, query and header parameters and the body, as the operation's
 * table entry says; fills parameters that default to an environment variable.
 */
export function buildRequestInit(
  api: ApiDefinition,
  op: OperationDefinition,
  input: Input,
  options: RequestOptions,
  env: Environment,
): FetchRequestInit {
  const rest: Input = { ...input };
  const take = (names: readonly string[] | undefined) => {
    const taken: Input = {};
    for (const name of names ?? []) {
      if (rest[name] !== undefined) taken[name] = rest[name];
      delete rest[name];
      const variable = op.envParams?.[name];
      if (taken[name] === undefined && variable !== undefined) {
        const value = readVariable(env, variable);
        if (value === undefined) {
          throw new ConfigurationError(`${api.name}.${op.group}.${op.name}: pass \`${name}\` or set ${variable}.`);
        }
        taken[name] = value;
      }
    }
    return taken;
  };
  const path = take(op.pathParams);
  const query = take(op.queryParams);
  const header = take(op.headerParams);
  for (const name of op.pathParams ?? []) {
    if (path[name] === undefined || path[name] === "") {
      throw new ConfigurationError(`${api.name}.${op.group}.${op.name}: the path parameter \`${name}\` is required.`);
    }
  }

  const init: FetchRequestInit = { params: { path, query, header } };
  if (op.body === "flat" && Object.keys(rest).length > 0) init.body = rest;
  else if (op.body === "nested" && rest.body !== undefined) init.body = rest.body;
  if (op.response === "text") init.parseAs = "text";

  const headers: Record<string, string> = { ...options.headers };
  if (op.bodyType !== undefined && init.body !== undefined) {
    init.bodySerializer = (body) => body;
    headers["Content-Type"] = op.bodyType;
  }
  if (op.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey ?? crypto.randomUUID();
  if (Object.keys(headers).length > 0) init.headers = headers;
  if (options.signal) init.signal = options.signal;
  return init;
}

/** Returns the parsed body of a 2xx, or throws the `APIError` subclass for the status. */
export function unwrapResult(
  api: ApiDefinition,
  result: { data?: unknown; error?: unknown; response: Response },
  request: { method: string; url: string },
): unknown {
  if (result.response.ok) return result.data;
  throw apiErrorFromResponse(api.error, request, result.response, result.error);
}
