import type { BodySpec, Credential, FuzzRequest, PathValue, Placement, QueryEntry } from "./fuzz-request.js";
import { isPoolPick } from "./fuzz-request.js";
import { mutateJson } from "./json-mutations.js";
import { isObject, type JsonSchema, type SpecOperation } from "./openapi-spec.js";
import { flatten } from "./schema-arbitrary.js";
import { namesFor, type ValuePool } from "./value-pool.js";

export interface RenderContext {
  /** The API's base URL on the mock, such as `http://127.0.0.1:4010/epoch/api/v1`. */
  readonly base: string;
  readonly operation: SpecOperation;
  readonly pool: ValuePool;
  /** The secret of a demo key (`demoKeys[api][key]`). */
  readonly secret: (api: string, key: string) => string;
  /** Whether a value satisfies a schema (ajv), to pick pooled ids that fit a parameter. */
  readonly accepts: (schema: JsonSchema, value: unknown) => boolean;
  readonly resolve: (ref: string) => JsonSchema;
}

/** A request ready for `fetch`, and the typed values it carries (to check it really is valid when untagged). */
export interface RenderedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array<ArrayBuffer> | undefined;
  /** How the body is shown in a failure report (huge bodies are described, not printed). */
  readonly bodyShown: string | undefined;
  readonly typed: {
    readonly path: Record<string, unknown>;
    readonly query: Record<string, unknown>;
    /** The body's value, when it was sent as the generated value (not mutated or hand-written). */
    readonly body: { readonly value: unknown; readonly mediaType: string } | undefined;
  };
}

export function renderRequest(request: FuzzRequest, context: RenderContext): RenderedRequest {
  const { operation } = context;
  const typedPath: Record<string, unknown> = {};
  const pathname = operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const param = operation.parameters.find((p) => p.in === "path" && p.name === name);
    const value = request.path[name];
    if (!param || !value) return "";
    return pathSegment(value, param.schema, name, context, typedPath);
  });
  const headers: Record<string, string> = { ...request.headers };
  const query: string[] = request.query.map(queryText);
  const typedQuery: Record<string, unknown> = {};
  for (const entry of request.query) {
    if (!("name" in entry)) continue;
    typedQuery[entry.name] = entry.name in typedQuery ? [typedQuery[entry.name], entry.value].flat() : entry.value;
  }
  const credential = placeCredential(request.credential, context, headers, query, request.body);
  const body = renderBody(request.body, context, credential);
  if (body?.contentType) headers["Content-Type"] = body.contentType;
  if (body?.contentEncoding) headers["Content-Encoding"] = body.contentEncoding;
  return {
    method: operation.method.toUpperCase(),
    url: `${context.base}${pathname}${query.length > 0 ? `?${query.join("&")}` : ""}`,
    headers,
    body: body?.payload,
    bodyShown: body?.shown,
    typed: { path: typedPath, query: typedQuery, body: body?.typed },
  };
}

function pathSegment(
  value: PathValue,
  schema: JsonSchema,
  name: string,
  context: RenderContext,
  typed: Record<string, unknown>,
): string {
  if ("raw" in value) return value.raw;
  let chosen = "value" in value ? value.value : value.fallback;
  if ("pool" in value) {
    const candidates = context.pool.candidates(namesFor(name), (candidate) => context.accepts(schema, candidate));
    if (candidates.length > 0) chosen = candidates[value.pool % candidates.length];
  }
  typed[name] = chosen;
  return percentEncode(scalarText(chosen));
}

function queryText(entry: QueryEntry): string {
  if ("raw" in entry) return entry.raw;
  const { name, value } = entry;
  // OpenAPI's default for query parameters: style form, explode true (`a=1&a=2`, and an object's members)
  if (Array.isArray(value))
    return value.map((item) => `${percentEncode(name)}=${percentEncode(scalarText(item))}`).join("&");
  if (isObject(value)) {
    return Object.entries(value)
      .map(([key, item]) => `${percentEncode(key)}=${percentEncode(scalarText(item))}`)
      .join("&");
  }
  return `${percentEncode(name)}=${percentEncode(scalarText(value))}`;
}

/** Where the key went, when it travels in the body (added there by `renderBody`). */
type BodyCredential = { readonly name: string; readonly secret: string } | undefined;

function placeCredential(
  credential: Credential,
  context: RenderContext,
  headers: Record<string, string>,
  query: string[],
  body: BodySpec | undefined,
): BodyCredential {
  if (credential.kind === "none") return undefined;
  if (credential.kind === "authorization") {
    headers.Authorization = credential.value;
    return undefined;
  }
  const secret = credential.kind === "demo" ? context.secret(credential.api, credential.key) : credential.secret;
  let via: Placement = credential.via;
  // a body field needs an object body to sit in; otherwise the key goes where the same scheme takes it in the query
  if (via.style === "body" && !(body && (body.kind === "json" || body.kind === "form") && isObject(body.value))) {
    via = { style: "query", name: via.name };
  }
  switch (via.style) {
    case "basic":
      headers.Authorization = `Basic ${Buffer.from(`${secret}:`).toString("base64")}`;
      return undefined;
    case "bearer":
      headers.Authorization = `Bearer ${secret}`;
      return undefined;
    case "header":
      headers[via.name] = via.prefix ? `${via.prefix} ${secret}` : secret;
      return undefined;
    case "query":
      query.push(`${percentEncode(via.name)}=${percentEncode(secret)}`);
      return undefined;
    case "body":
      return { name: via.name, secret };
  }
}

