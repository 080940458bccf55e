import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { type GenerateSyncOptions, generateSync } from "json-schema-faker";
import { addFormats } from "../core/formats.js";
import { SAMPLE_FORMATS } from "./sample-formats.js";
import { resolveSchema, type Schema } from "./schema-walk.js";

const COMPONENT_REF = "#/components/schemas/";

/**
 * A value of `schema` from json-schema-faker (its `$ref`s into `schemas` resolved, the formats it lacks added),
 * or undefined where it gives up (it throws on rules it finds contradictory).
 */
export function generateValue(
  schemas: Readonly<Record<string, unknown>>,
  schema: Schema,
  options: GenerateSyncOptions,
): { readonly value: unknown } | undefined {
  try {
    const value = generateSync(
      { ...schema, components: { schemas } },
      { maxDefaultItems: 2, ...options, formats: SAMPLE_FORMATS },
    );
    return { value };
  } catch {
    return undefined;
  }
}

/** A 31-bit seed from a number and a string (FNV-1a). */
export function hashSeed(seed: number, salt: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let index = 0; index < salt.length; index++) {
    hash ^= salt.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 0x7fffffff || 1;
}

/**
 * The ways a part of a value is generated again: examples first (they read best), then purely generated,
 * then with every array given an item (an empty list matches the branches of many a `oneOf` alike), then
 * required properties only, then every optional property too (more properties tell branches apart).
 */
const VARIANTS: readonly GenerateSyncOptions[] = [
  { useExamplesValue: true, useDefaultValue: true },
  { useExamplesValue: false, useDefaultValue: false },
  { useExamplesValue: false, useDefaultValue: false, minItems: 1 },
  { useExamplesValue: false, useDefaultValue: false, optionalsProbability: 0 },
  { useExamplesValue: false, useDefaultValue: false, alwaysFakeOptionals: true, minItems: 1 },
];

/** Passes over a value, each mending what ajv still reports. */
const ROUNDS = 6;
/** How deep a part generated to mend another may itself be mended. */
const DEPTH = 3;
/** json-schema-faker calls one repair may make, all depths together. */
const GENERATIONS = 80;
/** Values tried for one place before the best of them is kept. */
const CANDIDATES = 16;
/** Candidates one repair may try in all (each is a validation of the whole value). */
const CHECKS = 600;

/** Keywords whose failure is mended by generating the whole place again (a branch of it, for `oneOf`/`anyOf`). */
const COMPOSITE = new Set(["oneOf", "anyOf", "not", "if", "then", "else", "dependentSchemas", "false schema"]);
const NUMERIC = new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]);
const LENGTH = new Set(["minLength", "maxLength"]);
/** Keywords of a schema that only annotate it: a `oneOf` beside them alone is its branch alone. */
const ANNOTATIONS = new Set([
  "description",
  "title",
  "discriminator",
  "example",
  "examples",
  "default",
  "nullable",
  "readOnly",
  "writeOnly",
  "deprecated",
  "externalDocs",
  "xml",
  "$comment",
]);

interface Run {
  readonly seed: number;
  generations: number;
  checks: number;
}

type Json = Record<string, unknown>;

/**
 * Mends a generated value its schema rejects, guided by ajv's errors (all of them, with the schema each comes
 * from): a missing required property is generated from its own schema; an extra one is dropped; numbers are
 * brought within `minimum`/`maximum`/`multipleOf`; strings cut or padded to their lengths; arrays cut or filled
 * to their sizes; and a place that fails its type, format, pattern, `enum`, `oneOf` or `anyOf` is generated
 * again from its own schema (a `oneOf` or `anyOf` from one branch at a time, so that exactly one matches), the
 * candidates mended in turn, the one leaving the fewest errors kept. Deterministic for a seed.
 */
