import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";
import { hashGeneratorSources } from "./src/generator/source-hash.js";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

export default defineConfig(async () => [
  // defineConfig and the config types, for keysmith.config.ts / .mjs in ESM and CommonJS projects alike; and
  // loadMockSpec (`/describe`), the generator's reading of a description for the mock, in both too (shims give
  // the CommonJS build the `import.meta.url` it resolves its libraries from)
  {
    entry: { index: "src/index.ts", describe: "src/describe.ts" },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    target: "es2022",
    platform: "node",
    shims: true,
  },
  // the bin: one ES module (it uses top-level await); its dependencies stay packages of their own. The generator's
  // sources are not shipped, so the hash that stamps generated files is written in, with the version.
  {
    entry: { bin: "src/bin.ts" },
    format: ["esm"],
    sourcemap: true,
    target: "node20",
    platform: "node",
    define: {
      KEYSMITH_GENERATOR_SOURCE_HASH: JSON.stringify(await hashGeneratorSources("src/generator")),
      KEYSMITH_CLI_VERSION: JSON.stringify(version),
    },
  },
]);
