import { type FSWatcher, watch } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import type { CliIO } from "./io.js";

/**
 * One run of the watched work: gets the files that changed since the last run (none the first time) and
 * resolves with the files to watch from now on (a config change can add or drop descriptions).
 */
export type WatchedRun = (changed: readonly string[]) => Promise<readonly string[]>;

export interface WatchOptions {
  /** Quiet time after the last change before a run: editors save in bursts. */
  readonly debounceMs?: number;
}

/** Files beside a watched input that a description may pull in through `$ref`. */
const DESCRIPTION_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/**
 * Runs `run` once, then again after changes to its inputs, one run at a time, until `io.signal` aborts or the
 * process gets SIGINT or SIGTERM. Folders are watched rather than files, so a save by rename (as most editors do)
 * is seen, and a file that is deleted and written again is picked up. Resolves with 0 when stopped, or 2 when
 * there is nothing to watch.
 */
export async function watchInputs(run: WatchedRun, io: CliIO, options: WatchOptions = {}): Promise<number> {
  const debounceMs = options.debounceMs ?? 150;
  const watchers = new Map<string, FSWatcher>();
  let inputs = new Set(await run([]));
  if (inputs.size === 0) {
    io.error("keysmith generate --watch: nothing to watch (no config file or description could be read)");
    return 2;
  }

  return new Promise<number>((resolveStopped) => {
    const pending = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    let stopped = false;

    const relevant = (file: string) =>
      inputs.has(file) || (DESCRIPTION_EXTENSIONS.has(extname(file).toLowerCase()) && !basename(file).startsWith("."));

    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(runPending, debounceMs);
    };

    const runPending = () => {
      if (stopped || pending.size === 0) return;
      if (running) return; // the run in progress schedules the next when it ends
      const changed = [...pending];
      pending.clear();
      running = run(changed)
        .then(
          (next) => {
            if (next.length > 0) inputs = new Set(next);
            follow();
          },
          (error: unknown) => io.error(`keysmith generate: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => {
          running = undefined;
          if (pending.size > 0) schedule();
        });
    };

    /** Watches every folder holding an input, and stops watching folders that hold none any more. */
    const follow = () => {
      const folders = new Set([...inputs].map((file) => dirname(file)));
      for (const [folder, watcher] of watchers) {
        if (!folders.has(folder)) {
          watcher.close();
          watchers.delete(folder);
        }
      }
      for (const folder of folders) {
        if (watchers.has(folder)) continue;
        try {
          const watcher = watch(folder, (_event, name) => {
            const file = name === null ? undefined : join(folder, name.toString());
            if (file === undefined || !relevant(file)) return;
            pending.add(file);
            schedule();
          });
          watcher.on("error", (error) => {
            io.error(`keysmith generate --watch: stopped watching ${folder}: ${error.message}`);
            watcher.close();
            watchers.delete(folder);
          });
          watchers.set(folder, watcher);
        } catch (error) {
          io.error(`keysmith generate --watch: cannot watch ${folder}: ${(error as Error).message}`);
        }
      }
    };

    const stop = () => {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
      for (const name of STOP_SIGNALS) process.off(name, stop);
      io.signal?.removeEventListener("abort", stop);
      void Promise.resolve(running).then(() => resolveStopped(0));
    };

    follow();
    for (const name of STOP_SIGNALS) process.on(name, stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener("abort", stop, { once: true });
    if (!stopped) {
      io.log(`keysmith generate: watching ${inputs.size} file(s) for changes (Ctrl-C to stop)`);
    }
  });
}

const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;
