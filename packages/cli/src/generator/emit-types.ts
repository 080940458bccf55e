import { createRequire } from "node:module";
import type { LoadedSpec } from "./load-spec.js";

/**
 * openapi-typescript pulls in the TypeScript compiler, a 9 MB CommonJS file. Loaded with `require` (its
 * CommonJS build; Node 20.19+ can require its ES-module dependencies), Node skips the ES-module loader's
 * scan of that file for named exports, a fifth of a second. It is loaded on first need only, so a
 * regeneration with nothing to do never pays for it.
 */
type TypeGenerator = typeof import("openapi-typescript");
let loaded: TypeGenerator | undefined;
export function typeGenerator(): TypeGenerator {
  loaded ??= createRequire(import.meta.url)("openapi-typescript") as TypeGenerator;
  return loaded;
}

/** `types.ts`: openapi-typescript's `paths`, `components` and `operations` for the description. */
export async function emitTypes(spec: LoadedSpec): Promise<string> {
  const { default: openapiTS, astToString } = typeGenerator();
  // The source text, not the parsed object: given an object, openapi-typescript serialises it again.
  const ast = await openapiTS(spec.text, { silent: true });
  return `\n${astToString(ast)}`;
}
