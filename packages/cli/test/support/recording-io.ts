import type { CliIO, ProgressTerminal } from "../../src/io.js";

/** A CliIO that keeps every line, and lets a test wait for the line it expects instead of for time to pass. */
export interface RecordingIO {
  readonly io: CliIO;
  readonly lines: string[];
  /** All lines so far, as one text. */
  output(): string;
  /** Resolves with the first line from now on (or already seen after `since`) that matches. */
  waitFor(pattern: RegExp, since?: number): Promise<string>;
}

export function recordingIO(
  cwd: string,
  extra: { progress?: ProgressTerminal; signal?: AbortSignal } = {},
): RecordingIO {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; since: number; resolve: (line: string) => void }[] = [];
  const record = (line: string) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (lines.length > waiter.since && waiter.pattern.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  return {
    io: { log: record, error: record, cwd, progress: extra.progress, signal: extra.signal },
    lines,
    output: () => lines.join("\n"),
    waitFor(pattern, since = lines.length) {
      const seen = lines.slice(since).find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ pattern, since, resolve }));
    },
  };
}
