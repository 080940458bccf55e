import { createHash } from "node:crypto";
import { resolvePointer } from "./json-pointer.js";
import type { LoadedSpec } from "./load-spec.js";
import { camelCase, pascalCase } from "./naming.js";
import { type HttpMethod, isObject, type Json, listOperations } from "./openapi-shapes.js";

/** Everything the emitters need from one description, read once. */
export interface ApiModel {
  readonly name: string;
  readonly className: string;
  readonly specFile: string;
  readonly specHash: string;
  readonly title: string;
  readonly servers: ServerModel[];
  readonly env: Record<string, string>;
  readonly securitySchemes: Record<string, AuthSchemeModel>;
  readonly security: string[][];
  readonly error: Record<string, string> | undefined;
  readonly pagination: Json | undefined;
  /** `x-keysmith-result-code` at the root: where a 2xx body keeps the API's result code, and what it means. */
  readonly resultCode: ResultCodeModel | undefined;
  /** `x-keysmith-key-format`: the keys' format, enforced only when `documented` names a source. */
  readonly keyFormat: { pattern: string; description?: string; documented: boolean } | undefined;
  /** Root extensions passed through to the runtime as they are: `x-keysmith-hints`, `-signature`, `-introspection`. */
  readonly extensions: { hints?: Json; signature?: Json; introspection?: Json };
  readonly groups: GroupModel[];
  readonly operations: OperationModel[];
  /** What the model had to change (method names that collided), for the generator to tell the user. */
  readonly warnings: string[];
}

export interface ServerModel {
  url: string;
  description?: string;
  environment?: string;
  keyPrefix?: string;
  /** The prefix is the vendor's documented format (enforced), not only a hint (used to spot another environment's key). */
  keyPrefixDocumented?: boolean;
  variables?: Record<string, { default: string; env?: string; enum?: string[] }>;
}

export type AuthSchemeModel =
  | { type: "basic"; env?: string }
  | { type: "bearer"; env?: string }
  | { type: "header"; name: string; prefix?: string; env?: string }
  | { type: "query"; name: string; alsoInBody?: boolean; env?: string }
  | { type: "cookie"; name: string; env?: string }
  | { type: "oauth2"; tokenUrl?: string; env?: string }
  | { type: "openIdConnect"; env?: string }
  | { type: "unsupported"; description: string };

export interface ResultCodeModel {
  code: string;
  message?: string;
  success?: string[];
  failures?: string[];
  errors?: Record<string, string>;
  failure?: string;
}

/** Where an operation comes from: the vendor's documentation (with the reference) or Keysmith's model. */
export type SourceModel =
  | { readonly kind: "documented"; readonly reference: string }
  | { readonly kind: "modelled"; readonly note?: string };

export interface GroupModel {
  readonly property: string;
  readonly typeName: string;
  readonly description: string | undefined;
}

export interface ParamModel {
  readonly name: string;
  readonly required: boolean;
  readonly env?: string;
  readonly schema: Json;
  /** How a query parameter is serialised, where it is not `form` + explode for a list or a value. */
  readonly serialization?: QueryStyle;
  /** `x-keysmith-filter`: the item field a list's query parameter filters on, and how it compares. */
  readonly filter?: FilterModel;
}

/** `x-keysmith-filter: start` or `{ field: start, op: gt }`: what a list's query parameter keeps. */
export interface FilterModel {
  readonly field: string;
  readonly op: "eq" | "gt" | "gte" | "lt" | "lte" | "contains" | "has";
}

/** OpenAPI's `style`, `explode`, `allowReserved` and `content` for one query parameter. */
export interface QueryStyle {
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
  /** A `content`-typed parameter: its media type (JSON in practice). */
  content?: string;
}

export type BodyMode = "flat" | "nested";

