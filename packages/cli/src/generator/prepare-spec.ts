import { createRequire } from "node:module";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { pointerOf, resolvePointer } from "./json-pointer.js";
import type { LoadedSpec } from "./load-spec.js";
import { camelCase } from "./naming.js";
import { isObject, type Json, listOperations } from "./openapi-shapes.js";
import { SpecError } from "./spec-error.js";

/** A description made ready for the generator, and what was changed on the way, to tell the user. */
export interface PreparedSpec {
  readonly spec: LoadedSpec;
  readonly warnings: readonly string[];
}

const require = createRequire(import.meta.url);

/**
 * Takes a description as users bring it: Swagger 2.0 is converted to OpenAPI 3 (swagger2openapi), one split
 * across files is bundled into one (@redocly/openapi-core), operations without an operationId get one from
 * their method and path, repeated operationIds are made unique, and discriminator mappings that point nowhere
 * are dropped. Each change is a warning; a description that needs none comes back as it was, untouched.
 * Libraries load only when needed, so a regeneration of an ordinary description pays nothing for them.
 */
export async function prepareSpec(spec: LoadedSpec, path: string): Promise<PreparedSpec> {
  const warnings: string[] = [];
  let document = spec.document;
  let changed = false;

  if (hasExternalRefs(document)) {
    document = await bundle(spec, path);
    changed = true;
    warnings.push("bundled the $refs to other files into one description");
  }
  if (typeof document.swagger === "string") {
    document = await convertSwagger2(spec, document);
    changed = true;
    warnings.push(`converted Swagger ${String(spec.document.swagger)} to OpenAPI 3.0 (swagger2openapi)`);
  }
  const copy = (): Json => {
    if (!changed) {
      document = structuredClone(document);
      changed = true;
    }
    return document;
  };
  nameOperations(document, copy, warnings);
  dropDanglingMappings(document, copy, warnings);
  hoistPathSchemas(document, copy, warnings);

  if (!changed) return { spec, warnings };
  const text = JSON.stringify(document);
  return { spec: { file: spec.file, text, document, lineOf: () => undefined }, warnings };
}

function hasExternalRefs(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasExternalRefs);
  if (!isObject(node)) return false;
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string" && !value.startsWith("#")) return true;
    if (
      key !== "example" &&
      key !== "examples" &&
      value !== null &&
      typeof value === "object" &&
      hasExternalRefs(value)
    )
      return true;
  }
  return false;
}

async function bundle(spec: LoadedSpec, path: string): Promise<Json> {
  const redocly = require("@redocly/openapi-core") as typeof import("@redocly/openapi-core");
  const config = await redocly.createConfig({});
  let result: Awaited<ReturnType<typeof redocly.bundle>>;
  try {
    result = await redocly.bundle({ ref: isAbsolute(path) ? path : pathToFileURL(path).href, config });
  } catch (error) {
    throw new SpecError(spec.file, "#", `cannot bundle its other files: ${(error as Error).message}`);
  }
  const missing = result.problems.find((problem) => problem.severity === "error");
  if (missing) {
    const where = missing.location[0]?.pointer ?? "#";
    throw new SpecError(spec.file, where, `cannot bundle its other files: ${missing.message}`);
  }
  const parsed = result.bundle.parsed as unknown;
  if (!isObject(parsed)) throw new SpecError(spec.file, "#", "bundling gave no description");
  return parsed;
}

async function convertSwagger2(spec: LoadedSpec, document: Json): Promise<Json> {
  if (document.swagger !== "2.0") {
    throw new SpecError(
      spec.file,
      "#/swagger",
      `Swagger ${String(document.swagger)} is not supported; only 2.0 converts`,
    );
  }
  const converter = require("swagger2openapi") as {
    convertObj(document: Json, options: Json): Promise<{ openapi: Json }>;
  };
  try {
    return (await converter.convertObj(structuredClone(document), { patch: true, warnOnly: true, resolve: false }))
      .openapi;
  } catch (error) {
    // one line: what the converter could not do, where it says
    const message = ((error as Error).message ?? String(error)).split("\n")[0];
    throw new SpecError(spec.file, "#", `this Swagger 2.0 description does not convert to OpenAPI 3: ${message}`);
  }
}

/**
 * An operationId for every operation: `GET /things/{id}` without one becomes `getThingsById`; a repeated one
 * gets a numbered suffix. Deterministic: the same description always gives the same names.
 */
function nameOperations(document: Json, copy: () => Json, warnings: string[]): void {
  const sites = listOperations(document);
  const taken = new Set(
    sites.flatMap(({ operation }) => (typeof operation.operationId === "string" ? [operation.operationId] : [])),
  );
  const seen = new Set<string>();
  const renames: { pointer: (string | number)[]; id: string; why: string }[] = [];
  for (const site of sites) {
    const id = site.operation.operationId;
    // openapi-typescript writes `#` in an operationId as `/`, so the types and the client would disagree
    const usable = typeof id === "string" && id.trim() !== "" && !id.includes("#");
    if (usable && !seen.has(id)) {
      seen.add(id);
      continue;
    }
    const base =
      typeof id === "string" && id.trim() !== "" ? id.replaceAll("#", "_") : fromMethodAndPath(site.method, site.path);
    let name = base;
    for (let n = 2; seen.has(name) || (taken.has(name) && name !== id); n++) name = `${base}_${n}`;
    seen.add(name);
    renames.push({
      pointer: site.pointer,
      id: name,
      why:
        typeof id !== "string" || id.trim() === ""
          ? `${site.method.toUpperCase()} ${site.path} has no operationId; named it "${name}"`
          : id.includes("#") && !seen.has(id)
            ? `operationId "${id}" holds a "#"; it is "${name}"`
            : `operationId "${id}" is used twice; ${site.method.toUpperCase()} ${site.path} is now "${name}"`,
    });
  }
  if (renames.length === 0) return;
  const target = copy();
  for (const rename of renames) {
    const operation = resolvePointer(target, pointerOf(rename.pointer));
    if (isObject(operation)) operation.operationId = rename.id;
    warnings.push(rename.why);
  }
}

