import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";

/** One file the generator produces, with its whole content. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

export interface Drift {
  readonly path: string;
  readonly problem: "missing" | "stale" | "unexpected";
}

/** The wanted files that are missing on disk or differ from it. */
export async function findStale(files: readonly OutputFile[]): Promise<Drift[]> {
  const drift: Drift[] = [];
  await Promise.all(
    files.map(async (file) => {
      const current = await readFile(file.path, "utf8").catch(() => undefined);
      if (current === undefined) drift.push({ path: file.path, problem: "missing" });
      else if (current !== file.content) drift.push({ path: file.path, problem: "stale" });
    }),
  );
  return drift;
}

/**
 * Files in directories only the generator writes that no target produces (left over from a removed spec,
 * or made by hand).
 */
export async function findUnexpected(ownedDirs: readonly string[], wanted: readonly string[]): Promise<Drift[]> {
  const wantedSet = new Set(wanted);
  const drift: Drift[] = [];
  for (const dir of ownedDirs) {
    for (const path of await listFiles(dir)) {
      if (!wantedSet.has(path)) drift.push({ path, problem: "unexpected" });
    }
  }
  return drift;
}

/** Writes the files that differ, each through a temporary file and a rename so no reader sees half a file. */
export async function writeOutputs(files: readonly OutputFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const current = await readFile(file.path, "utf8").catch(() => undefined);
    if (current === file.content) continue;
    await mkdir(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.content);
    await rename(temporary, file.path);
    written.push(file.path);
  }
  return written;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** A path as the user would type it from `cwd`, or absolute when it lies outside. */
export function displayPath(path: string, cwd: string): string {
  const shown = relative(cwd, path);
  return shown.startsWith("..") ? path : shown;
}
