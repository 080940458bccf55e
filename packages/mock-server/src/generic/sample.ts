import { generateSync } from "json-schema-faker";
import type { Schema } from "./schema-walk.js";

/**
 * Values generated from a description's schemas by json-schema-faker, deterministic per seed and salt: the same
 * mock answers the same request the same way, run after run. `components.schemas` rides along so that `$ref`s
 * resolve. A schema it cannot sample gives undefined.
 */
export class SchemaSampler {
  readonly #schemas: Readonly<Record<string, unknown>>;
  readonly #seed: number;
  readonly #accepts: (schema: Schema, value: unknown) => boolean;
  /** Samples already made, by schema and salt: the same pair always gives the same value, so it is made once. */
  readonly #made = new WeakMap<Schema, Map<string, unknown>>();

  /** `accepts` checks a sample against its schema: one it rejects is generated again, another way. */
  constructor(
    schemas: Readonly<Record<string, unknown>>,
    seed: number,
    accepts: (schema: Schema, value: unknown) => boolean,
  ) {
    this.#schemas = schemas;
    this.#seed = seed;
    this.#accepts = accepts;
  }

  /** True when `value` matches `schema`. */
  accepts(schema: Schema, value: unknown): boolean {
    return this.#accepts(schema, value);
  }

  /**
   * A value of `schema`: the description's examples and defaults first; where those do not match their own
   * schema (descriptions' examples often drift), purely generated values; then required properties only.
   */
  sample(schema: Schema | undefined, salt: string): unknown {
    if (!schema) return undefined;
    let made = this.#made.get(schema);
    if (!made) {
      made = new Map();
      this.#made.set(schema, made);
    }
    if (!made.has(salt)) made.set(salt, this.#generate(schema, salt));
    // a copy: callers fill in and change what they get
    return structuredClone(made.get(salt));
  }

  #generate(schema: Schema, salt: string): unknown {
    const root = { ...schema, components: { schemas: this.#schemas } };
    const seed = hashSeed(this.#seed, salt);
    let last: unknown;
    for (const options of ATTEMPTS) {
      try {
        last = generateSync(root, { seed, maxDefaultItems: 2, ...options });
      } catch {
        continue;
      }
      if (this.#accepts(schema, last)) return last;
    }
    return last;
  }
}

const ATTEMPTS = [
  { useExamplesValue: true, useDefaultValue: true },
  { useExamplesValue: false, useDefaultValue: false },
  { useExamplesValue: false, useDefaultValue: false, optionalsProbability: 0 },
] as const;

/** A 31-bit seed from a number and a string (FNV-1a). */
function hashSeed(seed: number, salt: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let index = 0; index < salt.length; index++) {
    hash ^= salt.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 0x7fffffff || 1;
}
