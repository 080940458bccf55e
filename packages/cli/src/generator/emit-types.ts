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
  // JSON text: openapi-typescript (through Redocly) would parse YAML a second time, slower than JSON.parse;
  // given the object itself, it would serialise it anyway and could change it in place while bundling
  const json = spec.text.trimStart().startsWith("{") ? spec.text : JSON.stringify(spec.document);
  const ast = await openapiTS(json, { silent: true });
  return `\n${astToString(ast)}`;
}