export interface OperationModel {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly group: string;
  readonly name: string;
  readonly summary: string | undefined;
  readonly description: string | undefined;
  readonly deprecated: boolean;
  readonly security: string[][] | undefined;
  readonly permission: string | undefined;
  readonly idempotencyKey: boolean;
  readonly paginated: boolean;
  /**
   * `x-keysmith-sort`: the item field a list is ordered by, `-` first for descending (`-start`), and the query
   * parameter that names another (`{ param: ordering, default: -_created_at }`).
   */
  readonly sort: { readonly default?: string; readonly param?: string } | undefined;
  readonly source: SourceModel | undefined;
  /** The result codes that mean success for this operation (`x-keysmith-result-code.success`), as strings. */
  readonly successCodes: string[] | undefined;
  /** The documented failure codes of this operation, as strings. */
  readonly failureCodes: string[] | undefined;
  readonly params: { path: ParamModel[]; query: ParamModel[]; header: ParamModel[]; cookie: ParamModel[] };
  readonly body:
    | {
        mode: BodyMode;
        required: boolean;
        hasRequiredFields: boolean;
        optional: boolean;
        schema: Json | undefined;
        /** The media type the body is sent as: the JSON one where there is one, else the first listed. */
        mediaType: string;
        /** The operation also accepts the body as form fields (`application/x-www-form-urlencoded`). */
        formToo: boolean;
      }
    | undefined;
  readonly success: {
    status: string;
    mediaType: string | undefined;
    kind: "json" | "text" | "blob" | "none";
    /** Another documented 2xx answers with no body (a 204 beside a 200 with content). */
    readonly emptyToo?: boolean;
    /** Every media type the success response declares, for `Accept`, when it is not JSON alone. */
    accept?: string[];
  };
}

/** Names a generated client may not give a resource group, because the client class already uses them. */
const RESERVED_PROPERTIES = new Set([
  "fetchClient",
  "baseUrl",
  "environment",
  "credentials",
  "api",
  "constructor",
  "toString",
  "toJSON",
  "valueOf",
]);
export const IDEMPOTENCY_HEADER = "idempotency-key";

