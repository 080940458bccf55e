import { runCli } from "../../packages/cli/src/main.js";
import { repoRoot } from "./packed-project.js";

/** Where the generator's report goes: tests collect the lines. */
export interface GeneratorOutput {
  log(line: string): void;
  error(line: string): void;
}

/**
 * `keysmith generate <args>` in-process, from the CLI's sources, as `npm run generate -- <args>` runs it: from
 * the repository's root unless told otherwise. Resolves with the exit code.
 */
export function runGenerator(args: readonly string[], out: GeneratorOutput, cwd = repoRoot): Promise<number> {
  return runCli(["generate", ...args], { log: (line) => out.log(line), error: (line) => out.error(line), cwd });
}
