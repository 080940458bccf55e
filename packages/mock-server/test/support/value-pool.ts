import { isObject } from "./openapi-spec.js";

const PER_NAME = 40;

/**
 * Scalar values seen in the mock's answers, by member name (`license_key`, `slug`…), with ids also filed
 * under the resource they came from (`workspace_id` for an `_id` in an answer of `/workspaces/`): the values
 * a generated request can name so that it reaches an existing resource instead of always "not found".
 * Filled in a fixed order from fixed seed data, so picks are reproducible.
 */
export class ValuePool {
  readonly #byName: Map<string, unknown[]>;

  constructor(entries: Iterable<[string, unknown[]]> = []) {
    this.#byName = new Map([...entries].map(([name, values]) => [name, [...values]]));
  }

  copy(): ValuePool {
    return new ValuePool(this.#byName);
  }

  /** Records the string and number members of a JSON answer of an operation on `resources` (see `resourcesOf`). */
  harvest(value: unknown, resources: readonly string[], depth = 0): void {
    if (depth > 6) return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 50)) this.harvest(item, resources, depth + 1);
      return;
    }
    if (!isObject(value)) return;
    for (const [name, member] of Object.entries(value)) {
      if (typeof member === "string" || typeof member === "number") {
        this.#add(name, member);
        if (name === "id" || name === "_id") for (const resource of resources) this.#add(`${resource}_id`, member);
      } else {
        this.harvest(member, resources, depth + 1);
      }
    }
  }

  /** The values `accepts` takes from the first group of names that has any (exact names before generic ones). */
  candidates(groups: readonly (readonly string[])[], accepts: (value: unknown) => boolean): unknown[] {
    for (const names of groups) {
      const out: unknown[] = [];
      for (const name of names) {
        for (const value of this.#byName.get(name) ?? []) if (!out.includes(value) && accepts(value)) out.push(value);
      }
      if (out.length > 0) return out;
    }
    return [];
  }

  #add(name: string, value: string | number): void {
    const values = this.#byName.get(name) ?? [];
    if (!values.includes(value) && values.length < PER_NAME) values.push(value);
    this.#byName.set(name, values);
  }
}

/** Where a path parameter's value may be found: `eventId` → [eventId, event_id], then [id, _id]. */
export function namesFor(parameter: string): string[][] {
  const snake = parameter.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  const groups = [[...new Set([parameter, snake])]];
  if (/(_id|Id)$/.test(parameter)) groups.push(["id", "_id"]);
  return groups;
}

/**
 * The resource an answer is about: the path's last literal segment, singular and snake_cased
 * (`/workspaces/{w}/jobs/` and `/workspaces/{w}/jobs/{job_id}/` → job; `/get-all-generators` → generator).
 */
export function resourcesOf(path: string): string[] {
  const literal = path
    .split("/")
    .filter((segment) => segment !== "" && !segment.includes("{") && !/^(v\d+|api)$/.test(segment))
    .at(-1);
  if (literal === undefined) return [];
  return [
    literal
      .replace(/^(get|list|create|update|delete)-(all-)?/, "") // RPC-style paths: /get-all-generators
      .replaceAll("-", "_")
      .replace(/ies$/, "y")
      .replace(/([^s])s$/, "$1"),
  ];
}