export function buildModel(spec: LoadedSpec, name: string): ApiModel {
  const { document } = spec;
  const info = isObject(document.info) ? document.info : {};
  const components = isObject(document.components) ? document.components : {};
  const className =
    typeof info["x-keysmith-client-name"] === "string" ? info["x-keysmith-client-name"] : pascalCase(name);
  const upper = name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
  const env = {
    apiKey: `${upper}_API_KEY`,
    baseUrl: `${upper}_BASE_URL`,
    ...stringRecord(document["x-keysmith-env"]),
  };

  const tagDescriptions = new Map<string, string | undefined>();
  for (const tag of Array.isArray(document.tags) ? document.tags : []) {
    if (isObject(tag) && typeof tag.name === "string") tagDescriptions.set(tag.name, stringOr(tag.description));
  }

  const groups = new Map<string, GroupModel>();
  const usedNames = new Map<string, Set<string>>();
  const operations: OperationModel[] = [];
  const warnings: string[] = [];
  for (const site of listOperations(document)) {
    const { operation } = site;
    const operationId = String(operation.operationId);
    const tag = Array.isArray(operation.tags) && typeof operation.tags[0] === "string" ? operation.tags[0] : "default";
    let group = camelCase(tag);
    if (RESERVED_PROPERTIES.has(group)) group = `${group}Resource`;
    if (!groups.has(group)) {
      groups.set(group, {
        property: group,
        typeName: className + pascalCase(group),
        description: tagDescriptions.get(tag),
      });
    }
    const names = usedNames.get(group) ?? new Set<string>();
    usedNames.set(group, names);
    let methodName =
      typeof operation["x-keysmith-method"] === "string"
        ? operation["x-keysmith-method"]
        : camelCase(operationId.includes("/") ? operationId.slice(operationId.lastIndexOf("/") + 1) : operationId);
    if (names.has(methodName)) {
      const wanted = methodName;
      methodName = camelCase(operationId);
      for (let n = 2; names.has(methodName); n++) methodName = `${camelCase(operationId)}${n}`;
      warnings.push(`${operationId}: the method name ${group}.${wanted} is taken; it is ${group}.${methodName}`);
    }
    names.add(methodName);

    const params = collectParams(document, site.pathItem, operation);
    const body = describeBody(document, operation, params);
    operations.push({
      operationId,
      method: site.method,
      path: site.path,
      group,
      name: methodName,
      summary: stringOr(operation.summary),
      description: stringOr(operation.description),
      deprecated: operation.deprecated === true,
      security: Array.isArray(operation.security) ? securityList(operation.security) : undefined,
      permission: stringOr(operation["x-keysmith-permission"]),
      idempotencyKey:
        operation["x-keysmith-idempotency-key"] === true ||
        params.header.some((param) => param.name.toLowerCase() === IDEMPOTENCY_HEADER),
      paginated: operation["x-keysmith-paginated"] === true,
      sort: sortModel(operation["x-keysmith-sort"]),
      source: sourceModel(operation["x-keysmith-source"]),
      successCodes: resultCodeModel(operation["x-keysmith-result-code"])?.success,
      failureCodes: resultCodeModel(operation["x-keysmith-result-code"])?.failures,
      params,
      body,
      success: describeSuccess(document, operation),
    });
  }

  return {
    name,
    className,
    specFile: spec.file,
    specHash: createHash("sha256").update(spec.text).digest("hex").slice(0, 16),
    title: stringOr(info.title) ?? className,
    servers: (Array.isArray(document.servers) ? document.servers : []).filter(isObject).map(serverModel),
    env,
    securitySchemes: withSchemeEnv(
      Object.fromEntries(
        Object.entries(isObject(components.securitySchemes) ? components.securitySchemes : {}).map(([key, scheme]) => [
          key,
          authScheme(deref(document, scheme)),
        ]),
      ),
      upper,
    ),
    security: Array.isArray(document.security) ? securityList(document.security) : [],
    error: isObject(document["x-keysmith-error"]) ? stringRecord(document["x-keysmith-error"]) : undefined,
    pagination: isObject(document["x-keysmith-pagination"]) ? document["x-keysmith-pagination"] : undefined,
    resultCode: resultCodeModel(document["x-keysmith-result-code"]),
    keyFormat: keyFormatModel(document["x-keysmith-key-format"]),
    extensions: Object.fromEntries(
      (["hints", "signature", "introspection"] as const).flatMap((name) => {
        const value = document[`x-keysmith-${name}`];
        return isObject(value) ? [[name, value]] : [];
      }),
    ),
    groups: [...groups.values()],
    operations,
    warnings,
  };
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

function keyFormatModel(value: unknown): ApiModel["keyFormat"] {
  if (!isObject(value) || typeof value.pattern !== "string") return undefined;
  return {
    pattern: value.pattern,
    ...(typeof value.description === "string" ? { description: value.description } : {}),
    documented: typeof value.documented === "string",
  };
}

function sourceModel(source: unknown): SourceModel | undefined {
  if (source === "modelled") return { kind: "modelled" };
  if (!isObject(source)) return undefined;
  if (typeof source.documented === "string") return { kind: "documented", reference: source.documented };
  if (typeof source.modelled === "string") return { kind: "modelled", note: source.modelled };
  return undefined;
}

/** Codes are compared as strings: an API may print `400` in one answer and `"400"` in the next. */
function resultCodeModel(value: unknown): ResultCodeModel | undefined {
  if (!isObject(value)) return undefined;
  const model: ResultCodeModel = { code: typeof value.code === "string" ? value.code : "" };
  if (typeof value.message === "string") model.message = value.message;
  if (Array.isArray(value.success)) model.success = value.success.map(String);
  if (Array.isArray(value.failures)) model.failures = value.failures.map(String);
  if (isObject(value.errors)) model.errors = stringRecord(value.errors);
  if (typeof value.failure === "string") model.failure = value.failure;
  return model;
}

function securityList(security: unknown[]): string[][] {
  return security.filter(isObject).map((requirement) => Object.keys(requirement));
}

/** Follows `$ref`s (already checked to resolve) until a real object. */
export function deref(document: Json, node: unknown): Json {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string" && hops < 50; hops++) {
    current = resolvePointer(document, current.$ref);
  }
  return isObject(current) ? current : {};
}

