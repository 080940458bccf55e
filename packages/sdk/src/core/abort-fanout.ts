/**
 * One `abort` listener per signal, however many calls share it: a signal passed to many concurrent calls
 * would otherwise collect a listener per call (and Node warns past ten). Each call registers a callback
 * here; the signal's single listener runs them all, and is removed when the last call unregisters.
 */
interface Watch {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

const watches = new WeakMap<AbortSignal, Watch>();

/** Runs `callback` once when `signal` aborts; the returned function unregisters it. */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let watch = watches.get(signal);
  if (!watch) {
    const callbacks = new Set<() => void>();
    const listener = () => {
      watches.delete(signal);
      for (const run of [...callbacks]) run();
    };
    watch = { callbacks, listener };
    watches.set(signal, watch);
    signal.addEventListener("abort", listener, { once: true });
  }
  const { callbacks, listener } = watch;
  callbacks.add(callback);
  return () => {
    if (!callbacks.delete(callback) || callbacks.size > 0) return;
    if (watches.get(signal)?.callbacks === callbacks) watches.delete(signal);
    signal.removeEventListener("abort", listener);
  };
}