function fromMethodAndPath(method: string, path: string): string {
  const words = path
    .split("#")[0]
    ?.split("/")
    .filter(Boolean)
    .map((segment) => (/^\{.+\}$/.test(segment) ? `by ${segment.slice(1, -1)}` : segment))
    .join(" ");
  return camelCase(`${method} ${words || "root"}`);
}

/** A `discriminator.mapping` entry into another file or to nothing cannot be typed: dropped, with a warning. */
function dropDanglingMappings(document: Json, copy: () => Json, warnings: string[]): void {
  const dangling: { path: string[]; key: string; target: string }[] = [];
  // one path, extended and shortened as the walk goes: copied only where a dangling mapping is found
  const path: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        path.push(String(index));
        walk(node[index]);
        path.pop();
      }
    } else if (isObject(node)) {
      const mapping = isObject(node.discriminator) ? node.discriminator.mapping : undefined;
      if (isObject(mapping)) {
        for (const [key, target] of Object.entries(mapping)) {
          if (typeof target !== "string") continue;
          const local = target.startsWith("#")
            ? resolvePointer(document, target) !== undefined
            : /^[A-Za-z0-9_.-]+$/.test(target);
          if (!local) dangling.push({ path: [...path, "discriminator", "mapping"], key, target });
        }
      }
      for (const key in node) {
        const value = node[key];
        if (key !== "example" && key !== "examples" && value !== null && typeof value === "object") {
          path.push(key);
          walk(value);
          path.pop();
        }
      }
    }
  };
  walk(document);
  if (dangling.length === 0) return;
  const target = copy();
  for (const entry of dangling) {
    let node: unknown = target;
    for (const token of entry.path) node = isObject(node) || Array.isArray(node) ? (node as Json)[token] : undefined;
    if (isObject(node)) delete node[entry.key];
    warnings.push(
      `${pointerOf(entry.path)}: dropped the mapping "${entry.key}" → "${entry.target}", which points outside this description`,
    );
  }
}

/** Which `components` section a `#/paths/…` pointer's target belongs in, by the shape of the pointer. */
function sectionOf(ref: string): string | undefined {
  if (!ref.startsWith("#/paths/")) return undefined;
  if (/\/schema(\/|$)/.test(ref)) return "schemas";
  if (/\/parameters\/\d+$/.test(ref)) return "parameters";
  if (/\/responses\/[^/]+$/.test(ref)) return "responses";
  if (/\/requestBody$/.test(ref)) return "requestBodies";
  return undefined;
}

/**
 * `$ref`s into `#/paths/…` (a schema, parameter or response defined inline in one operation and reused by
 * others, as DigitalOcean's description does thousands of times) become references into `components`, where
 * openapi-typescript can name them: through `paths` it writes indexed types that break (`["query"]["page"]`
 * on an optional object) or refer to themselves.
 */
function hoistPathSchemas(document: Json, copy: () => Json, warnings: string[]): void {
  const targets = new Set<string>();
  const collect = (node: unknown) => {
    if (Array.isArray(node)) for (const item of node) collect(item);
    else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === "$ref" && typeof value === "string" && sectionOf(value)) targets.add(value);
        else if (value !== null && typeof value === "object") collect(value);
      }
    }
  };
  collect(document);
  if (targets.size === 0) return;
  const target = copy();
  if (!isObject(target.components)) target.components = {};
  const components = target.components as Json;
  const names = new Map<string, string>();
  for (const ref of [...targets].sort()) {
    const section = sectionOf(ref) ?? "schemas";
    if (!isObject(components[section])) components[section] = {};
    const entries = components[section] as Json;
    const base = camelCase(
      decodeURIComponent(ref.replace(/^#\/paths\//, ""))
        .replaceAll("~1", " ")
        .replaceAll("~0", " "),
    ).replace(/^_/, "");
    const stem = `Path${base.charAt(0).toUpperCase()}${base.slice(1)}`;
    let name = stem;
    for (
      let n = 2;
      Object.hasOwn(entries, name) || [...names.values()].includes(`#/components/${section}/${name}`);
      n++
    ) {
      name = `${stem}${n}`;
    }
    names.set(ref, `#/components/${section}/${name}`);
  }
  const definitions = new Map([...names.keys()].map((ref) => [ref, resolvePointer(target, ref)]));
  for (const [ref, to] of names) {
    const definition = definitions.get(ref);
    const [, , section = "schemas", name = ""] = to.split("/");
    if (definition !== undefined) ((components[section] ?? {}) as Json)[name] = structuredClone(definition);
  }
  const rewrite = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) rewrite(item);
    else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === "$ref" && typeof value === "string" && names.has(value)) node.$ref = names.get(value);
        else if (value !== null && typeof value === "object") rewrite(value);
      }
    }
  };
  rewrite(target);
  warnings.push(
    `moved ${names.size} definition(s) referenced inside paths/ to components, where their types can be named`,
  );
}
