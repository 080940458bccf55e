import { vi } from "vitest";

/**
 * Runs `work` under fake timers, stepping fake time forward while real I/O (a loopback server) goes on: each
 * step first yields one turn of the event loop (no wall-clock wait), so sockets can deliver between steps.
 */
export async function withFakeTime<T>(work: () => Promise<T>, stepMs = 50, limitMs = 60_000): Promise<T> {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  let done = false;
  const pending = work().finally(() => {
    done = true;
  });
  pending.catch(() => undefined);
  for (let elapsed = 0; !done && elapsed < limitMs; elapsed += stepMs) {
    await new Promise((resolve) => setImmediate(resolve));
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  return pending;
}
