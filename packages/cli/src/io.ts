/**
 * Where a command reads its surroundings and writes its report. The bin passes the process's; tests pass
 * collectors, a folder, a fake terminal and a signal.
 */
export interface CliIO {
  log(line: string): void;
  error(line: string): void;
  /** The folder relative paths are read from and shown relative to. */
  readonly cwd: string;
  /** A terminal to draw progress on (stderr when it is one and not in CI); absent: no progress. */
  readonly progress?: ProgressTerminal | undefined;
  /** Ends a long-running command (`--watch`, `mock`) as Ctrl-C would. */
  readonly signal?: AbortSignal | undefined;
}

/** The part of a TTY stream progress needs. */
export interface ProgressTerminal {
  write(text: string): unknown;
  readonly columns?: number | undefined;
}

/** The process's own: stdout, stderr, the working directory, and progress on stderr when a person watches it. */
export function processIO(): CliIO {
  const interactive = process.stderr.isTTY === true && !process.env.CI && process.env.TERM !== "dumb";
  return {
    log: (line) => console.log(line),
    error: (line) => console.error(line),
    cwd: process.cwd(),
    progress: interactive ? process.stderr : undefined,
  };
}