interface RenderedBody {
  readonly contentType: string | null;
  readonly contentEncoding?: string;
  readonly payload: string | Uint8Array<ArrayBuffer>;
  readonly shown: string;
  readonly typed: { readonly value: unknown; readonly mediaType: string } | undefined;
}

function renderBody(
  body: BodySpec | undefined,
  context: RenderContext,
  credential: BodyCredential,
): RenderedBody | undefined {
  if (!body) return undefined;
  switch (body.kind) {
    case "json":
    case "form": {
      let value = resolvePicks(body.value, context.pool);
      if (credential && isObject(value)) value = { ...value, [credential.name]: credential.secret };
      const mutated = body.mutation ? mutateJson(value, body.mutation) : undefined;
      if (body.kind === "json") {
        const text = mutated?.text ?? JSON.stringify(value);
        return {
          contentType: body.contentType,
          payload: text,
          shown: shorten(text) + (mutated ? `    (${mutated.label})` : ""),
          typed: mutated ? undefined : { value, mediaType: mediaTypeOf(body.contentType) },
        };
      }
      const fields = mutated ? JSON.parse(mutated.text) : value;
      const text = formText(fields);
      return {
        contentType: "application/x-www-form-urlencoded",
        payload: text,
        shown: shorten(text) + (mutated ? `    (${mutated.label})` : ""),
        typed: mutated ? undefined : { value, mediaType: "application/x-www-form-urlencoded" },
      };
    }
    case "bytes": {
      const bytes = new Uint8Array(Buffer.from(body.hex, "hex"));
      return { contentType: body.contentType, payload: bytes, shown: `bytes ${body.hex}`, typed: undefined };
    }
    case "text":
      return {
        contentType: body.contentType,
        ...(body.contentEncoding ? { contentEncoding: body.contentEncoding } : {}),
        // a string body would make fetch add `text/plain`: bytes go without any Content-Type
        payload: body.contentType === null ? new TextEncoder().encode(body.text) : body.text,
        shown: shorten(body.text),
        typed: undefined,
      };
    case "huge": {
      const member = firstStringMember(context) ?? "name";
      const text =
        body.shape === "string-member"
          ? `{${JSON.stringify(member)}:"${"a".repeat(body.bytes)}"}`
          : body.shape === "array"
            ? `[${"0,".repeat(Math.floor(body.bytes / 2))}0]`
            : "a".repeat(body.bytes);
      const shown =
        body.shape === "string-member"
          ? `{${JSON.stringify(member)}:"a…a"} (${text.length} bytes)`
          : body.shape === "array"
            ? `[0,0,…,0] (${text.length} bytes)`
            : `aaa…a (${text.length} bytes)`;
      return { contentType: body.contentType, payload: text, shown, typed: undefined };
    }
  }
}

/** The form text of fields: scalars as text, a list or an object as JSON text (as the specs' descriptions say). */
function formText(fields: unknown): string {
  if (!isObject(fields)) return scalarText(fields);
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    params.append(name, value !== null && typeof value === "object" ? JSON.stringify(value) : scalarText(value));
  }
  return params.toString();
}

function resolvePicks(value: unknown, pool: ValuePool): unknown {
  if (isPoolPick(value)) {
    const fits = (candidate: unknown) => typeof candidate === typeof value.fallback;
    const candidates = pool.candidates([[value.$pool]], fits);
    return candidates.length > 0 ? candidates[value.pick % candidates.length] : resolvePicks(value.fallback, pool);
  }
  if (Array.isArray(value)) return value.map((item) => resolvePicks(item, pool));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) {
      Object.defineProperty(out, name, {
        value: resolvePicks(item, pool),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

function firstStringMember(context: RenderContext): string | undefined {
  const media = Object.values(context.operation.requestBody?.content ?? {})[0];
  if (!media?.schema) return undefined;
  const schema = flatten(media.schema, context);
  const properties = isObject(schema.properties) ? schema.properties : {};
  return Object.entries(properties).find(([, property]) => {
    const flat = flatten(property as JsonSchema, context);
    return flat.type === "string" || (Array.isArray(flat.type) && flat.type.includes("string"));
  })?.[0];
}

/** `Application/JSON; charset=utf-8` → `application/json`. */
function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
}

export function scalarText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Percent-encoding of UTF-8 bytes (lone surrogates become U+FFFD, where `encodeURIComponent` would throw). */
export function percentEncode(text: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(text)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export function shorten(text: string, max = 400): string {
  const escaped = JSON.stringify(text).slice(1, -1);
  return escaped.length > max ? `${escaped.slice(0, max)}… (${text.length} chars)` : escaped;
}
