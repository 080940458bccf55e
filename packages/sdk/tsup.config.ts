import { defineConfig } from "tsup";
import { lazyRequire } from "../../scripts/build/tsup-cjs-lazy-require.js";

const entry = { index: "src/index.ts", core: "src/core/index.ts" };
/** On servers (`node` condition), the same modules, with the code only some calls need loaded up front. */
const serverEntry = { node: "src/node.ts", "core-node": "src/core/node.ts" };

export default defineConfig([
  // ESM: dependencies stay external, so apps share one copy of ky and openapi-fetch. The server entries are in
  // the same build, so that they share its chunks (one copy of every class).
  {
    entry: { ...entry, ...serverEntry },
    format: ["esm"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    treeshake: true,
  },
  // CJS: ky and openapi-fetch are bundled (their CJS interop breaks as an external `import_x.default`), and
  // split into shared chunks, so that `require("@keysmith/sdk")` and `require("@keysmith/sdk/core")` share one
  // copy of every class (`instanceof` holds across them).
  {
    entry,
    format: ["cjs"],
    dts: true,
    sourcemap: true,
    target: "es2022",
    noExternal: ["ky", "openapi-fetch"],
    splitting: true,
    treeshake: true,
    plugins: [lazyRequire],
  },
]);