export class SampleRepair {
  readonly #schemas: Readonly<Record<string, unknown>>;
  readonly #ajv: Ajv2020;
  readonly #base = "https://keysmith.invalid/samples";
  /** A schema node of the description → its copy with `$ref`s that point into ajv's `$defs`, and back. */
  readonly #toAjv = new WeakMap<object, object>();
  readonly #fromAjv = new WeakMap<object, Schema>();
  readonly #validators = new WeakMap<Schema, ValidateFunction | null>();
  readonly #branches = new WeakMap<Schema, Map<string, Schema>>();
  /** The description's named schemas, by object: compiled through a `$ref`, once for every use. */
  readonly #names = new WeakMap<object, string>();

  constructor(schemas: Readonly<Record<string, unknown>>) {
    this.#schemas = schemas;
    for (const [name, schema] of Object.entries(schemas)) if (isObject(schema)) this.#names.set(schema as object, name);
    // the options of the mock's validator (`RequestValidator`), all errors reported with their schemas
    this.#ajv = addFormats(
      new Ajv2020({ strict: false, logger: false, unicodeRegExp: false, allErrors: true, verbose: true }),
    );
    this.#ajv.addSchema({ $id: this.#base, $defs: this.#rewrite(schemas) });
  }

  /** `value` mended towards `schema`; as good as it got where it could not be made to match. */
  repair(schema: Schema, value: unknown, seed: number): unknown {
    return this.#fit(schema, value, { seed, generations: 0, checks: 0 }, 0);
  }

  #fit(schema: Schema, value: unknown, run: Run, depth: number): unknown {
    const validate = this.#validator(schema);
    if (!validate) return value;
    let current = value;
    for (let round = 0; round < ROUNDS; round++) {
      if (validate(current)) return current;
      const errors = [...(validate.errors ?? [])];
      const next = this.#mend(validate, current, errors, run, depth, round);
      if (next === undefined) break;
      current = next.value;
    }
    return current;
  }

  /** One pass: every error mended once, shallow places first (mending one settles the errors beneath it). */
  #mend(
    validate: ValidateFunction,
    value: unknown,
    errors: ErrorObject[],
    run: Run,
    depth: number,
    round: number,
  ): { value: unknown } | undefined {
    let root = structuredClone(value);
    let baseline: number | undefined = errors.length;
    let changed = false;
    const settled: string[] = [];
    errors.sort((a, b) => pathDepth(a) - pathDepth(b) || rank(a) - rank(b));
    for (const error of errors) {
      const path = error.instancePath;
      if (settled.some((prefix) => within(path, prefix))) continue;
      const schema = this.#fromAjv.get(error.parentSchema as object);
      const tokens = pointerTokens(path);
      const target = valueAt(root, tokens);
      if (!schema || target === MISSING) continue;
      const salt = `${path}:${error.keyword}:${round}`;
      const edited = this.#edit(error, schema, target.value, run, depth, salt);
      if (edited !== undefined) {
        settled.push(edited);
        changed = true;
        baseline = undefined;
        continue;
      }
      if (baseline === undefined) baseline = validate(root) ? 0 : (validate.errors?.length ?? 0);
      const chosen = this.#choose(
        validate,
        root,
        tokens,
        this.#candidates(error, schema, target.value, run, depth, salt),
        run,
      );
      settled.push(path);
      if (chosen && chosen.errors < baseline) {
        root = chosen.root;
        baseline = chosen.errors;
        changed = true;
      } else root = setAt(root, tokens, target.value);
    }
    return changed ? { value: root } : undefined;
  }

  /**
   * Mends in place what a keyword names exactly (a property to add or drop, an array's size); returns the path
   * whose errors are settled by it, or undefined where the place is to be generated again instead.
   */
  #edit(
    error: ErrorObject,
    schema: Schema,
    target: unknown,
    run: Run,
    depth: number,
    salt: string,
  ): string | undefined {
    const path = error.instancePath;
    const params = error.params as Record<string, unknown>;
    if (isObject(target)) {
      const object = target as Json;
      switch (error.keyword) {
        case "required":
        case "dependentRequired":
        case "dependencies": {
          const name = String(params.missingProperty);
          const made = this.#make(this.#propertySchema(schema, name) ?? {}, run, depth, `${salt}:${name}`);
          if (made === MISSING) return undefined;
          object[name] = made.value;
          return `${path}/${escapeToken(name)}`;
        }
        case "additionalProperties":
        case "unevaluatedProperties": {
          const name = String(params.additionalProperty ?? params.unevaluatedProperty);
          delete object[name];
          return `${path}/${escapeToken(name)}`;
        }
        case "maxProperties": {
          const required = new Set(Array.isArray(schema.required) ? schema.required : []);
          for (const name of Object.keys(object).reverse()) {
            if (Object.keys(object).length <= Number(params.limit)) break;
            if (!required.has(name)) delete object[name];
          }
          return path;
        }
        default:
          return undefined;
      }
    }
    if (Array.isArray(target)) {
      switch (error.keyword) {
        case "maxItems":
          target.length = Number(params.limit);
          return path;
        case "minItems":
          for (let index = target.length; index < Number(params.limit); index++) {
            const made = this.#make(itemSchema(schema, index), run, depth, `${salt}:${index}`);
            if (made === MISSING) return undefined;
            target.push(made.value);
          }
          return path;
        case "uniqueItems": {
          const index = Number(params.j);
          const min = typeof schema.minItems === "number" ? schema.minItems : 0;
          if (target.length > min) target.splice(index, 1);
          else {
            const made = this.#make(itemSchema(schema, index), run, depth, `${salt}:${index}:${target.length}`);
            if (made === MISSING) return undefined;
            target[index] = made.value;
          }
          return path;
        }
        case "contains":
        case "minContains": {
          if (!isObject(schema.contains)) return undefined;
          const made = this.#make(schema.contains as Schema, run, depth, salt);
          if (made === MISSING) return undefined;
          target.push(made.value);
          return path;
        }
        default:
          return undefined;
      }
    }
    return undefined;
  }

  /**
   * The candidate that leaves the whole value with the fewest errors (the first that is best so far and leaves
   * none at its place ends the search); undefined where none was tried.
   */
  #choose(
    validate: ValidateFunction,
    root: unknown,
    tokens: readonly string[],
    candidates: Iterable<unknown>,
    run: Run,
  ): { root: unknown; errors: number } | undefined {
    const path = pointerOf(tokens);
    let best: { value: unknown; errors: number } | undefined;
    let tried = 0;
    let current = root;
    for (const candidate of candidates) {
      if (tried++ >= CANDIDATES || run.checks++ >= CHECKS) break;
      current = setAt(current, tokens, candidate);
      const errors = validate(current) ? [] : (validate.errors ?? []);
      if (best && errors.length >= best.errors) continue;
      best = { value: candidate, errors: errors.length };
      if (!errors.some((error) => within(error.instancePath, path))) break;
    }
    if (!best) return undefined;
    return { root: setAt(current, tokens, best.value), errors: best.errors };
  }

  /** Values for a place whose keyword failed, cheapest first: bounded numbers, cut strings, then generated. */
  *#candidates(
    error: ErrorObject,
    schema: Schema,
    current: unknown,
    run: Run,
    depth: number,
    salt: string,
  ): Generator<unknown> {
    const { keyword } = error;
    if (keyword === "const" && "const" in schema) yield structuredClone(schema.const);
    if (keyword === "enum" && Array.isArray(schema.enum)) for (const value of schema.enum) yield structuredClone(value);
    if (typeof current === "number" && (NUMERIC.has(keyword) || keyword === "type" || keyword === "format")) {
      yield* numberCandidates(schema, current);
    }
    if (typeof current === "string" && LENGTH.has(keyword)) yield* lengthCandidates(schema, current);
    if (keyword === "oneOf" || keyword === "anyOf") {
      const branches = Array.isArray(schema[keyword]) ? (schema[keyword] as unknown[]) : [];
      for (let index = 0; index < branches.length; index++) {
        yield* this.#generated(this.#withBranch(schema, keyword, index), run, depth, `${salt}:${index}`);
      }
    }
    yield* this.#generated(schema, run, depth, salt);
  }

  /** Values generated from `schema` in each of the ways, each mended against it (to a depth). */
  *#generated(schema: Schema, run: Run, depth: number, salt: string): Generator<unknown> {
    for (const [index, options] of VARIANTS.entries()) {
      if (run.generations >= GENERATIONS) return;
      run.generations += 1;
      const made = generateValue(this.#schemas, schema, { ...options, seed: hashSeed(run.seed, `${salt}:${index}`) });
      if (!made) continue;
      yield depth < DEPTH ? this.#fit(schema, made.value, run, depth + 1) : made.value;
    }
  }

  /** A value for a place that has none (a missing property, an array's next item): the first that matches. */
  #make(schema: Schema, run: Run, depth: number, salt: string): { value: unknown } | typeof MISSING {
    const validate = this.#validator(schema);
    let first: { value: unknown } | typeof MISSING = MISSING;
    let tried = 0;
    for (const value of this.#generated(schema, run, depth, salt)) {
      if (!validate || validate(value)) return { value };
      if (first === MISSING) first = { value };
      if (++tried >= 2) break;
    }
    return first;
  }

  /** `schema` with its `oneOf` or `anyOf` narrowed to one branch (made once, so it is compiled once). */
  #withBranch(schema: Schema, keyword: string, index: number): Schema {
    let made = this.#branches.get(schema);
    if (!made) {
      made = new Map();
      this.#branches.set(schema, made);
    }
    const key = `${keyword}:${index}`;
    const known = made.get(key);
    if (known) return known;
    const { [keyword]: branches, ...rest } = schema;
    const branch = Array.isArray(branches) && isObject(branches[index]) ? (branches[index] as Schema) : {};
    const alone = Object.keys(rest).every((name) => ANNOTATIONS.has(name) || name.startsWith("x-"));
    const allOf = Array.isArray(rest.allOf) ? rest.allOf : [];
    const narrowed: Schema = alone ? branch : { ...rest, allOf: [...allOf, branch] };
    made.set(key, narrowed);
    return narrowed;
  }

  /** The schema of an object's property `name`, wherever `schema` declares it (through `$ref`s and `allOf`). */
  #propertySchema(schema: Schema, name: string, depth = 0): Schema | undefined {
    const node = resolveSchema(this.#schemas, schema);
    if (!node || depth > 8) return undefined;
    if (isObject(node.properties)) {
      const property = (node.properties as Json)[name];
      if (property !== undefined) return isObject(property) ? (property as Schema) : {};
    }
    for (const key of ["allOf", "anyOf", "oneOf"]) {
      for (const member of Array.isArray(node[key]) ? (node[key] as unknown[]) : []) {
        const found = isObject(member) ? this.#propertySchema(member as Schema, name, depth + 1) : undefined;
        if (found) return found;
      }
    }
    return isObject(node.additionalProperties) ? (node.additionalProperties as Schema) : undefined;
  }

  #validator(schema: Schema): ValidateFunction | undefined {
    let validate = this.#validators.get(schema);
    if (validate === undefined) {
      try {
        const name = this.#names.get(schema);
        validate = this.#ajv.compile(
          name === undefined
            ? (this.#rewrite(schema) as object)
            : { $ref: `${this.#base}#/$defs/${encodeURIComponent(escapeToken(name))}` },
        );
      } catch {
        validate = null;
      }
      this.#validators.set(schema, validate);
    }
    return validate ?? undefined;
  }

  /** A schema node with its `$ref`s pointing into ajv's `$defs`, made once per node and mapped back. */
  #rewrite(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((item) => this.#rewrite(item));
    if (!isObject(node)) return node;
    const known = this.#toAjv.get(node as object);
    if (known) return known;
    const copy: Json = {};
    this.#toAjv.set(node as object, copy);
    this.#fromAjv.set(copy, node as Schema);
    for (const [key, value] of Object.entries(node as Json)) {
      copy[key] =
        key === "$ref" && typeof value === "string" && value.startsWith(COMPONENT_REF)
          ? `${this.#base}#/$defs/${value.slice(COMPONENT_REF.length)}`
          : this.#rewrite(value);
    }
    return copy;
  }
}