function serverModel(server: Json): ServerModel {
  const model: ServerModel = { url: String(server.url ?? "/") };
  if (typeof server.description === "string") model.description = server.description;
  if (typeof server["x-keysmith-environment"] === "string") model.environment = server["x-keysmith-environment"];
  const prefix = server["x-keysmith-key-prefix"];
  if (typeof prefix === "string") model.keyPrefix = prefix;
  else if (isObject(prefix) && typeof prefix.prefix === "string") {
    model.keyPrefix = prefix.prefix;
    if (typeof prefix.documented === "string") model.keyPrefixDocumented = true;
  }
  if (isObject(server.variables)) {
    model.variables = {};
    for (const [key, variable] of Object.entries(server.variables)) {
      if (!isObject(variable)) continue;
      const entry: { default: string; env?: string; enum?: string[] } = { default: String(variable.default ?? "") };
      if (typeof variable["x-keysmith-env"] === "string") entry.env = variable["x-keysmith-env"];
      if (Array.isArray(variable.enum)) entry.enum = variable.enum.map(String);
      model.variables[key] = entry;
    }
  }
  return model;
}

function authScheme(scheme: Json): AuthSchemeModel {
  const scheme_ = String(scheme.scheme ?? "").toLowerCase();
  if (scheme.type === "http" && scheme_ === "basic") return { type: "basic" };
  if (scheme.type === "http" && scheme_ === "bearer") return { type: "bearer" };
  if (scheme.type === "oauth2") {
    const flows = isObject(scheme.flows) ? scheme.flows : {};
    const clientCredentials = isObject(flows.clientCredentials) ? flows.clientCredentials : undefined;
    return typeof clientCredentials?.tokenUrl === "string"
      ? { type: "oauth2", tokenUrl: clientCredentials.tokenUrl }
      : { type: "oauth2" };
  }
  if (scheme.type === "openIdConnect") return { type: "openIdConnect" };
  if (scheme.type === "apiKey" && typeof scheme.name === "string") {
    if (scheme.in === "header") {
      // an apiKey in `Authorization` described as a bearer token (Kubernetes') carries the scheme word
      const bearer =
        scheme.name.toLowerCase() === "authorization" && /\bbearer\b/i.test(String(scheme.description ?? ""));
      const prefix = scheme["x-keysmith-auth-prefix"] ?? (bearer ? "Bearer" : undefined);
      return typeof prefix === "string"
        ? { type: "header", name: scheme.name, prefix }
        : { type: "header", name: scheme.name };
    }
    if (scheme.in === "query") {
      return scheme["x-keysmith-also-in-body"] === true
        ? { type: "query", name: scheme.name, alsoInBody: true }
        : { type: "query", name: scheme.name };
    }
    if (scheme.in === "cookie") return { type: "cookie", name: scheme.name };
  }
  return {
    type: "unsupported",
    description: `${String(scheme.type)} ${String(scheme.in ?? scheme.scheme ?? "")}`.trim(),
  };
}

/**
 * A scheme's own environment variable (`<API>_<SCHEME>`), where one key for the whole API cannot do: an API
 * with several schemes, a Basic scheme (user name and password), an OAuth2 client (id and secret).
 */
function withSchemeEnv(schemes: Record<string, AuthSchemeModel>, upper: string): Record<string, AuthSchemeModel> {
  const usable = Object.values(schemes).filter((scheme) => scheme.type !== "unsupported").length;
  return Object.fromEntries(
    Object.entries(schemes).map(([name, scheme]) => {
      const own = usable > 1 || scheme.type === "basic" || (scheme.type === "oauth2" && scheme.tokenUrl);
      if (scheme.type === "unsupported" || !own) return [name, scheme];
      return [
        name,
        {
          ...scheme,
          env: `${upper}_${name
            .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
            .toUpperCase()
            .replace(/[^A-Z0-9]+/g, "_")}`,
        },
      ];
    }),
  );
}

