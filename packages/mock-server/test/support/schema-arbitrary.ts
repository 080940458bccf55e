import fc from "fast-check";
import { isObject, type JsonSchema, type SchemaObject } from "./openapi-spec.js";

/**
 * JSON Schema (2020-12, as OpenAPI 3.1 writes it) → a fast-check arbitrary of values the schema accepts.
 *
 * Handles `type` (and 3.1's type arrays such as `["string", "null"]`), `const`, `enum`, `format`, numeric and
 * length bounds, `pattern`, `required`, `properties`, `additionalProperties`, `min/maxProperties`, `items`,
 * `prefixItems`, `min/maxItems`, `uniqueItems`, `oneOf`, `anyOf`, `allOf` and `$ref`. It aims to produce valid
 * values, not to prove it: the fuzzer checks each one with ajv before calling a request valid (a `oneOf` branch
 * may also match another branch; a grapheme may be two code points).
 *
 * @example schemaArbitrary({ type: "integer", minimum: 1 }, { resolve }) // 1, 7, 2147483647…
 */
export interface SchemaArbitraryOptions {
  /** The schema a `$ref` names (`#/components/schemas/Event`). */
  readonly resolve: (ref: string) => JsonSchema;
  /** Past this depth only required properties and the fewest items are generated, so recursive schemas end. */
  readonly maxDepth?: number;
  /** Characters of generated strings: any Unicode (default), or visible ASCII (for header values). */
  readonly text?: "unicode" | "ascii";
  /** Keeps only the values a format validator accepts (`fc.emailAddress()` is laxer than ajv-formats). */
  readonly formatFilter?: (format: string, value: string) => boolean;
  /** Lets the caller offer other values for a property by name (known ids); returns `arbitrary` to decline. */
  readonly property?: (name: string, schema: JsonSchema, arbitrary: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown>;
}

const HARD_DEPTH = 12;

export function schemaArbitrary(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  return build(schema, options, 0);
}

function build(raw: JsonSchema, options: SchemaArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  if (raw === true) return anyJson();
  if (raw === false) return fc.constant(undefined);
  if (depth > HARD_DEPTH) return fc.constant(null);
  const schema = flatten(raw, options);
  if ("const" in schema) return fc.constant(schema.const);
  const documented = [schema.default, ...(Array.isArray(schema.examples) ? schema.examples : [])].filter(
    (v) => v !== undefined,
  );
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const branches = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) {
    const { oneOf: _oneOf, anyOf: _anyOf, ...rest } = schema;
    return fc.oneof(...branches.map((branch) => build(merge(rest, flatten(branch, options)), options, depth)));
  }
  const types = typesOf(schema);
  const own = types.length === 0 ? anyJson() : fc.oneof(...types.map((type) => byType(type, schema, options, depth)));
  // the spec's own default and examples, now and then
  return documented.length === 0
    ? own
    : fc.oneof({ weight: 4, arbitrary: own }, { weight: 1, arbitrary: fc.constantFrom(...documented) });
}

function byType(type: string, schema: SchemaObject, options: SchemaArbitraryOptions, depth: number) {
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return integerArbitrary(schema);
    case "number":
      return numberArbitrary(schema);
    case "string":
      return stringArbitrary(schema, options);
    case "array":
      return arrayArbitrary(schema, options, depth);
    case "object":
      return objectArbitrary(schema, options, depth);
    default:
      return anyJson();
  }
}

function integerArbitrary(schema: SchemaObject): fc.Arbitrary<unknown> {
  const { min, max } = bounds(schema, true);
  const low = Math.max(min, Number.MIN_SAFE_INTEGER);
  const high = Math.min(max, Number.MAX_SAFE_INTEGER);
  // mostly small values (ids, pages, counts), sometimes the whole range
  const small = fc.integer({ min: Math.max(low, Math.min(high, -5)), max: Math.min(high, Math.max(low, 50)) });
  const wide = fc.integer({ min: Math.max(low, -(2 ** 31)), max: Math.min(high, 2 ** 31 - 1) });
  const step = typeof schema.multipleOf === "number" ? schema.multipleOf : undefined;
  // the lowest values (page 1, the first id) are the likeliest to exist
  const lowest = Number.isFinite(min) ? [fc.constantFrom(low, Math.min(low + 1, high))] : [];
  const inRange = fc.oneof(
    ...lowest.map((arbitrary) => ({ weight: 2, arbitrary })),
    { weight: 4, arbitrary: small },
    { weight: 1, arbitrary: wide },
  );
  return step ? inRange.map((n) => Math.ceil(n / step) * step).filter((n) => n >= low && n <= high) : inRange;
}

