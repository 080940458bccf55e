import { demoKeys, type RunningMockServer, startMockServer } from "@keysmith/mock-server";
import { Epsilon3, type KeysmithError, type RealtimeOptions } from "@keysmith/sdk";
import { afterAll, afterEach, beforeAll, vi } from "vitest";

/** Waits (vitest's `vi.waitFor`) until `condition` holds, failing with `what` after 10 s. */
export function until(condition: () => boolean, what: string): Promise<void> {
  return vi.waitFor(
    () => {
      if (!condition()) throw new Error(`timed out waiting until ${what}`);
    },
    { timeout: 10_000, interval: 5 },
  );
}

/** A standalone mock (HTTP + Socket.IO on loopback) for one test file, reset between tests. */
export function useRealtimeMock(): {
  server: () => RunningMockServer;
  client: (options?: { apiKey?: string | (() => string); realtime?: RealtimeOptions }) => {
    epsilon3: Epsilon3;
    errors: KeysmithError[];
  };
} {
  let server: RunningMockServer | undefined;
  const clients: Epsilon3[] = [];
  beforeAll(async () => {
    server = await startMockServer({ port: 0 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((epsilon3) => epsilon3.realtime.close()));
    // every connection of the test is gone before the next begins
    await until(
      () => Object.values(running().mock.realtime.connections()).every((count) => count === 0),
      "clients disconnected",
    );
    running().mock.reset();
  });
  afterAll(() => server?.close());
  const running = () => {
    if (!server) throw new Error("the mock server is not running");
    return server;
  };
  return {
    server: running,
    client: (options = {}) => {
      const errors: KeysmithError[] = [];
      const epsilon3 = new Epsilon3({
        apiKey: options.apiKey ?? demoKeys.epsilon3.workspace,
        baseUrl: `${running().url}/epsilon3`,
        logLevel: "off",
        realtime: { reconnectionDelay: 5, reconnectionDelayMax: 40, ...options.realtime },
      });
      epsilon3.realtime.onError((error) => errors.push(error));
      clients.push(epsilon3);
      return { epsilon3, errors };
    },
  };
}