function collectParams(document: Json, pathItem: Json, operation: Json): OperationModel["params"] {
  const byKey = new Map<string, Json>();
  for (const list of [pathItem.parameters, operation.parameters]) {
    for (const raw of Array.isArray(list) ? list : []) {
      const param = deref(document, raw);
      if (typeof param.name === "string") byKey.set(`${param.in}:${param.name}`, param);
    }
  }
  const params: OperationModel["params"] = { path: [], query: [], header: [], cookie: [] };
  for (const param of byKey.values()) {
    const location = param.in;
    if (location !== "path" && location !== "query" && location !== "header" && location !== "cookie") continue;
    const content = isObject(param.content) ? Object.keys(param.content)[0] : undefined;
    const contentSchema =
      content && isObject(param.content) ? (param.content[content] as Json | undefined)?.schema : undefined;
    const schema = isObject(param.schema) ? param.schema : isObject(contentSchema) ? contentSchema : {};
    const base = {
      name: String(param.name),
      required: location === "path" || param.required === true,
      schema,
    };
    const withEnv: ParamModel =
      typeof param["x-keysmith-env"] === "string" ? { ...base, env: param["x-keysmith-env"] } : base;
    const style = location === "query" ? queryStyle(param, deref(document, schema), content) : undefined;
    const styled: ParamModel = style ? { ...withEnv, serialization: style } : withEnv;
    const filter = location === "query" ? filterModel(param["x-keysmith-filter"]) : undefined;
    params[location].push(filter ? { ...styled, filter } : styled);
  }
  return params;
}

const FILTER_OPS: readonly FilterModel["op"][] = ["eq", "gt", "gte", "lt", "lte", "contains", "has"];

function filterModel(raw: unknown): FilterModel | undefined {
  if (typeof raw === "string") return { field: raw, op: "eq" };
  if (!isObject(raw) || typeof raw.field !== "string") return undefined;
  const op = FILTER_OPS.find((candidate) => candidate === raw.op) ?? "eq";
  return { field: raw.field, op };
}

function sortModel(raw: unknown): OperationModel["sort"] {
  if (typeof raw === "string") return { default: raw };
  if (!isObject(raw)) return undefined;
  return {
    ...(typeof raw.default === "string" ? { default: raw.default } : {}),
    ...(typeof raw.param === "string" ? { param: raw.param } : {}),
  };
}

/** A query parameter's serialisation, when it differs from `form` + explode over a value or a list. */
function queryStyle(param: Json, schema: Json, content: string | undefined): QueryStyle | undefined {
  const style: QueryStyle = {};
  if (content) style.content = content;
  if (typeof param.style === "string" && param.style !== "form") style.style = param.style;
  if (param.explode === false) style.explode = false;
  if (param.allowReserved === true) style.allowReserved = true;
  // an object in `form` + explode spreads its fields; the generic serialiser would write deepObject instead
  if (schema.type === "object" && !style.style && !content) style.style = "form";
  return Object.keys(style).length > 0 ? style : undefined;
}

