#!/usr/bin/env node
// @ts-check
/**
 * `npm run generate`: regenerates everything derived from the OpenAPI descriptions.
 *
 *   npm run generate                  every specs/*.openapi.yaml into packages/sdk and packages/mock-server
 *   npm run generate -- --check       exit 1, naming each stale, missing or unexpected file, without writing
 *   npm run generate -- --force       regenerate even what is up to date
 *   npm run generate -- --spec <file> --name <name> --out <dir> [--core-import <specifier>] [--check]
 *                                     any description, as a standalone typed client in <dir>
 *
 * The generator is TypeScript (scripts/generator/). This launcher runs it as one esbuild bundle cached in
 * node_modules/.cache/keysmith, rebuilt whenever a source changes, so a run pays neither a TypeScript loader
 * nor hundreds of module loads: a regeneration with nothing to do takes well under a tenth of a second.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { enableCompileCache } from "./compile-cache.mjs";

const generatorDir = join(import.meta.dirname, "generator");
const cacheDir = join(import.meta.dirname, "..", "node_modules", ".cache", "keysmith");

async function bundlePath() {
  const names = (await readdir(generatorDir)).filter((name) => name.endsWith(".ts")).sort();
  const hash = createHash("sha256");
  for (const name of names) hash.update(name).update(await readFile(join(generatorDir, name)));
  const bundle = join(cacheDir, `generator-${hash.digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(bundle)) {
    const { build } = await import("esbuild");
    await mkdir(cacheDir, { recursive: true });
    const temporary = `${bundle}.${process.pid}.tmp`;
    await build({
      entryPoints: [join(generatorDir, "cli.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      outfile: temporary,
      logLevel: "warning",
    });
    await rename(temporary, bundle);
  }
  return bundle;
}

process.env.KEYSMITH_GENERATOR_DIR = generatorDir;
enableCompileCache(join(cacheDir, "v8"), (filename) =>
  filename.endsWith(`${join("typescript", "lib", "typescript.js")}`),
);
try {
  const { runGenerator } = await import(pathToFileURL(await bundlePath()).href);
  process.exitCode = await runGenerator(process.argv.slice(2));
} catch (error) {
  console.error(`generate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}
