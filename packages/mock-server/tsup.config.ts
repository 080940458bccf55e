import { defineConfig } from "tsup";
import { lazyRequire } from "../../scripts/build/tsup-cjs-lazy-require.js";

// index (Node: adds the standalone server), browser (no Node import) and mock-cli (the command line, run by
// `keysmith mock`) share one copy of every class: ESM splits by default, CommonJS through rollup (`treeshake`)
// with the same lazy-require fix as the SDK's.
const entry = {
  index: "src/index.ts",
  browser: "src/browser.ts",
  "mock-cli": "src/mock-cli.ts",
  paging: "src/paging.ts",
};

export default defineConfig([
  { entry, format: ["esm"], dts: true, sourcemap: true, clean: true, target: "es2022", treeshake: true },
  {
    entry,
    format: ["cjs"],
    dts: true,
    sourcemap: true,
    target: "es2022",
    splitting: true,
    treeshake: true,
    // ES modules only: bundled into the CommonJS build, so require() finds it
    noExternal: ["json-schema-faker"],
    plugins: [lazyRequire],
  },
  // the CLI uses top-level await: ESM only
  { entry: { cli: "src/cli.ts" }, format: ["esm"], sourcemap: true, target: "es2022" },
]);
