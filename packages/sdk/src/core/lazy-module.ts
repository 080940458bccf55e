import type { CallScope } from "./call-scope.js";
import { ConnectionError } from "./errors/ConnectionError.js";
import { TimeoutError } from "./errors/TimeoutError.js";
import { describeError } from "./response-body.js";

/** Waits for the module, bounded; see `lazyModule`. */
export interface LazyModule<T> {
  (timeout: number, scope?: CallScope): Promise<T>;
  /** Starts loading now, for a use that waits for it later (a failed preload is loaded again by that use). */
  preload(): void;
}

/**
 * Code only some uses need, loaded on its first use (a dynamic `import()`, its own chunk in a bundle), once:
 * a failed load (a `ConnectionError`) is tried again by the next use. Every wait for it is bounded: by the
 * call's `scope` (its signal and deadline) and `timeout` when a call is waiting, else by `timeout` alone. A
 * chunk that never arrives fails the use with a `TimeoutError` naming `what`, never a hang.
 */
export function lazyModule<T>(load: () => Promise<T>, what: string): LazyModule<T> {
  let loaded: T | undefined;
  let loading: Promise<T> | undefined;
  const start = (): Promise<T> => {
    if (!loading) {
      loading = load().then(
        (module) => {
          loaded = module;
          return module;
        },
        (error: unknown) => {
          loading = undefined;
          // a chunk the network lost, a broken install: typed, like every other failure of a call
          throw new ConnectionError(`loading ${what} failed: ${describeError(error)}`, { cause: error });
        },
      );
      // a preload nobody waits for yet must not count as an unhandled rejection
      loading.catch(() => undefined);
    }
    return loading;
  };
  const wait = (timeout: number, scope?: CallScope): Promise<T> => {
    if (loaded) return Promise.resolve(loaded);
    const pending = start();
    if (scope) return scope.bound(pending, timeout, `loading ${what}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`loading ${what} took longer than ${timeout} ms`)), timeout);
    });
    return Promise.race([pending, late]).finally(() => clearTimeout(timer));
  };
  return Object.assign(wait, { preload: () => void start() });
}
