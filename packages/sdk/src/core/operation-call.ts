import type { ApiDefinition, OperationDefinition } from "./api-definition.js";
import type { encodeBody } from "./body-encoding.js";
import type { RequestOptions } from "./client-options.js";
import { type Environment, readSetting } from "./environment.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";
import { formQuery } from "./form-query.js";
import type { serializeQuery } from "./query-serializer.js";
import { RequestDraft } from "./request-draft.js";

/** How a typed call reads a 2xx body (see `readAnswer`). */
export type ParseAs = "json" | "text" | "blob" | "stream";

/** A typed call's request, and how to read its answer. */
export interface OperationRequest {
  readonly request: RequestDraft;
  readonly parseAs: ParseAs;
}

/** What every request of a client starts from: its base URL and the headers given at construction. */
export interface RequestBase {
  readonly baseUrl: string;
  readonly headers: Readonly<Record<string, string>> | undefined;
}

/**
 * A typed call's request, built from the method's one argument as the operation's table entry says: path
 * and header parameters by name; then, for an operation without a body, every other field is a query
 * parameter; with a body, the listed query parameters are, and the rest is the body (or its `body` field).
 * Parameters that default to an environment variable are filled from it. Headers, lowest priority first: a
 * JSON body's `Content-Type`, the client's headers, the call's, the header parameters. A value that cannot be
 * written (a missing path parameter, a nested value a query style cannot hold, a body `JSON.stringify`
 * refuses) is a `ConfigurationError` naming the method: nothing is sent.
 */
export function buildOperationRequest(
  api: ApiDefinition,
  op: OperationDefinition,
  base: RequestBase,
  input: Record<string, unknown>,
  options: RequestOptions,
  env: Environment,
  encode?: typeof encodeBody,
  serialize?: typeof serializeQuery,
): OperationRequest {
  const where = `${api.name}.${op.group}.${op.name}`;
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
    if (path[name] === undefined || path[name] === "" || path[name] === null) {
      const variable = api.paramEnv?.[name];
      throw new ConfigurationError(
        `${where}: pass \`${name}\`${variable ? ` or set ${variable}` : " (it is required)"}.`,
      );
    }
  }
  const headerParams = take(op.headerParams);
  const cookies = Object.entries(take(op.cookieParams)).map(
    ([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`,
  );
  const query = op.body ? take(op.queryParams) : rest;
  const styles = op.queryStyles;
  // parameters with styles of their own use the serialiser their clients carry (a capability)
  const search = styles && serialize ? serialize(query, styles, where) : formQuery(query, where);
  const url = `${base.baseUrl}${fillPath(op.path, path)}${search ? `?${search}` : ""}`;

  const body = op.body === "nested" ? rest.body : op.body && Object.keys(rest).length > 0 ? rest : undefined;
  const headers = new Headers();
  let sent: BodyInit | undefined;
  if (body !== undefined) {
    if (op.bodyType) {
      // the encoder is a capability of clients whose API has such bodies; without it the body goes as given
      const encoded = encode ? encode(op.bodyType, body) : { body, contentType: op.bodyType };
      sent = encoded.body as BodyInit;
      if (encoded.contentType) headers.set("Content-Type", encoded.contentType);
    } else if (body instanceof FormData) sent = body;
    else {
      try {
        sent = JSON.stringify(body);
      } catch (cause) {
        throw new ConfigurationError(`${where}: cannot write the body as JSON: ${(cause as Error).message}`, { cause });
      }
      headers.set("Content-Type", "application/json");
    }
  }
  setAll(headers, base.headers);
  setAll(headers, options.headers);
  setAll(headers, headerParams);
  if (cookies.length > 0) headers.set("Cookie", cookies.join("; "));
  // what the operation can answer with, JSON first
  if (op.accept && !headers.has("Accept")) headers.set("Accept", op.accept);
  if (op.idempotencyKey) headers.set("Idempotency-Key", options.idempotencyKey ?? crypto.randomUUID());
  // a text answer to an operation that also speaks JSON is read as text, then parsed if it says it is JSON
  const parseAs: ParseAs =
    op.response === "text" || (op.accept && op.response === undefined)
      ? "text"
      : op.response === "blob"
        ? options.stream
          ? "stream"
          : "blob"
        : "json";
  return { request: new RequestDraft(url, { method: op.method, headers, body: sent ?? null }), parseAs };
}

/** Header values as given: a list repeats the header, `null` removes it, `undefined` leaves it. */
function setAll(headers: Headers, values: Readonly<Record<string, unknown>> | undefined): void {
  for (const name in values) {
    const value = values[name];
    if (value === null) headers.delete(name);
    else if (Array.isArray(value)) {
      headers.delete(name);
      for (const item of value) headers.append(name, String(item));
    } else if (value !== undefined) headers.set(name, String(value));
  }
}

/** The path with each `{name}` filled in OpenAPI's `simple` style: encoded; lists and objects comma-joined. */
function fillPath(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    const parts = Array.isArray(value)
      ? value
      : value !== null && typeof value === "object" && !(value instanceof Date)
        ? Object.entries(value).flat()
        : [value instanceof Date ? value.toISOString() : value];
    return parts.map((part) => encodeURIComponent(String(part))).join(",");
  });
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
