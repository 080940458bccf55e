import { resolve } from "node:path";

/**
 * Where the generator's sources are, and so the repository. `scripts/generate.mjs` runs a bundled copy
 * from a cache directory and says where the sources are through `KEYSMITH_GENERATOR_DIR`.
 */
export const GENERATOR_DIR = process.env.KEYSMITH_GENERATOR_DIR ?? import.meta.dirname;
export const REPO_ROOT = resolve(GENERATOR_DIR, "..", "..");
