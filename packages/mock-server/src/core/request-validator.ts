import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { addFormats } from "./formats.js";
import type { MockApiSpec, ParameterSpec, RouteSpec } from "./mock-api-spec.js";
import { MockProblem } from "./mock-problem.js";

type Validators = {
  query: ValidateFunction | undefined;
  path: ValidateFunction | undefined;
  body: ValidateFunction | undefined;
  /** For bodies that may arrive as form fields: coerces `"7"` to 7 where the schema says integer. */
  coercingBody: ValidateFunction | undefined;
};

/** An answer of the mock that its own spec does not allow: a bug in the mock, reported loudly in tests. */
export class MockContractError extends Error {
  override name = "MockContractError";
}

/**
 * Validates requests against the spec's own schemas with ajv (JSON Schema 2020-12, which OpenAPI 3.1
 * schemas are), compiled once per route on first use. Failures are 422s naming the field and the rule.
 */
export class RequestValidator {
  readonly #ajv: Ajv2020;
  readonly #paramsAjv: Ajv2020;
  readonly #cache = new Map<string, Validators>();
  /** The same validators by route object: a lookup without building the route's key, on every request. */
  readonly #byRoute = new WeakMap<RouteSpec, Validators>();
  readonly #responses = new Map<string, ValidateFunction | null>();
  readonly #adHoc = new WeakMap<object, ValidateFunction>();
  /** Query parameters whose schema is an object, or an array of objects, by parameter. */
  readonly #objectParams = new WeakMap<ParameterSpec, "object" | "array" | null>();
  readonly #base: string;
  readonly #spec: MockApiSpec;

