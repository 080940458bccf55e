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

/**
 * Compares the wanted files with the disk. `ownedDirs` are directories only the generator writes:
 * any other file found in them is reported as unexpected (left over from a removed spec, or hand-made).
 */
export async function findDrift(files: readonly OutputFile[], ownedDirs: readonly string[]): Promise<Drift[]> {
  const drift: Drift[] = [];
  const wanted = new Set(files.map((file) => file.path));
  await Promise.all(
    files.map(async (file) => {
      const current = await readFile(file.path, "utf8").catch(() => undefined);
      if (current === undefined) drift.push({ path: file.path, problem: "missing" });
      else if (current !== file.content) drift.push({ path: file.path, problem: "stale" });
    }),
  );
  for (const dir of ownedDirs) {
    for (const path of await listFiles(dir)) {
      if (!wanted.has(path)) drift.push({ path, problem: "unexpected" });
    }
  }
  return drift.sort((a, b) => a.path.localeCompare(b.path));
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

export function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown.startsWith("..") ? path : shown;
}
