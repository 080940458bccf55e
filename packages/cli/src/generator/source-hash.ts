import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { shortHash } from "./header.js";

/** Written in as a constant by the package build, whose bundle does not ship these sources. */
declare const KEYSMITH_GENERATOR_SOURCE_HASH: string | undefined;

/**
 * The hash of the generator's own source files, part of every output's stamp: a generator change regenerates.
 * The published bundle carries it; run from the repository's sources (tests, `npm run generate`), it is computed
 * from this folder, so both give the same stamps for the same sources.
 */
export function generatorSourceHash(): Promise<string> {
  return typeof KEYSMITH_GENERATOR_SOURCE_HASH === "string"
    ? Promise.resolve(KEYSMITH_GENERATOR_SOURCE_HASH)
    : hashGeneratorSources(import.meta.dirname);
}

/**
 * The sources of `@keysmith/mock-server/paging` beside this package's (in the repository), which decide how each
 * generated list pages: part of the hash, so a change there regenerates too.
 */
const PAGING_SOURCES = ["list-paging.ts", "resources.ts", "schema-walk.ts"].map((name) =>
  join("..", "..", "..", "mock-server", "src", "generic", name),
);

/** The hash of every `.ts` file in `dir` and of the paging sources, by name and content, in a fixed order. */
export async function hashGeneratorSources(dir: string): Promise<string> {
  const names = [
    ...(await readdir(dir)).filter((name) => name.endsWith(".ts")).sort(),
    ...PAGING_SOURCES.filter((name) => existsSync(join(dir, name))),
  ];
  const parts = await Promise.all(names.map(async (name) => `${name}\0${await readFile(join(dir, name), "utf8")}`));
  return shortHash(...parts);
}