function numberArbitrary(schema: SchemaObject): fc.Arbitrary<unknown> {
  const { min, max } = bounds(schema, false);
  const double = fc.double({
    min: Number.isFinite(min) ? min : -1e9,
    max: Number.isFinite(max) ? max : 1e9,
    noNaN: true,
    noDefaultInfinity: true,
  });
  return fc.oneof(integerArbitrary(schema), double).filter((n) => Number(n) >= min && Number(n) <= max);
}

/** Inclusive bounds from `minimum`/`maximum` and 2020-12's numeric `exclusiveMinimum`/`exclusiveMaximum`. */
function bounds(schema: SchemaObject, integer: boolean): { min: number; max: number } {
  const nudge = integer ? 1 : Number.EPSILON;
  let min = typeof schema.minimum === "number" ? schema.minimum : Number.NEGATIVE_INFINITY;
  let max = typeof schema.maximum === "number" ? schema.maximum : Number.POSITIVE_INFINITY;
  if (typeof schema.exclusiveMinimum === "number") min = Math.max(min, schema.exclusiveMinimum + nudge);
  if (typeof schema.exclusiveMaximum === "number") max = Math.min(max, schema.exclusiveMaximum - nudge);
  if (integer) return { min: Math.ceil(min), max: Math.floor(max) };
  return { min, max };
}

function stringArbitrary(schema: SchemaObject, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY;
  const fits = (value: string) => {
    const length = [...value].length; // JSON Schema counts code points
    return length >= minLength && length <= maxLength;
  };
  const format = typeof schema.format === "string" ? schema.format : undefined;
  let base: fc.Arbitrary<string>;
  if (typeof schema.pattern === "string") {
    base = fc.stringMatching(new RegExp(schema.pattern, "u"));
  } else if (format && FORMATS[format]) {
    const formatted = FORMATS[format];
    base = options.formatFilter
      ? formatted.filter((value) => options.formatFilter?.(format, value) ?? true)
      : formatted;
  } else {
    base = textArbitrary(minLength, Math.min(maxLength, minLength + 24), options.text ?? "unicode");
  }
  return base.filter(fits);
}

/** Strings of ASCII mostly, sometimes any grapheme or code point (astral planes, combining marks, RTL…). */
export function textArbitrary(minLength: number, maxLength: number, text: "unicode" | "ascii"): fc.Arbitrary<string> {
  const ascii = fc.string({ unit: "grapheme-ascii", minLength, maxLength });
  if (text === "ascii") return ascii.filter((value) => /^[\x21-\x7e]*$/.test(value));
  return fc.oneof(
    { weight: 5, arbitrary: ascii },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength, maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", minLength, maxLength }) },
  );
}

const isoDate = fc
  .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2100-12-31T23:59:59Z"), noInvalidDate: true })
  .map((date) => date.toISOString());

const FORMATS: Readonly<Record<string, fc.Arbitrary<string>>> = {
  "date-time": fc.oneof(
    isoDate,
    // other offsets than Z, as RFC 3339 allows
    fc
      .tuple(isoDate, fc.integer({ min: -12, max: 14 }))
      .map(
        ([iso, hours]) => `${iso.slice(0, 19)}${hours < 0 ? "-" : "+"}${String(Math.abs(hours)).padStart(2, "0")}:00`,
      ),
  ),
  date: isoDate.map((iso) => iso.slice(0, 10)),
  time: isoDate.map((iso) => `${iso.slice(11, 19)}Z`),
  uuid: fc.uuid(),
  email: fc.emailAddress(),
  uri: fc.webUrl(),
  url: fc.webUrl(),
  hostname: fc.domain(),
  ipv4: fc.ipV4(),
  ipv6: fc.ipV6(),
};

function arrayArbitrary(schema: SchemaObject, options: SchemaArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  const minItems = typeof schema.minItems === "number" ? schema.minItems : 0;
  const cap = depth >= (options.maxDepth ?? 4) ? minItems : minItems + 4;
  const maxItems = Math.min(typeof schema.maxItems === "number" ? schema.maxItems : cap, cap);
  const items = build((schema.items ?? true) as JsonSchema, options, depth + 1);
  const prefix = Array.isArray(schema.prefixItems)
    ? (schema.prefixItems as JsonSchema[]).map((item) => build(item, options, depth + 1))
    : [];
  const rest =
    schema.uniqueItems === true
      ? fc.uniqueArray(items, { minLength: minItems, maxLength: maxItems, selector: (v) => JSON.stringify(v) })
      : fc.array(items, { minLength: Math.max(0, minItems - prefix.length), maxLength: maxItems });
  return prefix.length === 0 ? rest : fc.tuple(fc.tuple(...prefix), rest).map(([head, tail]) => [...head, ...tail]);
}

