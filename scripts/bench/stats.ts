import { spawn } from "node:child_process";

/** A figure over several runs: median, min and max, in one unit. */
export interface Measure {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly runs: number;
}

export function summarize(samples: readonly number[], unit: string): Measure {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0, unit, runs: sorted.length };
}

export interface Settings {
  readonly runs: number;
  readonly warmup: number;
  readonly root: string;
  readonly scratch: string;
  log(line: string): void;
}

/**
 * Runs several contenders in turn, round after round (A B C, A B C…), so the machine's noise spreads over
 * all of them instead of favouring whoever ran during a quiet moment.
 */
export async function interleave<K extends string>(
  settings: Settings,
  contenders: Readonly<Record<K, () => Promise<number>>>,
  runs = settings.runs,
): Promise<Record<K, number[]>> {
  const names = Object.keys(contenders) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = -settings.warmup; round < runs; round++) {
    for (const name of names) {
      const value = await contenders[name]();
      if (round >= 0) samples[name].push(value);
    }
  }
  return samples;
}

export interface CommandResult {
  readonly seconds: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion and times it; a non-zero exit is an error that shows its output. */
export function timeCommand(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code === 0) resolve({ seconds, stdout, stderr });
      else
        reject(
          new Error(`${command} ${args.join(" ")} exited ${code}:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`),
        );
    });
  });
}
