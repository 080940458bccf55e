import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsImport from "ajv-formats";
import {
  isObject,
  type JsonSchema,
  pointer,
  type SpecApi,
  type SpecOperation,
  type SpecResponse,
} from "./openapi-spec.js";

// ajv-formats is CommonJS; under ESM its default export may arrive wrapped once more
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (
  ajv: Ajv2020,
) => Ajv2020;

/** An answer as the fuzzer received it. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** One way an answer breaks the spec. `key` groups findings of the same cause; `detail` explains this one. */
export interface Finding {
  readonly kind:
    | "server-error"
    | "undocumented-status"
    | "undocumented-media-type"
    | "body-not-json"
    | "body-schema"
    | "unexpected-body"
    | "missing-body"
    | "undocumented-result-code"
    | "header"
    | "rejected-valid-request"
    | "accepted-broken-request"
    | "transport";
  readonly key: string;
  readonly detail: string;
}

/**
 * Checks answers against the spec text (OpenAPI 3.1, whose schemas are JSON Schema 2020-12, so ajv's 2020
 * dialect as the mock uses it): the status must be documented for the operation (exactly, as `4XX`, or as
 * `default`), the media type too, the body must match that response's schema, documented headers their
 * schemas, and a 2xx carrying a failure result code (`x-keysmith-result-code`) a documented failure code
 * and the failure schema.
 */
export class ResponseOracle {
  readonly #spec: SpecApi;
  readonly #ajv: Ajv2020;
  readonly #base: string;
  readonly #compiled = new WeakMap<object, ValidateFunction>();

  constructor(spec: SpecApi) {
    this.#spec = spec;
    this.#base = `https://fuzz.keysmith.invalid/${spec.name}`;
    this.#ajv = addFormats(new Ajv2020({ strict: false, allErrors: false, validateFormats: true }));
    this.#ajv.addSchema({ $id: this.#base, $defs: rewriteRefs(spec.schemas, this.#base) as object });
  }

  /** Whether `value` satisfies `schema` (refs into `components.schemas` allowed). */
  accepts(schema: JsonSchema, value: unknown): boolean {
    return this.#validator(schema)(value) === true;
  }

  /** The first reason `schema` rejects `value`, or undefined. */
  reject(schema: JsonSchema, value: unknown): ErrorObject | undefined {
    const validate = this.#validator(schema);
    return validate(value)
      ? undefined
      : (validate.errors?.[0] ?? ({ instancePath: "", message: "is invalid" } as ErrorObject));
  }

  /** The format validators ajv-formats applies, for generating values that pass them. */
  formatAccepts(format: string, value: string): boolean {
    return this.accepts({ type: "string", format }, value);
  }