/** Flat bodies merge their fields into the method's one argument; others travel as `body`. */
function describeBody(document: Json, operation: Json, params: OperationModel["params"]): OperationModel["body"] {
  if (operation.requestBody === undefined) return undefined;
  const requestBody = deref(document, operation.requestBody);
  const content = isObject(requestBody.content) ? requestBody.content : {};
  const required = requestBody.required === true;
  const json = jsonMediaType(content);
  const mediaType = json ?? Object.keys(content)[0] ?? "application/json";
  const rawSchema = (content[json ?? mediaType] as Json | undefined)?.schema;
  const schema = isObject(rawSchema) ? rawSchema : undefined;
  const fields = schema ? objectFields(document, deref(document, schema), 0) : undefined;
  const paramNames = new Set(
    [...params.path, ...params.query, ...params.header, ...params.cookie].map((param) => param.name),
  );
  // only a JSON body's fields sit beside the parameters; a form, multipart or binary body travels as `body`
  const flat =
    json !== undefined &&
    json !== "*/*" &&
    fields !== undefined &&
    fields.names.length > 0 &&
    !fields.names.some((field) => paramNames.has(field));
  const hasRequiredFields = flat ? fields.required : required;
  return {
    mode: flat ? "flat" : "nested",
    required,
    hasRequiredFields,
    optional: !required || (flat && !fields.required),
    schema,
    mediaType,
    formToo: Object.keys(content).some((type) => /^application\/x-www-form-urlencoded\b/i.test(type)),
  };
}

/**
 * The fields of an object schema, through `allOf`; undefined for anything else (arrays, unions, free-form
 * maps), whose body then travels whole as `body`.
 */
function objectFields(document: Json, schema: Json, depth: number): { names: string[]; required: boolean } | undefined {
  const fields = collectFields(document, schema, depth);
  return fields && fields.names.length > 0 ? fields : undefined;
}

function collectFields(
  document: Json,
  schema: Json,
  depth: number,
): { names: string[]; required: boolean } | undefined {
  if (depth > 10 || schema.oneOf || schema.anyOf || schema.type === "array") return undefined;
  if (
    schema.additionalProperties !== undefined &&
    schema.additionalProperties !== false &&
    !isObject(schema.properties)
  ) {
    return undefined;
  }
  const names = isObject(schema.properties) ? Object.keys(schema.properties) : [];
  let required = Array.isArray(schema.required) && schema.required.length > 0;
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) {
    const fields = collectFields(document, deref(document, part), depth + 1);
    if (fields === undefined) return undefined;
    names.push(...fields.names);
    required ||= fields.required;
  }
  return { names, required };
}

function jsonMediaType(content: Json): string | undefined {
  return Object.keys(content).find((type) => /^application\/(.+\+)?json(;|$)/i.test(type) || type === "*/*");
}

function describeSuccess(document: Json, operation: Json): OperationModel["success"] {
  const responses = isObject(operation.responses) ? operation.responses : {};
  const status = Object.keys(responses).find((code) => /^2(\d\d|XX)$/i.test(code));
  if (status === undefined) return { status: "default", mediaType: undefined, kind: "none" };
  const response = deref(document, responses[status]);
  const content = isObject(response.content) ? response.content : {};
  const types = Object.keys(content);
  const emptyToo = Object.keys(responses).some((code) => {
    if (code === status || !/^2(\d\d|XX)$/i.test(code)) return false;
    const other = deref(document, responses[code]);
    return !isObject(other.content) || Object.keys(other.content).length === 0;
  });
  if (emptyToo && types.length > 0) return { ...describeContent(status, content, types), emptyToo: true };
  return describeContent(status, content, types);
}

function describeContent(status: string, content: Json, types: string[]): OperationModel["success"] {
  const jsonFirst = [...types.filter((type) => /json/i.test(type)), ...types.filter((type) => !/json/i.test(type))];
  const accept = types.length > 1 || (types[0] !== undefined && !/json/i.test(types[0])) ? { accept: jsonFirst } : {};
  const json = jsonMediaType(content);
  // several media types with JSON among them: JSON is asked for first, and a text answer still read
  if (json && json !== "*/*") return { status, mediaType: json, kind: "json", ...accept };
  const [first] = types;
  if (!first) return { status, mediaType: undefined, kind: "none" };
  const textual = /^text\/|\+xml$|\/xml$|^application\/(x-)?(yaml|javascript|csv)|\*\/\*/i.test(first);
  return { status, mediaType: first, kind: textual ? "text" : "blob", ...accept };
}