  constructor(spec: MockApiSpec) {
    this.#spec = spec;
    this.#base = `https://keysmith.invalid/${spec.name}`;
    const defs = { $id: this.#base, $defs: rewriteRefs(spec.schemas, "") };
    // formats ajv does not know (a description's own, such as `unix-time`) are not checked, and not reported
    // (`unicodeRegExp: false`: descriptions' patterns are often written for non-Unicode regexps, `\-` and all)
    const common = { strict: false, logger: false, unicodeRegExp: false } as const;
    this.#ajv = addFormats(new Ajv2020({ ...common, allErrors: false }));
    this.#paramsAjv = addFormats(new Ajv2020({ ...common, coerceTypes: "array", useDefaults: true }));
    this.#ajv.addSchema(defs);
    this.#paramsAjv.addSchema(defs);
  }

  /** True when `value` matches `schema` (a schema of this spec, its `$ref`s into `components.schemas`). */
  matches(schema: object, value: unknown): boolean {
    let validate = this.#adHoc.get(schema);
    if (!validate) {
      validate = this.#ajv.compile(rewriteRefs(schema, this.#base) as object);
      this.#adHoc.set(schema, validate);
    }
    return validate(value) === true;
  }

  /** Checks and coerces the path and query parameters (`"7"` becomes 7 where the schema says integer). */
  params(
    route: RouteSpec,
    pathParams: Record<string, string>,
    url: URL,
  ): { path: Record<string, unknown>; query: Record<string, unknown> } {
    const validators = this.#validators(route);
    const path: Record<string, unknown> = { ...pathParams };
    if (validators.path && !validators.path(path)) throw problem("path", validators.path.errors);
    const query: Record<string, unknown> = {};
    for (const param of route.parameters) {
      if (param.in !== "query") continue;
      const values = url.searchParams.getAll(param.name);
      const objects = this.#objectsOf(param);
      if (objects === null) {
        if (values.length > 0) query[param.name] = values.length === 1 ? values[0] : values;
        continue;
      }
      // an object as `name[key]=value` (deepObject) or JSON; an array's objects as JSON each (OpenAPI defines no
      // serialization for them)
      const parsed = values.map(jsonValue);
      if (objects === "array" && parsed.length > 0) query[param.name] = parsed;
      else if (parsed.length > 0) query[param.name] = parsed[0];
      else {
        const fields = deepObject(url.searchParams, param.name);
        if (fields) query[param.name] = fields;
      }
    }
    if (validators.query && !validators.query(query)) throw problem("query", validators.query.errors);
    return { path, query };
  }

  #objectsOf(param: ParameterSpec): "object" | "array" | null {
    let known = this.#objectParams.get(param);
    if (known === undefined) {
      const schema = resolveRef(this.#spec.schemas, param.schema);
      known = isObjectSchema(this.#spec.schemas, schema)
        ? "object"
        : schema?.type === "array" && isObjectSchema(this.#spec.schemas, resolveRef(this.#spec.schemas, schema.items))
          ? "array"
          : null;
      this.#objectParams.set(param, known);
    }
    return known;
  }

  body(route: RouteSpec, body: unknown): void {
    const validator = this.#validators(route).body;
    if (body === undefined) {
      if (route.requestBody?.required)
        throw new MockProblem(422, { code: "invalid", field: "body", message: "body: a JSON body is required" });
      return;
    }
    if (validator && !validator(body)) throw problem("body", validator.errors);
  }

  /** Like `body`, for form fields: strings are coerced to the schema's types first (in place). */
  formBody(route: RouteSpec, body: unknown): void {
    const validator = this.#validators(route).coercingBody;
    if (validator && !validator(body)) throw problem("body", validator.errors);
  }

  /**
   * Checks an answer against the operation's documented responses: the status must be documented (itself, by
   * its range such as `5XX`, or by a `default`), and a JSON body must match its schema. Throws
   * `MockContractError` naming what differs. With `optional`, an undocumented status passes unchecked.
   */
  response(route: RouteSpec, status: number, body: string | undefined, options: { optional?: boolean } = {}): void {
    if (status >= 200 && status < 300 && body !== undefined && this.#isResultFailure(route, body)) {
      this.#checkResultFailure(route, status, body);
      return;
    }
    const documented = documentedStatus(route, status);
    const where = `${route.operationId} answered ${status}`;
    if (documented === undefined) {
      if (options.optional) return;
      throw new MockContractError(`${where}, which its spec does not document`);
    }
    const cacheKey = `${route.method} ${route.path} ${documented}`;
    let validate = this.#responses.get(cacheKey);
    if (validate === undefined) {
      const schema = route.responses[documented];
      validate = schema === null ? null : this.#ajv.compile(rewriteRefs(schema, this.#base) as object);
      this.#responses.set(cacheKey, validate);
    }
    if (validate === null) {
      if (body !== undefined && body !== "")
        throw new MockContractError(`${where} with a body its spec does not document`);
      return;
    }
    if (body === undefined) throw new MockContractError(`${where} without the body its spec documents`);
    if (!validate(JSON.parse(body))) {
      const [error] = validate.errors ?? [];
      throw new MockContractError(
        `${where} with a body its spec rejects: ${error?.instancePath || "(root)"} ${error?.message ?? "is invalid"}`,
      );
    }
  }

  /** A 2xx body whose result code is not one of the operation's success codes (`x-keysmith-result-code`). */
  #isResultFailure(route: RouteSpec, body: string): boolean {
    const resultCode = this.#spec.resultCode;
    const success = route.successCodes ?? resultCode?.success;
    if (!resultCode || !success) return false;
    let node: unknown;
    try {
      node = resultCodeOf(JSON.parse(body), resultCode.code);
    } catch {
      return false;
    }
    return (typeof node === "string" || typeof node === "number") && !success.includes(String(node).trim());
  }

  #checkResultFailure(route: RouteSpec, status: number, body: string): void {
    const code = String(resultCodeOf(JSON.parse(body), this.#spec.resultCode?.code ?? "")).trim();
    if (route.failureCodes && !route.failureCodes.includes(code)) {
      throw new MockContractError(
        `${route.operationId} answered ${status} with result code ${code}, which its spec does not document`,
      );
    }
    const failure = this.#spec.resultCode?.failure;
    if (failure === undefined) return;
    let validate = this.#responses.get(failure);
    if (!validate) {
      validate = this.#ajv.compile(rewriteRefs({ $ref: failure }, this.#base) as object);
      this.#responses.set(failure, validate);
    }
    if (!validate(JSON.parse(body))) {
      const [error] = validate.errors ?? [];
      throw new MockContractError(
        `${route.operationId} answered ${status} with a failure code and a body its failure schema rejects: ${error?.instancePath || "(root)"} ${error?.message ?? "is invalid"}`,
      );
    }
  }

  #validators(route: RouteSpec): Validators {
    const known = this.#byRoute.get(route);
    if (known) return known;
    const key = `${route.method} ${route.path}`;
    let validators = this.#cache.get(key);
    if (!validators) {
      validators = {
        path: this.#objectOf(this.#paramsAjv, route, "path"),
        query: this.#objectOf(this.#paramsAjv, route, "query"),
        body: route.requestBody
          ? this.#ajv.compile(rewriteRefs(route.requestBody.schema, this.#base) as object)
          : undefined,
        coercingBody: route.requestBody?.form
          ? this.#paramsAjv.compile(rewriteRefs(route.requestBody.schema, this.#base) as object)
          : undefined,
      };
      this.#cache.set(key, validators);
    }
    this.#byRoute.set(route, validators);
    return validators;
  }

  #objectOf(ajv: Ajv2020, route: RouteSpec, location: string): ValidateFunction | undefined {
    const params = route.parameters.filter((param) => param.in === location);
    if (params.length === 0) return undefined;
    return ajv.compile({
      type: "object",
      properties: Object.fromEntries(params.map((param) => [param.name, rewriteRefs(param.schema, this.#base)])),
      required: params.filter((param) => param.required).map((param) => param.name),
    });
  }
}

/** The key of `route.responses` that documents `status`: the status, its range (`5XX`), or `default`. */
/** The key of `route.responses` that documents `status`: itself, its range (`4XX`), or `default`. */
export function documentedStatus(route: RouteSpec, status: number): string | undefined {
  const range = `${String(status).charAt(0)}XX`;
  return [String(status), range, range.toLowerCase(), "default"].find((key) => route.responses[key] !== undefined);
}

type SchemaNode = Readonly<Record<string, unknown>>;

/** A schema behind `#/components/schemas/…` refs (followed to the end). */
function resolveRef(schemas: Readonly<Record<string, unknown>>, schema: unknown): SchemaNode | undefined {
  let node = schema;
  for (let depth = 0; depth < 32 && typeof node === "object" && node !== null; depth++) {
    const ref = (node as SchemaNode).$ref;
    if (typeof ref !== "string" || !ref.startsWith("#/components/schemas/")) return node as SchemaNode;
    node = schemas[decodeURIComponent(ref.slice("#/components/schemas/".length))];
  }
  return typeof node === "object" && node !== null ? (node as SchemaNode) : undefined;
}

function isObjectSchema(schemas: Readonly<Record<string, unknown>>, node: SchemaNode | undefined, depth = 0): boolean {
  if (!node || depth > 8) return false;
  if (node.type === "object" || (typeof node.properties === "object" && node.properties !== null)) return true;
  return (
    Array.isArray(node.allOf) &&
    node.allOf.some((member) => isObjectSchema(schemas, resolveRef(schemas, member), depth + 1))
  );
}

/** `name[key]=value` pairs (OpenAPI's deepObject style) as an object, or undefined where there are none. */
function deepObject(params: URLSearchParams, name: string): Record<string, string> | undefined {
  let fields: Record<string, string> | undefined;
  for (const [key, value] of params) {
    if (!key.startsWith(`${name}[`) || !key.endsWith("]")) continue;
    const field = key.slice(name.length + 1, -1);
    if (!field.includes("[")) {
      fields ??= {};
      fields[field] = value;
    }
  }
  return fields;
}

/** A query value that is JSON text of an object or array, parsed; anything else as it is. */
function jsonValue(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function resultCodeOf(body: unknown, pointer: string): unknown {
  let node = body;
  for (const token of pointer.split("/").slice(1)) {
    node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[token] : undefined;
  }
  return node;
}

/** `#/components/schemas/X` → `<base>#/$defs/X`, so one ajv schema can hold a spec's components. */
export function rewriteRefs(node: unknown, base: string): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, base));
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")
        ? `${base}#/$defs/${value.slice("#/components/schemas/".length)}`
        : rewriteRefs(value, base);
  }
  return out;
}

function problem(location: string, errors: ErrorObject[] | null | undefined): MockProblem {
  const [error] = errors ?? [];
  if (!error) return new MockProblem(422, { code: "invalid", field: location, message: `${location}: invalid` });
  const segments = error.instancePath
    .split("/")
    .slice(1)
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
  if (error.keyword === "required") segments.push(String(error.params.missingProperty));
  if (error.keyword === "additionalProperties") segments.push(String(error.params.additionalProperty));
  const field = [location, ...segments].join(".");
  const rule =
    error.keyword === "required"
      ? "is required"
      : error.keyword === "additionalProperties"
        ? "is not an accepted field"
        : (error.message ?? "is invalid");
  return new MockProblem(422, {
    code: "invalid",
    field: field.replace(/^(body|query|path)\./, ""),
    message: `${field}: ${rule}`,
  });
}
