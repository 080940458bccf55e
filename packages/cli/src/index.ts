/**
 * `@keysmith/cli`'s importable part: types for a `keysmith.config.ts` or `.mjs`. The commands themselves are
 * the `keysmith` bin (`keysmith generate`, `keysmith mock`).
 */
import type { KeysmithConfig } from "./config-types.js";

export type { ApiConfig, KeysmithConfig } from "./config-types.js";

/** Returns `config` as given: it exists so an editor checks and completes a TypeScript config. */
export function defineConfig(config: KeysmithConfig): KeysmithConfig {
  return config;
}
