import { readFileSync } from "node:fs";
import { load } from "js-yaml";

/** A JSON Schema as OpenAPI 3.1 writes it (draft 2020-12): an object of keywords, or `true` / `false`. */
export type JsonSchema = boolean | SchemaObject;
export interface SchemaObject {
  readonly [keyword: string]: unknown;
}

export interface SpecParameter {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required: boolean;
  readonly schema: JsonSchema;
}

export interface SpecMediaType {
  readonly schema: JsonSchema | undefined;
}

export interface SpecHeader {
  readonly required: boolean;
  readonly schema: JsonSchema | undefined;
}

export interface SpecResponse {
  /** Media type → schema; undefined when the response documents no body. */
  readonly content: Readonly<Record<string, SpecMediaType>> | undefined;
  readonly headers: Readonly<Record<string, SpecHeader>>;
}

/** `x-keysmith-result-code` of one operation: the codes that mean success and the documented failures. */
export interface SpecResultCodes {
  readonly success: readonly string[];
  readonly failures: readonly string[] | undefined;
}

export interface SpecOperation {
  readonly operationId: string;
  readonly method: string;
  /** The path template, such as `/events/{event_id}/`. */
  readonly path: string;
  readonly parameters: readonly SpecParameter[];
  readonly requestBody:
    | { readonly required: boolean; readonly content: Readonly<Record<string, SpecMediaType>> }
    | undefined;
  /** By status as the spec writes it: `200`, `4XX`, `default`. */
  readonly responses: Readonly<Record<string, SpecResponse>>;
  /** Alternatives of scheme names; `[]` means no credential is needed. */
  readonly security: readonly (readonly string[])[];
  readonly resultCodes: SpecResultCodes | undefined;
}

export type SpecSecurityScheme =
  | { readonly type: "basic" | "bearer" }
  | { readonly type: "header"; readonly name: string; readonly prefix: string | undefined }
  | { readonly type: "query"; readonly name: string; readonly alsoInBody: boolean }
  | { readonly type: "other" };

/** One API's OpenAPI description, read from `specs/<api>.openapi.yaml` with its non-schema `$ref`s followed. */
export interface SpecApi {
  readonly name: string;
  readonly operations: readonly SpecOperation[];
  readonly securitySchemes: Readonly<Record<string, SpecSecurityScheme>>;
  /** `components.schemas`, which schemas refer to as `#/components/schemas/…`. */
  readonly schemas: Readonly<Record<string, JsonSchema>>;
  /** Root `x-keysmith-result-code`: where the code is, and the schema of a failure inside a 2xx. */
  readonly resultCode: { readonly code: string; readonly failure: string | undefined } | undefined;
  /** Root `x-keysmith-error.message`: where an error body keeps its message (a JSON pointer). */
  readonly errorMessage: string | undefined;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Reads the spec text itself (not the generated routes), so the fuzzer checks the mock against the source of truth. */
export function loadSpec(api: string): SpecApi {
  const file = new URL(`../../../../specs/${api}.openapi.yaml`, import.meta.url);
  const document = load(readFileSync(file, "utf8")) as Record<string, unknown>;
  const deref = <T>(node: unknown): T => {
    let current = node;
    for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops += 1) {
      if (hops > 20) throw new Error(`${api}: $ref cycle at ${current.$ref}`);
      current = pointer(document, current.$ref);
    }
    return current as T;
  };
  const components = (document.components ?? {}) as Record<string, Record<string, unknown>>;
  const rootSecurity = (document.security ?? []) as Record<string, unknown>[];
  const rootResult = document["x-keysmith-result-code"] as Record<string, unknown> | undefined;
  const operations: SpecOperation[] = [];
  for (const [path, rawItem] of Object.entries((document.paths ?? {}) as Record<string, unknown>)) {
    const item = deref<Record<string, unknown>>(rawItem);
    const shared = ((item.parameters ?? []) as unknown[]).map((p) => deref<Record<string, unknown>>(p));
    for (const method of METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op) continue;
      const own = ((op.parameters ?? []) as unknown[]).map((p) => deref<Record<string, unknown>>(p));
      // an operation's parameter overrides the path item's of the same name and location
      const merged = new Map<string, Record<string, unknown>>();
      for (const param of [...shared, ...own]) merged.set(`${param.in} ${param.name}`, param);
      const body = op.requestBody ? deref<Record<string, unknown>>(op.requestBody) : undefined;
      const opResult = op["x-keysmith-result-code"] as Record<string, unknown> | undefined;
      const success = (opResult?.success ?? rootResult?.success) as unknown[] | undefined;
      operations.push({
        operationId: String(op.operationId),
        method,
        path,
        parameters: [...merged.values()].map((param) => ({
          name: String(param.name),
          in: param.in as SpecParameter["in"],
          required: param.required === true || param.in === "path",
          schema: (param.schema ?? true) as JsonSchema,
        })),
        requestBody: body
          ? { required: body.required === true, content: mediaTypes(body.content, deref) ?? {} }
          : undefined,
        responses: Object.fromEntries(
          Object.entries((op.responses ?? {}) as Record<string, unknown>).map(([status, raw]) => {
            const response = deref<Record<string, unknown>>(raw);
            const headers = Object.entries((response.headers ?? {}) as Record<string, unknown>).map(
              ([name, header]) => {
                const resolved = deref<Record<string, unknown>>(header);
                return [name, { required: resolved.required === true, schema: resolved.schema as JsonSchema }];
              },
            );
            return [status, { content: mediaTypes(response.content, deref), headers: Object.fromEntries(headers) }];
          }),
        ),
        security: ((op.security ?? rootSecurity) as Record<string, unknown>[]).map((requirement) =>
          Object.keys(requirement),
        ),
        resultCodes: success
          ? {
              success: success.map(String),
              failures: (opResult?.failures as unknown[] | undefined)?.map(String),
            }
          : undefined,
      });
    }
  }
  const schemes = Object.entries(components.securitySchemes ?? {}).map(([name, raw]) => {
    const scheme = deref<Record<string, unknown>>(raw);
    return [name, securityScheme(scheme)] as const;
  });
  return {
    name: api,
    operations,
    securitySchemes: Object.fromEntries(schemes),
    schemas: (components.schemas ?? {}) as Record<string, JsonSchema>,
    resultCode: rootResult
      ? { code: String(rootResult.code), failure: rootResult.failure as string | undefined }
      : undefined,
    errorMessage: (document["x-keysmith-error"] as Record<string, unknown> | undefined)?.message as string | undefined,
  };
}

