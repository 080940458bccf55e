import type { RouteSpec } from "./mock-api-spec.js";
import type { MockRequest } from "./mock-http.js";
import { MockProblem } from "./mock-problem.js";

/**
 * The deepest nesting of arrays and objects a JSON body may have. Deeper bodies are refused with a 400 before
 * they are parsed: every step after parsing (validation, storing, answering) walks the value recursively.
 */
export const MAX_JSON_DEPTH = 128;

const JSON_TYPE = "application/json";
const FORM = "application/x-www-form-urlencoded";

export interface RequestBody {
  /** The parsed JSON, or the form's fields; undefined when the request has no body. */
  readonly body: unknown;
  readonly form: boolean;
}

const NO_BODY: RequestBody = { body: undefined, form: false };

/**
 * The body of an operation that takes one (an operation without a `requestBody` never reads one): JSON, or
 * form fields where the operation accepts `application/x-www-form-urlencoded` (values stay strings, and a field
 * holding a JSON array or object is parsed; the validator then coerces them to the schema's types).
 *
 * Refused: a body in another media type (`application/merge-patch+json` is JSON with other semantics, so it is
 * another type too), or with none, or content-coded (415, naming what is accepted);
 * JSON that does not parse or nests deeper than `MAX_JSON_DEPTH` (400). A body past the size limit is refused
 * (413) by `request.text()`, which the runtime limits.
 */
export async function readRequestBody(
  request: MockRequest,
  route: RouteSpec,
  schemas: Readonly<Record<string, unknown>>,
): Promise<RequestBody> {
  if (!route.requestBody) return NO_BODY;
  return parseRequestBody(await request.text(), request, route, schemas);
}

/**
 * The body's top-level fields, for a key sent among them (`x-keysmith-also-in-body`); undefined when the body
 * is not an object. A body that does not parse is reported later, after authentication, by `readRequestBody`;
 * one past the size limit is refused here.
 */
export async function bodyFields(
  request: MockRequest,
  route: RouteSpec,
  schemas: Readonly<Record<string, unknown>>,
): Promise<Record<string, unknown> | undefined> {
  if (!route.requestBody) return undefined;
  const text = await request.text();
  try {
    const { body } = parseRequestBody(text, request, route, schemas);
    return body !== null && typeof body === "object" && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function parseRequestBody(
  text: string,
  request: MockRequest,
  route: RouteSpec,
  schemas: Readonly<Record<string, unknown>>,
): RequestBody {
  if (text.trim() === "") return NO_BODY;
  const accepted = route.requestBody?.form ? [JSON_TYPE, FORM] : [JSON_TYPE];
  const coding = request.headers.get("content-encoding")?.trim().toLowerCase();
  if (coding && coding !== "identity") {
    throw unsupported(`body: the content coding "${coding.slice(0, 64)}" is not accepted; send it uncompressed`, {
      "Accept-Encoding": "identity",
    });
  }
  const type = mediaType(request.headers.get("content-type"));
  if (type === FORM && route.requestBody?.form) return { body: formFields(text, route, schemas), form: true };
  if (type === JSON_TYPE) return { body: parseJson(text, "body"), form: false };
  const given = type === undefined ? "a body without a Content-Type" : `Content-Type ${type.slice(0, 64)}`;
  const acceptHeader = route.method === "patch" ? "Accept-Patch" : route.method === "post" ? "Accept-Post" : undefined;
  throw unsupported(
    `body: ${given} is not accepted; send ${accepted.join(" or ")}`,
    acceptHeader ? { [acceptHeader]: accepted.join(", ") } : {},
  );
}

function unsupported(message: string, headers: Record<string, string>): MockProblem {
  return new MockProblem(415, { code: "unsupported_media_type", field: "body", message, headers });
}

/** `type/subtype` of a Content-Type, lower-cased and without parameters; undefined when absent or blank. */
function mediaType(header: string | null): string | undefined {
  const type = header?.split(";")[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

/** JSON text, refused with a 400 naming `field` when it does not parse or nests too deep. */
function parseJson(text: string, field: string): unknown {
  if (nestingDepth(text) > MAX_JSON_DEPTH) throw tooDeep(field);
  try {
    return JSON.parse(text);
  } catch {
    throw new MockProblem(400, { code: "parse_error", field, message: `${field}: not valid JSON` });
  }
}

const tooDeep = (field: string): MockProblem =>
  new MockProblem(400, {
    code: "parse_error",
    field,
    message: `${field}: nested deeper than ${MAX_JSON_DEPTH} levels`,
  });

/**
 * How deep arrays and objects nest in JSON text, in one pass without recursion (brackets inside strings do
 * not count); it stops counting once past `MAX_JSON_DEPTH`.
 */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index++; // `\` escapes the next character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > MAX_JSON_DEPTH) return deepest;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return deepest;
}

function formFields(text: string, route: RouteSpec, schemas: Readonly<Record<string, unknown>>) {
  // a field holding a list or an object travels as JSON text (GetKeyManager's `license_keys`)
  const structured = structuredFields(route.requestBody?.schema, schemas);
  const fields: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    fields[name] = structured.has(name) && /^\s*[[{]/.test(value) ? parseFormValue(value, name) : value;
  }
  return fields;
}

/** A form field's JSON; text that is not JSON stays text, for the validator to refuse. */
function parseFormValue(value: string, name: string): unknown {
  if (nestingDepth(value) > MAX_JSON_DEPTH) throw tooDeep(name);
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The properties of a body schema whose type is an array or an object (following a `$ref` or `allOf`). */
function structuredFields(schema: unknown, schemas: Readonly<Record<string, unknown>>, depth = 0): Set<string> {
  const names = new Set<string>();
  let node = schema as Record<string, unknown> | undefined;
  const ref = typeof node?.$ref === "string" ? node.$ref : undefined;
  if (ref?.startsWith("#/components/schemas/")) node = schemas[ref.slice(21)] as Record<string, unknown> | undefined;
  if (!node || depth > 5) return names;
  for (const part of Array.isArray(node.allOf) ? node.allOf : []) {
    for (const name of structuredFields(part, schemas, depth + 1)) names.add(name);
  }
  const properties = (node.properties ?? {}) as Record<string, { type?: unknown }>;
  for (const [name, property] of Object.entries(properties)) {
    const types = Array.isArray(property?.type) ? property.type : [property?.type];
    if (types.includes("array") || types.includes("object")) names.add(name);
  }
  return names;
}
