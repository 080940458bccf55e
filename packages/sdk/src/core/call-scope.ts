import { onAbort } from "./abort-fanout.js";
import { AbortError } from "./errors/AbortError.js";
import { TimeoutError } from "./errors/TimeoutError.js";

/**
 * What bounds one call, from its first step to its last byte: the caller's signal and the `deadline`. Its
 * `signal` aborts when either ends the call, with the typed error as its reason (`AbortError`,
 * `TimeoutError`), so every wait inside the call (the credential function, each attempt, its body, the
 * pause before a retry) ends with it. A call holds one callback on the caller's signal however many waits it
 * has (see `onAbort`), released when the call is done.
 */
export class CallScope {
  readonly where: string;
  /** Whether anything can end the call early (a caller's signal, a deadline): otherwise nothing need listen. */
  readonly canEnd: boolean;
  #controller: AbortController | undefined;
  readonly #ends: number;
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #unwatch: (() => void) | undefined;
  #holds = 1;

  constructor(where: string, caller: AbortSignal | undefined, deadline: number | undefined, now = Date.now()) {
    this.where = where;
    this.#ends = deadline === undefined ? Number.POSITIVE_INFINITY : now + deadline;
    this.canEnd = caller !== undefined || deadline !== undefined;
    if (!this.canEnd) return;
    const controller = new AbortController();
    this.#controller = controller;
    if (caller?.aborted) {
      controller.abort(new AbortError(`${where} aborted before sending`, { cause: caller.reason }));
      return;
    }
    if (caller) {
      this.#unwatch = onAbort(caller, () =>
        controller.abort(new AbortError(`${where} aborted`, { cause: caller.reason })),
      );
    }
    if (deadline !== undefined) {
      this.#timer = setTimeout(
        () => controller.abort(new TimeoutError(`${where} passed its deadline of ${deadline} ms`)),
        deadline,
      );
    }
  }

  /** Aborts when the call ends early, with the typed reason. Made on first use when nothing can end the call. */
  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /** Milliseconds left before the deadline (Infinity without one). */
  remaining(now = Date.now()): number {
    return this.#ends - now;
  }

  /** Throws the reason the call ended, if it has. */
  throwIfEnded(): void {
    if (this.canEnd && this.signal.aborted) throw this.signal.reason;
  }

  /**
   * Settles with `work`, unless the call ends first or `timeout` passes (then rejects with the typed reason,
   * or a `TimeoutError` saying what did not answer). `work` goes on in the background; its result is dropped.
   */
  bound<T>(work: Promise<T>, timeout: number, what: string): Promise<T> {
    this.throwIfEnded();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new TimeoutError(`${this.where}: ${what} did not answer within ${timeout} ms`));
      }, timeout);
      const onEnd = () => {
        done();
        reject(this.signal.reason);
      };
      if (this.canEnd) this.signal.addEventListener("abort", onEnd, { once: true });
      const done = () => {
        clearTimeout(timer);
        if (this.canEnd) this.signal.removeEventListener("abort", onEnd);
      };
      work.then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    });
  }

  /** Waits `ms` (before a retry), unless the call ends first. */
  sleep(ms: number): Promise<void> {
    this.throwIfEnded();
    return new Promise<void>((resolve, reject) => {
      const onEnd = () => {
        clearTimeout(timer);
        reject(this.signal.reason);
      };
      const timer = setTimeout(() => {
        this.signal.removeEventListener("abort", onEnd);
        resolve();
      }, ms);
      this.signal.addEventListener("abort", onEnd, { once: true });
    });
  }

  /** Keeps the scope alive past `close()` (a streamed body still being read); call the result when done. */
  retain(): () => void {
    this.#holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.close();
    };
  }

  /** The call is done: stop the deadline and let go of the caller's signal (once every holder has). */
  close(): void {
    this.#holds -= 1;
    if (this.#holds > 0) return;
    clearTimeout(this.#timer);
    this.#unwatch?.();
  }
}
