import { inspect } from "node:util";
import { demoKeys } from "@keysmith/mock-server";
import { Epsilon3, RealtimeConnectionError, RealtimeLimitError, RealtimeValidationError } from "@keysmith/sdk";
import { describe, expect, test } from "vitest";
import { until, useRealtimeMock } from "./support/realtime-server.js";

const { server, client } = useRealtimeMock();

/** Consumes notifications until `count` have arrived; `done` resolves with their messages. */
function collect(epsilon3: Epsilon3, count: number, onEach: () => Promise<void> = async () => {}) {
  const got: string[] = [];
  const done = (async () => {
    for await (const notification of epsilon3.realtime.notifications()) {
      got.push(String(notification.data.message));
      await onEach();
      if (got.length === count) break;
    }
    return got;
  })();
  return { done };
}

describe("notifications", () => {
  test("arrive exactly once and in order while the connection drops 60 times", async () => {
    const { epsilon3 } = client();
    const realtime = server().mock.realtime;
    const total = 60 * 5 + 5;
    const { done } = collect(epsilon3, total);
    await until(() => realtime.connections().notifications === 1, "the SDK connected");
    let sent = 0;
    const send = () => realtime.notify({ data: { message: `#${++sent}` } });
    for (let drop = 1; drop <= 60; drop++) {
      send();
      send();
      expect(realtime.dropConnections("notifications")).toBe(1);
      send(); // raised while the client is away
      send();
      await until(() => realtime.connections().notifications === 1, `reconnection ${drop}`);
      send();
    }
    for (let n = 0; n < 5; n++) send();
    const messages = await done;
    expect(messages).toEqual(Array.from({ length: total }, (_, index) => `#${index + 1}`));
    expect(new Set(messages).size).toBe(total);
    // the drops did cost deliveries, which the server made again and the SDK de-duplicated
    expect(realtime.stats.redelivered).toBeGreaterThan(0);
    await until(() => realtime.pendingNotifications().length === 0, "every notification is acknowledged");
    expect(realtime.stats.acknowledged).toBe(total);
  }, 60_000);

  test("a slow consumer behind a small buffer loses nothing: the overflow is fetched again, in order", async () => {
    const { epsilon3, errors } = client({ realtime: { bufferSize: 4 } });
    const realtime = server().mock.realtime;
    // the consumer yields to the event loop after each one, so a burst outruns it
    const { done } = collect(epsilon3, 30, () => new Promise((resolve) => setImmediate(resolve)));
    await until(() => realtime.connections().notifications === 1, "the SDK connected");
    for (let n = 1; n <= 30; n++) realtime.notify({ data: { message: `#${n}` } });
    expect(await done).toEqual(Array.from({ length: 30 }, (_, index) => `#${index + 1}`));
    const overflow = errors.find((error) => error instanceof RealtimeLimitError);
    expect(overflow).toMatchObject({ limit: "buffer", namespace: "/v1/notifications/realtime" });
  }, 20_000);

  test("an invalid payload is reported, answered {received: false}, and the stream goes on", async () => {
    const { epsilon3, errors } = client();
    const realtime = server().mock.realtime;
    const { done } = collect(epsilon3, 1);
    await until(() => realtime.connections().notifications === 1, "the SDK connected");
    const acks = await realtime.emitRaw("notifications", "notification", { id: "", type: "run" });
    expect(acks).toEqual([{ received: false }]);
    realtime.notify({ data: { message: "valid" } });
    expect(await done).toEqual(["valid"]);
    const invalid = errors.find((error) => error instanceof RealtimeValidationError);
    expect(invalid).toMatchObject({ event: "notification", direction: "received" });
    expect((invalid as RealtimeValidationError).issues.join()).toMatch(/id/);
    expect((invalid as RealtimeValidationError).issues.join()).toMatch(/subtype/);
  });

  test("callbacks get each notification once; starting a run over REST notifies run_started", async () => {
    const { epsilon3 } = client();
    const subtypes: string[] = [];
    const handle = epsilon3.realtime.onNotification((notification) => {
      subtypes.push(notification.subtype);
    });
    await handle.ready;
    expect(handle.connected).toBe(true);
    const { data: procedures } = await epsilon3.procedures.list();
    const { run_id } = await epsilon3.runs.start({ procedure_id: procedures[0]?._id ?? "" });
    await epsilon3.runs.end({ runId: run_id });
    await until(() => subtypes.length === 2, "two notifications arrived");
    expect(subtypes).toEqual(["run_started", "run_ended"]);
    await handle.close();
    expect(handle.connected).toBe(false);
  });
});

describe("keys at the handshake", () => {
  const refusal = async (epsilon3: Epsilon3): Promise<unknown> => {
    try {
      for await (const _ of epsilon3.realtime.notifications()) break;
    } catch (error) {
      return error;
    }
    return undefined;
  };

  test.each([
    ["a personal key", demoKeys.epsilon3.personal, "team_key_required"],
    ["an unknown key", "e3_unknown_key_0000000000000000", "invalid_key"],
  ])("%s is refused, finally, with the server's code and without the key", async (_name, apiKey, code) => {
    const { epsilon3 } = client({ apiKey });
    const error = await refusal(epsilon3);
    expect(error).toBeInstanceOf(RealtimeConnectionError);
    expect(error).toMatchObject({ code, namespace: "/v1/notifications/realtime" });
    for (const text of [String(error), inspect(error), JSON.stringify(error), inspect(epsilon3, { depth: 5 })])
      expect(text).not.toContain(apiKey);
    expect(server().mock.realtime.connections().notifications).toBe(0);
  });

  test("an expired key is refused by the server, and one known to be expired is never sent", async () => {
    const mock = server().mock;
    mock.apis.epsilon3.state.keys.add({
      id: "key_expired",
      secret: "e3_expired_team_key_00000000000",
      label: "Expired",
      status: "active",
      kind: "team",
      expiresAt: "2026-01-01T00:00:00.000Z",
    });
    const { epsilon3 } = client({ apiKey: "e3_expired_team_key_00000000000" });
    expect(await refusal(epsilon3)).toMatchObject({ code: "expired_key" });

    // a key from a function is checked when it is read, before each connection
    const known = new Epsilon3({
      apiKey: () => "e3_expired_team_key_00000000000",
      expiresAt: "2026-01-01T00:00:00.000Z",
      baseUrl: `${server().url}/epsilon3`,
      logLevel: "off",
    });
    const error = await refusal(known);
    expect(error).toMatchObject({ name: "RealtimeConnectionError", code: "CredentialExpiredError" });
  });

  test("the key is read again on every reconnection: a rotated-out key stops the stream", async () => {
    let key: string = demoKeys.epsilon3.workspace;
    let reads = 0;
    const { epsilon3 } = client({
      apiKey: () => {
        reads += 1;
        return key;
      },
    });
    const realtime = server().mock.realtime;
    const outcome = refusal(epsilon3);
    await until(() => realtime.connections().notifications === 1, "the SDK connected");
    const before = reads;
    key = demoKeys.epsilon3.personal;
    realtime.dropConnections("notifications");
    expect(await outcome).toMatchObject({ code: "team_key_required" });
    expect(reads).toBeGreaterThan(before);
  });
});