function objectArbitrary(schema: SchemaObject, options: SchemaArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  const properties = (isObject(schema.properties) ? schema.properties : {}) as Record<string, JsonSchema>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const shallow = depth >= (options.maxDepth ?? 4);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    if (shallow && !required.includes(name)) continue;
    const arbitrary = build(property, options, depth + 1);
    model[name] = options.property ? options.property(name, property, arbitrary) : arbitrary;
  }
  for (const name of required) model[name] ??= anyJson();
  const record = fc.record(model, { requiredKeys: required.filter((name) => name in model) });
  const additional = schema.additionalProperties;
  const minProperties = typeof schema.minProperties === "number" ? schema.minProperties : 0;
  const maxProperties = typeof schema.maxProperties === "number" ? schema.maxProperties : Number.POSITIVE_INFINITY;
  let result: fc.Arbitrary<Record<string, unknown>> = record;
  if (additional !== false && !shallow) {
    // extra members where the schema allows them: a dictionary of the `additionalProperties` schema
    const values = build((additional ?? true) as JsonSchema, options, depth + 1);
    const names = textArbitrary(1, 12, "unicode").filter((name) => !(name in properties));
    const weight = isObject(additional) || additional === true ? 3 : 1;
    result = fc
      .tuple(
        record,
        fc.oneof(
          { weight: 4, arbitrary: fc.constant({}) },
          { weight, arbitrary: fc.dictionary(names, values, { maxKeys: 3 }) },
        ),
      )
      .map(([known, extra]) => ({ ...extra, ...known }));
  }
  return result.filter((value) => {
    const count = Object.keys(value).length;
    return count >= minProperties && count <= maxProperties;
  });
}

/** Any small JSON value, for `true` schemas and members a schema leaves open. */
function anyJson(): fc.Arbitrary<unknown> {
  return fc.jsonValue({ maxDepth: 2 }).map((value) => (Object.is(value, -0) ? 0 : value));
}

/** The `type`s a schema allows: its own, or the ones its keywords imply. */
function typesOf(schema: SchemaObject): string[] {
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return schema.type as string[];
  if ("properties" in schema || "additionalProperties" in schema || "required" in schema) return ["object"];
  if ("items" in schema || "prefixItems" in schema) return ["array"];
  if ("pattern" in schema || "format" in schema || "minLength" in schema) return ["string"];
  if ("minimum" in schema || "maximum" in schema) return ["number"];
  return [];
}

/** The schema with its `$ref` and `allOf` folded in: one object of keywords to generate from. */
export function flatten(schema: JsonSchema, options: Pick<SchemaArbitraryOptions, "resolve">, hops = 0): SchemaObject {
  if (schema === true || schema === false) return {};
  if (hops > 32) throw new Error("schema $ref chain too long (a cycle through allOf?)");
  let current: SchemaObject = schema;
  if (typeof current.$ref === "string") {
    const { $ref, ...siblings } = current;
    current = merge(flatten(options.resolve($ref as string), options, hops + 1), siblings);
  }
  if (Array.isArray(current.allOf)) {
    const { allOf, ...rest } = current;
    current = (allOf as JsonSchema[]).reduce<SchemaObject>(
      (merged, part) => merge(merged, flatten(part, options, hops + 1)),
      rest,
    );
  }
  return current;
}

/** Both schemas' constraints at once (as `allOf` means), for the keywords generation reads. */
export function merge(a: SchemaObject, b: SchemaObject): SchemaObject {
  const out: Record<string, unknown> = { ...a, ...b };
  if (isObject(a.properties) && isObject(b.properties)) {
    const properties: Record<string, unknown> = { ...a.properties };
    for (const [name, schema] of Object.entries(b.properties)) {
      properties[name] = name in properties ? { allOf: [properties[name], schema] } : schema;
    }
    out.properties = properties;
  }
  if (Array.isArray(a.required) || Array.isArray(b.required)) {
    out.required = [...new Set([...((a.required as string[]) ?? []), ...((b.required as string[]) ?? [])])];
  }
  if (a.type !== undefined && b.type !== undefined) {
    const left = ([] as unknown[]).concat(a.type);
    const both = ([] as unknown[]).concat(b.type).filter((type) => left.includes(type));
    out.type = both.length === 1 ? both[0] : both;
  }
  for (const key of ["minimum", "minLength", "minItems", "minProperties"]) {
    if (typeof a[key] === "number" && typeof b[key] === "number") out[key] = Math.max(a[key], b[key]);
  }
  for (const key of ["maximum", "maxLength", "maxItems", "maxProperties"]) {
    if (typeof a[key] === "number" && typeof b[key] === "number") out[key] = Math.min(a[key], b[key]);
  }
  if (a.additionalProperties === false || b.additionalProperties === false) out.additionalProperties = false;
  return out;
}
