/**
 * OpenAPI 3.0's schema dialect, rewritten as the JSON Schema 2020-12 that OpenAPI 3.1 uses and the mock's
 * validator (ajv) reads: `nullable: true` becomes a `"null"` type (or an `anyOf` with one), boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become the bounds themselves, `$id` (no 3.0 keyword) is dropped. A 3.1 description comes back untouched.
 */
export function upgradeSchemas(document: Record<string, unknown>): Record<string, unknown> {
  if (typeof document.openapi !== "string" || !document.openapi.startsWith("3.0")) return document;
  return upgrade(document) as Record<string, unknown>;
}

function upgrade(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(upgrade);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // `$id` is no 3.0 keyword: left in, a validator would take it for a schema's address
    if (key !== "$id") out[key] = upgrade(value);
  }
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (typeof out[flag] === "boolean") {
      if (out[flag] === true && typeof out[bound] === "number") out[flag] = out[bound];
      else delete out[flag];
      if (typeof out[flag] === "number") delete out[bound];
    }
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === "string") return { ...out, type: [out.type, "null"], ...nullEnum(out) };
    if (out.$ref !== undefined || out.type === undefined) return { anyOf: [out, { type: "null" }] };
  } else if (out.nullable === false) {
    delete out.nullable;
  }
  return out;
}

/** An `enum` of a nullable schema admits null too. */
function nullEnum(schema: Record<string, unknown>): Record<string, unknown> {
  return Array.isArray(schema.enum) && !schema.enum.includes(null) ? { enum: [...schema.enum, null] } : {};
}
