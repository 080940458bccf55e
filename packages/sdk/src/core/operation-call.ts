import type { ApiDefinition, OperationDefinition } from "./api-definition.js";
import type { encodeBody } from "./body-encoding.js";
import type { RequestOptions } from "./client-options.js";
import { type Environment, readSetting } from "./environment.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";
import type { serializeQuery } from "./query-serializer.js";
import type { RequestDraft } from "./request-draft.js";

/** What openapi-fetch's `request(method, path, init)` takes, untyped: typing is the generated method's job. */
export interface FetchRequestInit {
  params: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, unknown> };
  body?: unknown;
  bodySerializer?: (body: unknown) => unknown;
  headers: Record<string, string>;
  fetch?: (request: Request) => Promise<Response>;
  Request?: typeof RequestDraft;
  parseAs?: "text" | "blob" | "stream";
  querySerializer?: (query: Record<string, unknown>) => string;
}

/**
 * Splits a method's one argument into path, header and query parameters and the body, as the operation's
 * table entry says: path and header parameters by name; then, for an operation without a body, every other
 * field is a query parameter; with a body, the listed query parameters are, and the rest is the body (or its
 * `body` field). Parameters that default to an environment variable are filled from it.
 */
export function buildRequestInit(
  api: ApiDefinition,
  op: OperationDefinition,
  input: Record<string, unknown>,
  options: RequestOptions,
  env: Environment,
  encode?: typeof encodeBody,
  serialize?: typeof serializeQuery,
): FetchRequestInit {
  const rest = { ...input };
  const take = (names: readonly string[] = []) => {
    const taken: Record<string, unknown> = {};
    for (const name of names) {
      const value = rest[name] ?? readSetting(undefined, name, env, api.paramEnv?.[name])?.value;
      delete rest[name];
      if (value !== undefined) taken[name] = value;
    }
    return taken;
  };
  const pathParams = pathParamsOf(op);
  const path = take(pathParams);
  for (const name of pathParams) {
    if (path[name] === undefined || path[name] === "") {
      const variable = api.paramEnv?.[name];
      throw new ConfigurationError(
        `${api.name}.${op.group}.${op.name}: pass \`${name}\`${variable ? ` or set ${variable}` : " (it is required)"}.`,
      );
    }
  }
  const header = take(op.headerParams);
  const cookies = Object.entries(take(op.cookieParams)).map(
    ([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`,
  );
  const query = op.body ? take(op.queryParams) : rest;
  const init: FetchRequestInit = { params: { path, query, header }, headers: { ...options.headers } };
  if (cookies.length > 0) init.headers.Cookie = cookies.join("; ");
  // parameters with styles of their own (a capability of the clients whose API has them)
  const styles = op.queryStyles;
  if (styles && serialize)
    init.querySerializer = (values) => serialize(values, styles, `${api.name}.${op.group}.${op.name}`);
  const body = op.body === "nested" ? rest.body : op.body && Object.keys(rest).length > 0 ? rest : undefined;
  if (body !== undefined) init.body = body;
  if (op.bodyType && body !== undefined) {
    // the encoder is a capability of clients whose API has such bodies; without it the body goes as given
    const encoded = encode ? encode(op.bodyType, body) : { body, contentType: op.bodyType };
    init.body = encoded.body;
    init.bodySerializer = (value) => value;
    if (encoded.contentType) init.headers["Content-Type"] = encoded.contentType;
  }
  // what the operation can answer with, JSON first; a text answer to an operation that also speaks JSON is read
  if (op.accept) init.headers.Accept ??= op.accept;
  if (op.response === "text" || (op.accept && op.response === undefined)) init.parseAs = "text";
  else if (op.response === "blob") init.parseAs = options.stream ? "stream" : "blob";
  if (op.idempotencyKey) init.headers["Idempotency-Key"] = options.idempotencyKey ?? crypto.randomUUID();
  return init;
}

const pathParamCache = new WeakMap<OperationDefinition, string[]>();

/** The `{names}` in an operation's path template (read once per operation). */
export function pathParamsOf(op: OperationDefinition): string[] {
  let names = pathParamCache.get(op);
  if (!names) {
    names = Array.from(op.path.matchAll(/\{([^}]+)\}/g), (match) => match[1] ?? "");
    pathParamCache.set(op, names);
  }
  return names;
}
