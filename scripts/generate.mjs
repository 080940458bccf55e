#!/usr/bin/env node
// @ts-check
/**
 * `npm run generate`: the repository's `keysmith generate`, run from the CLI's sources (packages/cli/src) with
 * keysmith.config.json: every spec into packages/sdk and packages/mock-server.
 *
 *   npm run generate                  regenerate what changed
 *   npm run generate -- --check       exit 1, naming each stale, missing or unexpected file, without writing
 *   npm run generate -- --force       regenerate even what is up to date
 *   npm run generate -- --watch       regenerate on every change to a spec or the config
 *   npm run generate -- --spec <file> --name <name> --out <dir>   any description, as a standalone client
 *
 * It runs the sources as one esbuild bundle cached in node_modules/.cache/keysmith, rebuilt whenever a source
 * changes, so a run pays neither a TypeScript loader nor hundreds of module loads, and needs no `npm run build`.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const cliDir = join(import.meta.dirname, "..", "packages", "cli");
const sourceDir = join(cliDir, "src");
const cacheDir = join(import.meta.dirname, "..", "node_modules", ".cache", "keysmith");
const mockSourceDir = join(import.meta.dirname, "..", "packages", "mock-server", "src");

/** `@keysmith/mock-server/paging` from its sources (every other package stays external). */
const mockPagingFromSource = {
  name: "mock-paging-from-source",
  setup(/** @type {import("esbuild").PluginBuild} */ build) {
    build.onResolve({ filter: /^@keysmith\/mock-server\/paging$/ }, () => ({ path: join(mockSourceDir, "paging.ts") }));
  },
};

async function bundlePath() {
  const entries = [
    ...(await readdir(sourceDir, { recursive: true, withFileTypes: true })),
    // what the paging entry bundles from the mock's sources
    ...(await readdir(join(mockSourceDir, "generic"), { withFileTypes: true })),
  ];
  const files = [
    ...entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name)),
    join(mockSourceDir, "paging.ts"),
  ].sort();
  const hash = createHash("sha256");
  for (const file of [...files, join(cliDir, "keysmith.config.schema.json"), join(cliDir, "package.json")]) {
    hash.update(file.slice(cliDir.length)).update(await readFile(file));
  }
  const bundle = join(cacheDir, `cli-${hash.digest("hex").slice(0, 16)}`);
  if (!existsSync(bundle)) {
    const { build } = await import("esbuild");
    await mkdir(cacheDir, { recursive: true });
    const temporary = `${bundle}.${process.pid}.tmp`;
    const { version } = JSON.parse(await readFile(join(cliDir, "package.json"), "utf8"));
    await build({
      entryPoints: [join(sourceDir, "main.ts"), join(sourceDir, "compile-cache.ts"), join(sourceDir, "io.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      // the generator reads list paging the way the mock does, from its sources: a fresh clone has no dist yet
      plugins: [mockPagingFromSource],
      outdir: temporary,
      splitting: true,
      // the generator hashes its own sources for the stamps: they are here, not beside the bundle
      define: {
        "import.meta.dirname": JSON.stringify(join(sourceDir, "generator")),
        KEYSMITH_CLI_VERSION: JSON.stringify(version),
      },
      logLevel: "warning",
    });
    await rename(temporary, bundle);
  }
  return bundle;
}

const bundle = await bundlePath();
const load = (/** @type {string} */ name) => import(pathToFileURL(join(bundle, name)).href);
const { enableCompileCache } = await load("compile-cache.js");
enableCompileCache(join(cacheDir, "v8"), (/** @type {string} */ filename) =>
  filename.endsWith(join("typescript", "lib", "typescript.js")),
);
const { processIO } = await load("io.js");
const { runCli } = await load("main.js");
process.exit(await runCli(["generate", ...process.argv.slice(2)], processIO()));
