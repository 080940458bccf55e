import type { Options } from "tsup";

type Plugin = NonNullable<Options["plugins"]>[number];

/**
 * For a CommonJS build with `splitting` and `treeshake`: esbuild writes ESM chunks that rollup turns into
 * CommonJS, keeping a lazy `import("./chunk.cjs")` as it is. Jest's CommonJS mode cannot run `import()` without
 * --experimental-vm-modules, so this plugin (which runs before rollup) makes it a lazy `require()`.
 */
export const lazyRequire: Plugin = {
  name: "cjs-lazy-require",
  renderChunk(code) {
    if (this.format !== "cjs") return;
    return {
      code: code.replace(/\bimport\((["']\.\/[\w.-]+\.cjs["'])\)/g, "Promise.resolve().then(() => require($1))"),
    };
  },
};