  resolve = (ref: string): JsonSchema => pointer({ components: { schemas: this.#spec.schemas } }, ref) as JsonSchema;

  check(operation: SpecOperation, answer: Answer): Finding[] {
    const { status } = answer;
    const op = operation.operationId;
    const message = this.messageOf(answer.text);
    if (status >= 500) {
      return [
        {
          kind: "server-error",
          key: `server-error ${status} ${normalise(message)}`,
          detail: `${status}: ${message ?? answer.text.slice(0, 200)}`,
        },
      ];
    }
    const documented = documentedResponse(operation, status);
    if (!documented) {
      const listed = Object.keys(operation.responses).join(", ");
      return [
        {
          kind: "undocumented-status",
          key: `undocumented-status ${status} ${normalise(message)}`,
          detail: `${op} answered ${status}, which its spec does not document (documented: ${listed})${message ? `; message: ${message}` : ""}`,
        },
      ];
    }
    const [key, response] = documented;
    const findings: Finding[] = [...this.#checkHeaders(op, key, response, answer.headers)];
    if (status === 401 && !answer.headers.has("www-authenticate")) {
      // HTTP itself requires it, whatever the spec says (RFC 9110 §15.5.2)
      findings.push({
        kind: "header",
        key: "header 401 WWW-Authenticate missing",
        detail: `${op} answered 401 without WWW-Authenticate (RFC 9110 §15.5.2)`,
      });
    }
    const mediaType = (answer.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    const hasBody = answer.text.length > 0;
    if (!response.content || Object.keys(response.content).length === 0) {
      if (hasBody) {
        findings.push({
          kind: "unexpected-body",
          key: `unexpected-body ${status}`,
          detail: `${op} ${status} documents no body, but one came`,
        });
      }
      return findings;
    }
    if (!hasBody) {
      findings.push({
        kind: "missing-body",
        key: `missing-body ${status}`,
        detail: `${op} ${status} documents a body, none came`,
      });
      return findings;
    }
    const media = Object.entries(response.content).find(([type]) => mediaMatches(type, mediaType));
    if (!media) {
      findings.push({
        kind: "undocumented-media-type",
        key: `undocumented-media-type ${status} ${mediaType}`,
        detail: `${op} ${status} came as "${mediaType}", documented: ${Object.keys(response.content).join(", ")}`,
      });
      return findings;
    }
    const [, { schema }] = media;
    if (!/[/+]json$/.test(mediaType)) return findings; // only JSON bodies are checked against their schema
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      findings.push({
        kind: "body-not-json",
        key: `body-not-json ${status}`,
        detail: `${op} ${status} body is not JSON`,
      });
      return findings;
    }
    const failure = status >= 200 && status < 300 ? this.#resultFailure(operation, body) : undefined;
    if (failure) {
      findings.push(...failure);
      return findings;
    }
    if (schema !== undefined) findings.push(...this.#schemaFindings(op, `${status}`, schema, body));
    return findings;
  }

  /** A 2xx that is not a failure in disguise (a failure result code at HTTP 200, `x-keysmith-result-code`). */
  succeeded(operation: SpecOperation, answer: Answer): boolean {
    if (answer.status < 200 || answer.status >= 300) return false;
    const root = this.#spec.resultCode;
    if (!root || !operation.resultCodes) return true;
    try {
      const code = pointer(JSON.parse(answer.text), `#${root.code}`);
      return operation.resultCodes.success.includes(String(code).trim());
    } catch {
      return true;
    }
  }

  /** For a 2xx whose result code is not a success code: a documented failure code, and the failure schema. */
  #resultFailure(operation: SpecOperation, body: unknown): Finding[] | undefined {
    const root = this.#spec.resultCode;
    const codes = operation.resultCodes;
    if (!root || !codes) return undefined;
    let code: unknown;
    try {
      code = pointer(body, `#${root.code}`);
    } catch {
      return undefined; // no code: the success schema decides
    }
    if (typeof code !== "string" && typeof code !== "number") return undefined;
    const text = String(code).trim();
    if (codes.success.includes(text)) return undefined;
    const findings: Finding[] = [];
    if (!codes.failures?.includes(text)) {
      findings.push({
        kind: "undocumented-result-code",
        key: `undocumented-result-code ${text}`,
        detail: `${operation.operationId} answered result code ${text}; documented: success ${codes.success.join(", ")}, failures ${codes.failures?.join(", ") ?? "(none)"}`,
      });
    }
    if (root.failure)
      findings.push(...this.#schemaFindings(operation.operationId, `${text} (failure)`, { $ref: root.failure }, body));
    return findings;
  }

  #schemaFindings(op: string, where: string, schema: JsonSchema, body: unknown): Finding[] {
    const error = this.reject(schema, body);
    if (!error) return [];
    const path = error.instancePath || "(root)";
    return [
      {
        kind: "body-schema",
        key: `body-schema ${where} ${path.replace(/\/\d+(?=\/|$)/g, "/*")} ${error.keyword}`,
        detail: `${op} ${where} body: ${path} ${error.message ?? "is invalid"} ${JSON.stringify(error.params)}`,
      },
    ];
  }

  #checkHeaders(op: string, status: string, response: SpecResponse, headers: Headers): Finding[] {
    const findings: Finding[] = [];
    for (const [name, header] of Object.entries(response.headers)) {
      const value = headers.get(name);
      if (value === null) {
        if (header.required) {
          findings.push({
            kind: "header",
            key: `header ${status} ${name} missing`,
            detail: `${op} ${status} lacks required header ${name}`,
          });
        }
        continue;
      }
      if (header.schema === undefined) continue;
      const typed = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
      if (!this.accepts(header.schema, typed) && !this.accepts(header.schema, value)) {
        findings.push({
          kind: "header",
          key: `header ${status} ${name} invalid`,
          detail: `${op} ${status} header ${name}: ${JSON.stringify(value)} does not match its schema`,
        });
      }
    }
    return findings;
  }

  /** The error message of a body, where the spec says errors keep it (`x-keysmith-error`), else a usual place. */
  messageOf(text: string): string | undefined {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return undefined;
    }
    for (const at of [this.#spec.errorMessage, "/message", "/error/message", "/response/message"]) {
      if (!at) continue;
      try {
        const value = pointer(body, `#${at}`);
        if (typeof value === "string") return value;
      } catch {
        // not there
      }
    }
    return undefined;
  }

  #validator(schema: JsonSchema): ValidateFunction {
    if (typeof schema === "boolean") return this.#ajv.compile(schema as unknown as object);
    let validate = this.#compiled.get(schema);
    if (!validate) {
      validate = this.#ajv.compile(rewriteRefs(schema, this.#base) as object);
      this.#compiled.set(schema, validate);
    }
    return validate;
  }
}

/** The response documented for a status: exactly, by range (`4XX`), or `default`. */
export function documentedResponse(operation: SpecOperation, status: number): [string, SpecResponse] | undefined {
  const range = `${Math.floor(status / 100)}XX`;
  for (const [key, response] of Object.entries(operation.responses)) if (key === String(status)) return [key, response];
  for (const [key, response] of Object.entries(operation.responses))
    if (key.toUpperCase() === range) return [key, response];
  const fallback = operation.responses.default;
  return fallback ? ["default", fallback] : undefined;
}

function mediaMatches(documented: string, actual: string): boolean {
  if (documented === "*/*" || documented === actual) return true;
  return documented.endsWith("/*") && actual.startsWith(documented.slice(0, -1));
}

/** A message with its particulars (numbers, quoted values, field names after a dot) blurred, to group causes. */
export function normalise(message: string | undefined): string {
  if (message === undefined) return "";
  return message
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, "…")
    .replace(/\d+/g, "#")
    .slice(0, 60);
}

/** `#/components/schemas/X` → `<base>#/$defs/X`, where the spec's schemas are registered with ajv. */
function rewriteRefs(node: unknown, base: string): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, base));
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")
        ? `${base}#/$defs/${value.slice("#/components/schemas/".length)}`
        : rewriteRefs(value, base);
  }
  return out;
}