function securityScheme(scheme: Record<string, unknown>): SpecSecurityScheme {
  if (scheme.type === "http" && (scheme.scheme === "basic" || scheme.scheme === "bearer")) {
    return { type: scheme.scheme };
  }
  if (scheme.type === "apiKey" && scheme.in === "header") {
    return {
      type: "header",
      name: String(scheme.name),
      prefix: scheme["x-keysmith-auth-prefix"] as string | undefined,
    };
  }
  if (scheme.type === "apiKey" && scheme.in === "query") {
    return { type: "query", name: String(scheme.name), alsoInBody: scheme["x-keysmith-also-in-body"] === true };
  }
  return { type: "other" };
}

function mediaTypes(content: unknown, deref: <T>(node: unknown) => T): Record<string, SpecMediaType> | undefined {
  if (!isObject(content)) return undefined;
  return Object.fromEntries(
    Object.entries(content).map(([type, media]) => [
      type.toLowerCase(),
      { schema: deref<Record<string, unknown>>(media).schema as JsonSchema | undefined },
    ]),
  );
}

/** The node a local JSON pointer (`#/components/responses/NotFound`) names. */
export function pointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) throw new Error(`only local $refs are supported, not ${ref}`);
  let node = document;
  for (const token of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(token).replaceAll("~1", "/").replaceAll("~0", "~");
    node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  if (node === undefined) throw new Error(`$ref ${ref} names nothing`);
  return node;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The operation a path addresses, as OpenAPI matches them: templates last, the most literal segments first. */
export function addressedOperation(
  operations: readonly SpecOperation[],
  method: string,
  pathname: string,
): SpecOperation | undefined {
  const segments = pathname.split("/");
  let best: SpecOperation | undefined;
  let bestScore = -1;
  for (const operation of operations) {
    if (operation.method !== method) continue;
    const template = operation.path.split("/");
    if (template.length !== segments.length) continue;
    let score = 0;
    const fits = template.every((part, index) => {
      const segment = segments[index] ?? "";
      if (/^\{[^}]+\}$/.test(part)) return segment !== "";
      score += 1;
      return part === segment;
    });
    if (fits && score > bestScore) {
      best = operation;
      bestScore = score;
    }
  }
  return best;
}
