import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const benchRequire = createRequire(join(import.meta.dirname, "package.json"));
const rootRequire = createRequire(join(import.meta.dirname, "..", "..", "package.json"));

/** The path of a package's bin script, from the bench's own install (or the root's, for our dependencies). */
export function binOf(pkg: string, bin: string, from: "bench" | "root" = "bench"): string {
  const require = from === "bench" ? benchRequire : rootRequire;
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = require(manifestPath) as { bin: string | Record<string, string> };
  const relative = typeof manifest.bin === "string" ? manifest.bin : manifest.bin[bin];
  if (!relative) throw new Error(`${pkg} has no bin named ${bin}`);
  return join(dirname(manifestPath), relative);
}

export function benchResolve(specifier: string): string {
  return benchRequire.resolve(specifier);
}

export function rootResolve(specifier: string): string {
  return rootRequire.resolve(specifier);
}

/** A package's installed version, read from its folder (some packages' export maps hide package.json). */
export function versionOf(pkg: string, from: "bench" | "root" = "bench"): string {
  const root = join(import.meta.dirname, "..", "..");
  // a workspace's dependency may stay in the workspace's own node_modules
  const bases =
    from === "bench"
      ? [import.meta.dirname]
      : [root, join(root, "packages", "sdk"), join(root, "packages", "mock-server")];
  for (const base of bases) {
    const manifest = join(base, "node_modules", pkg, "package.json");
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
  }
  return "unknown";
}