const MISSING = Symbol("missing");

/**
 * Numbers within a schema's bounds, on its `multipleOf` grid, whole where it is an integer: the current
 * value brought within them first, then the bounds themselves and their middle.
 */
function* numberCandidates(schema: Schema, current: number): Generator<number> {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const integer =
    (types.includes("integer") && !types.includes("number")) || schema.format === "int32" || schema.format === "int64";
  let low = typeof schema.minimum === "number" ? schema.minimum : Number.NEGATIVE_INFINITY;
  let high = typeof schema.maximum === "number" ? schema.maximum : Number.POSITIVE_INFINITY;
  if (typeof schema.exclusiveMinimum === "number" && schema.exclusiveMinimum >= low) {
    low = integer ? Math.floor(schema.exclusiveMinimum) + 1 : schema.exclusiveMinimum;
  }
  if (typeof schema.exclusiveMaximum === "number" && schema.exclusiveMaximum <= high) {
    high = integer ? Math.ceil(schema.exclusiveMaximum) - 1 : schema.exclusiveMaximum;
  }
  if (schema.format === "int32") {
    low = Math.max(low, -(2 ** 31));
    high = Math.min(high, 2 ** 31 - 1);
  }
  const step = typeof schema.multipleOf === "number" && schema.multipleOf > 0 ? schema.multipleOf : integer ? 1 : 0;
  const within = (n: number) => Math.min(Math.max(n, low), high);
  const start = Number.isFinite(current) ? current : 0;
  for (const anchor of [within(start), (low + high) / 2, low + 1, high - 1, low, high, within(0)]) {
    if (!Number.isFinite(anchor)) continue;
    if (step === 0) yield anchor;
    else {
      yield Number((Math.ceil(anchor / step) * step).toPrecision(12));
      yield Number((Math.floor(anchor / step) * step).toPrecision(12));
    }
  }
}

