import type { LoadedSpec } from "./load-spec.js";

/**
 * openapi-typescript pulls in the TypeScript compiler (about 0.6 s to load), so it is imported once, on first
 * need, and `preloadTypeGenerator()` lets the CLI start that import while it reads and checks the specs.
 */
let loading: Promise<typeof import("openapi-typescript")> | undefined;
export function preloadTypeGenerator(): Promise<typeof import("openapi-typescript")> {
  loading ??= import("openapi-typescript");
  return loading;
}

/** `types.ts`: openapi-typescript's `paths`, `components` and `operations` for the description. */
export async function emitTypes(spec: LoadedSpec): Promise<string> {
  const { default: openapiTS, astToString } = await preloadTypeGenerator();
  // The source text, not the parsed object: given an object, openapi-typescript serialises it again.
  const ast = await openapiTS(spec.text, { silent: true });
  return `\n${astToString(ast)}`;
}
