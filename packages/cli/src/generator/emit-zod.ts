import { parsePointer, resolvePointer } from "./json-pointer.js";
import { propertyKey } from "./naming.js";
import { isObject, type Json } from "./openapi-shapes.js";

/**
 * zod source (for `zod/mini`, whose functional API keeps bundles small) for the JSON Schema subset Keysmith's specs use: objects (loose unless
 * `additionalProperties: false`; maps for free-form objects), arrays, strings (enum, const, minLength),
 * numbers and integers (minimum), booleans, null unions, `oneOf`/`anyOf`, defaults and local `$ref`s to
 * named schemas, which become references to their own constants.
 */
export function zodOf(document: Json, schema: unknown, refName: (ref: string) => string): string {
  if (!isObject(schema) || Object.keys(schema).filter((key) => key !== "description").length === 0)
    return "z.unknown()";
  if (typeof schema.$ref === "string") return refName(schema.$ref);
  const union = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  if (Array.isArray(union)) return `z.union([${union.map((part) => zodOf(document, part, refName)).join(", ")}])`;
  if (schema.const !== undefined) return `z.literal(${JSON.stringify(schema.const)})`;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const nullable = types.includes("null");
  const type = types.find((candidate) => candidate !== "null");
  let out: string;
  switch (type) {
    case "object":
      out = objectOf(document, schema, refName);
      break;
    case "array":
      out = `z.array(${zodOf(document, schema.items, refName)})${typeof schema.minItems === "number" ? `.check(z.minLength(${schema.minItems}))` : ""}`;
      break;
    case "string":
      out = Array.isArray(schema.enum)
        ? `z.enum(${JSON.stringify(schema.enum)})`
        : `z.string()${typeof schema.minLength === "number" ? `.check(z.minLength(${schema.minLength}))` : ""}`;
      break;
    case "integer":
    case "number":
      out = `${type === "integer" ? "z.int()" : "z.number()"}${typeof schema.minimum === "number" ? `.check(z.gte(${schema.minimum}))` : ""}`;
      break;
    case "boolean":
      out = "z.boolean()";
      break;
    default:
      out = isObject(schema.properties) ? objectOf(document, schema, refName) : "z.unknown()";
  }
  return nullable ? `z.nullable(${out})` : out;
}

function objectOf(document: Json, schema: Json, refName: (ref: string) => string): string {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  if (Object.keys(properties).length === 0 && schema.additionalProperties !== false) {
    const values = isObject(schema.additionalProperties)
      ? zodOf(document, schema.additionalProperties, refName)
      : "z.unknown()";
    return `z.record(z.string(), ${values})`;
  }
  const fields = Object.entries(properties).map(([name, property]) => {
    const base = zodOf(document, property, refName);
    if (required.has(name)) return `${propertyKey(name)}: ${base}`;
    const fallback = isObject(property) ? property.default : undefined;
    return `${propertyKey(name)}: ${fallback === undefined ? `z.optional(${base})` : `z._default(${base}, ${JSON.stringify(fallback)})`}`;
  });
  return `${schema.additionalProperties === false ? "z.strictObject" : "z.looseObject"}({ ${fields.join(", ")} })`;
}

/** The names of the component schemas a schema refers to, for ordering their constants. */
export function refsOf(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) refsOf(item, found);
  else if (isObject(schema)) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "$ref" && typeof value === "string") found.add(value);
      else refsOf(value, found);
    }
  }
  return found;
}

export function resolveRef(document: Json, ref: string): unknown {
  return parsePointer(ref) ? resolvePointer(document, ref) : undefined;
}