/** A string cut to its `maxLength` or padded to its `minLength` (in code points, as ajv counts). */
function* lengthCandidates(schema: Schema, current: string): Generator<string> {
  const points = [...current];
  if (typeof schema.maxLength === "number" && points.length > schema.maxLength) {
    yield points.slice(0, schema.maxLength).join("");
  }
  if (typeof schema.minLength === "number" && points.length < schema.minLength) {
    yield current + "x".repeat(schema.minLength - points.length);
  }
}

/** The schema of an array's item at `index` (`prefixItems`, then `items`). */
function itemSchema(schema: Schema, index: number): Schema {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems[index] : undefined;
  if (isObject(prefix)) return prefix as Schema;
  return isObject(schema.items) ? (schema.items as Schema) : {};
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function rank(error: ErrorObject): number {
  return COMPOSITE.has(error.keyword) ? 0 : error.keyword === "type" ? 1 : 2;
}

function pathDepth(error: ErrorObject): number {
  return error.instancePath === "" ? 0 : error.instancePath.split("/").length - 1;
}

function within(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

function escapeToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

function pointerTokens(pointer: string): string[] {
  return pointer === ""
    ? []
    : pointer
        .split("/")
        .slice(1)
        .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function pointerOf(tokens: readonly string[]): string {
  return tokens.map((token) => `/${escapeToken(token)}`).join("");
}

function valueAt(root: unknown, tokens: readonly string[]): { value: unknown } | typeof MISSING {
  let node = root;
  for (const token of tokens) {
    if (Array.isArray(node) && /^\d+$/.test(token) && Number(token) < node.length) node = node[Number(token)];
    else if (isObject(node) && Object.hasOwn(node as Json, token)) node = (node as Json)[token];
    else return MISSING;
  }
  return { value: node };
}

/** `root` with `value` at `tokens` (in place below the root; the root itself replaced where `tokens` is empty). */
function setAt(root: unknown, tokens: readonly string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const parent = valueAt(root, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1] as string;
  if (parent === MISSING) return root;
  if (Array.isArray(parent.value)) parent.value[Number(last)] = value;
  else if (isObject(parent.value)) (parent.value as Json)[last] = value;
  return root;
}
