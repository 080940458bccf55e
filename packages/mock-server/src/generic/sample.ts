import { generateValue, hashSeed, SampleRepair } from "./sample-repair.js";
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
  /** Mends samples json-schema-faker gets wrong; made on the first one (most descriptions never need it). */
  #repair: SampleRepair | undefined;

  /** `accepts` checks a sample against its schema: one it rejects is generated again, another way, then mended. */
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
   * schema (descriptions' examples often drift), purely generated values; then required properties only; where
   * none matches (json-schema-faker misses a `minimum`, a `oneOf` two branches match, properties past its
   * depth), each of those mended where ajv's errors point (`SampleRepair`).
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
    const seed = hashSeed(this.#seed, salt);
    const rejected: unknown[] = [];
    for (const options of ATTEMPTS) {
      const made = generateValue(this.#schemas, schema, { seed, ...options });
      if (!made) continue;
      if (this.#accepts(schema, made.value)) return made.value;
      rejected.push(made.value);
    }
    this.#repair ??= new SampleRepair(this.#schemas);
    for (const value of rejected) {
      const mended = this.#repair.repair(schema, value, seed);
      if (this.#accepts(schema, mended)) return mended;
    }
    return rejected.at(-1);
  }
}

const ATTEMPTS = [
  { useExamplesValue: true, useDefaultValue: true },
  { useExamplesValue: false, useDefaultValue: false },
  { useExamplesValue: false, useDefaultValue: false, optionalsProbability: 0 },
] as const;
