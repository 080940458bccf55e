import { defineConfig } from "tsup";

const entry = { index: "src/index.ts", core: "src/core/index.ts" };

export default defineConfig([
  // ESM: dependencies stay external, so apps share one copy of ky and openapi-fetch.
  { entry, format: ["esm"], dts: true, sourcemap: true, clean: true, target: "es2022", treeshake: true },
  // CJS: ky and openapi-fetch are ESM-only in spirit (their CJS interop breaks as an external
  // `import_x.default`), so the CommonJS build carries its own copy.
  { entry, format: ["cjs"], dts: true, sourcemap: true, target: "es2022", noExternal: ["ky", "openapi-fetch"] },
]);
