import type { CliIO } from "./io.js";

export interface ProgressReporter {
  /** One more target finished. */
  done(name: string): void;
  /** Clears the line, so what follows prints on a clean one. */
  end(): void;
}

/**
 * A one-line count of finished descriptions, redrawn in place on a terminal; nothing at all in CI, in a pipe,
 * with --quiet, or for a single description (whose run has nothing to count).
 */
export function progressReporter(io: CliIO, total: number, quiet: boolean): ProgressReporter {
  const terminal = io.progress;
  if (!terminal || quiet || total < 2) return { done() {}, end() {} };
  let finished = 0;
  let drawn = false;
  const draw = (text: string) => {
    const width = Math.max(20, (terminal.columns ?? 80) - 1);
    terminal.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    drawn = true;
  };
  draw(`keysmith generate: 0/${total} descriptions…`);
  return {
    done(name) {
      finished += 1;
      draw(`keysmith generate: ${finished}/${total} descriptions (${name} done)…`);
    },
    end() {
      if (drawn) terminal.write("\r\x1b[2K");
      drawn = false;
    },
  };
}
