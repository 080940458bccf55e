import { TimeoutError } from "./errors/TimeoutError.js";

/**
 * Code only some uses need, loaded on its first use (a dynamic `import()`, its own chunk in a bundle), once:
 * a failed load is tried again by the next use. Every wait for it is bounded by the `timeout` given, so a
 * chunk that never arrives fails the use with a `TimeoutError` naming `what`, never a hang.
 */
export function lazyModule<T>(load: () => Promise<T>, what: string): (timeout: number) => Promise<T> {
  let loaded: T | undefined;
  let loading: Promise<T> | undefined;
  return (timeout) => {
    if (loaded) return Promise.resolve(loaded);
    loading ??= load().then(
      (module) => {
        loaded = module;
        return module;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`loading ${what} took longer than ${timeout} ms`)), timeout);
    });
    return Promise.race([loading, late]).finally(() => clearTimeout(timer));
  };
}
