import { inspect } from "node:util";
import { demoKeys } from "@keysmith/mock-server";
import { Epsilon3, RealtimeError, RealtimeLimitError, RealtimeValidationError } from "@keysmith/sdk";
import { describe, expect, test } from "vitest";
import { until, useRealtimeMock } from "./support/realtime-server.js";

const { server, client } = useRealtimeMock();

describe("telemetry provider", () => {
  test("answers start_stream, streams readings at the refresh rate, and stops on end_streams", async () => {
    const { epsilon3, errors } = client();
    const asked: string[] = [];
    let reading = 0;
    const handle = epsilon3.realtime.provideTelemetry((stream) => {
      asked.push(stream.name);
      return { value: 28 + ++reading / 10, name: stream.name };
    });
    await handle.ready;
    const realtime = server().mock.realtime;
    const ack = await realtime.startStream({ stream_id: "volts", name: "battery_voltage", refresh_rate: 0.25 });
    expect(ack).toEqual({ success: true });
    await until(() => (realtime.telemetry("volts")?.updates.length ?? 0) >= 3, "three updates arrived");
    const stream = realtime.telemetry("volts");
    expect(stream?.updates[0]).toMatchObject({ value: 28.1, name: "battery_voltage" });
    expect(Date.parse(String(stream?.updates[0]?.recorded_at))).not.toBeNaN();
    expect(stream?.dropped).toEqual({ size: 0, rate: 0 });
    realtime.endStreams(["volts"]);
    const calls = asked.filter((name) => name === "battery_voltage").length;
    // a second stream on the same provider is the clock: three of its updates span two of the first's periods
    await realtime.startStream({ stream_id: "mode", name: "mode", refresh_rate: 0.25 });
    await until(() => asked.filter((name) => name === "mode").length >= 3, "the second stream ticked three times");
    expect(asked.filter((name) => name === "battery_voltage").length).toBeLessThanOrEqual(calls + 1); // at most one under way
    expect(realtime.protocolErrors).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("never sends faster than 4 per second per stream, whatever the refresh rate asked", async () => {
    const { epsilon3 } = client();
    await epsilon3.realtime.provideTelemetry(() => ({ values: [{ timestamp: Date.now(), value: 1 }] })).ready;
    const realtime = server().mock.realtime;
    await realtime.startStream({ stream_id: "fast", name: "mode", refresh_rate: 0.001 });
    await until(() => (realtime.telemetry("fast")?.updates.length ?? 0) >= 4, "four updates arrived");
    expect(realtime.telemetry("fast")?.dropped.rate).toBe(0);
  });

  test("an update over 100 KB is held back and reported; the stream carries on", async () => {
    const { epsilon3, errors } = client();
    let big = true;
    await epsilon3.realtime.provideTelemetry(() => {
      const value = big ? "x".repeat(110 * 1024) : "small";
      big = false;
      return { value };
    }).ready;
    const realtime = server().mock.realtime;
    await realtime.startStream({ stream_id: "blob", name: "image", refresh_rate: 0.25 });
    await until(() => (realtime.telemetry("blob")?.updates.length ?? 0) >= 1, "an update arrived");
    expect(realtime.telemetry("blob")?.updates[0]).toMatchObject({ value: "small" });
    expect(realtime.telemetry("blob")?.dropped.size).toBe(0); // it never left the client
    expect(errors.find((error) => error instanceof RealtimeLimitError)).toMatchObject({ limit: "size" });
  });

  test("an invalid start_stream is refused in the acknowledgement and reported; the source is not asked", async () => {
    const { epsilon3, errors } = client();
    let asked = 0;
    await epsilon3.realtime.provideTelemetry(() => {
      asked += 1;
      return { value: 1 };
    }).ready;
    const acks = await server().mock.realtime.emitRaw("telemetry", "start_stream", { name: "x", stream_id: "" });
    expect(acks).toEqual([{ success: false, message: expect.stringMatching(/stream_id.*dictionary_id/s) }]);
    expect(asked).toBe(0);
    expect(errors[0]).toBeInstanceOf(RealtimeValidationError);
  });
});

describe("command handler", () => {
  test("a synchronous command is acknowledged with the handler's result", async () => {
    const { epsilon3 } = client();
    const received: string[] = [];
    await epsilon3.realtime.handleCommands((command) => {
      received.push(`${command.name}(${JSON.stringify(command.arguments)})`);
      return { success: true, message: "mode set" };
    }).ready;
    const { ack, finished } = await server().mock.realtime.sendCommand({ name: "set_mode", arguments: { mode: 1 } });
    expect(received).toEqual(['set_mode({"mode":1})']);
    expect(ack).toMatchObject({ name: "set_mode", success: true, message: "mode set" });
    expect(Date.parse(String(ack.received_at))).not.toBeNaN();
    expect(finished).toBeUndefined();
  });

  test("a handler that throws answers success: false with its message, and is reported", async () => {
    const { epsilon3, errors } = client();
    await epsilon3.realtime.handleCommands(() => {
      throw new Error("radio is off");
    }).ready;
    const { ack } = await server().mock.realtime.sendCommand({ name: "reboot_radio" });
    expect(ack).toMatchObject({
      name: "reboot_radio",
      success: false,
      message: expect.stringContaining("radio is off"),
    });
    expect(errors).toHaveLength(1);
  });

  test("an asynchronous command is acknowledged executing, then finishes through command_finished", async () => {
    const { epsilon3 } = client();
    let release: () => void = () => {};
    await epsilon3.realtime.handleCommands(async (command) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return { success: true, results: { echoed: command.arguments } };
    }).ready;
    const { ack, finished } = await server().mock.realtime.sendCommand({
      name: "calibrate",
      arguments: { axis: "x" },
      correlation_id: "corr-1",
    });
    expect(ack).toEqual({ status: "executing" });
    release();
    expect(await finished).toMatchObject({
      correlation_id: "corr-1",
      status: "success",
      results: { echoed: { axis: "x" } },
    });
  });

  test("an asynchronous command that outlives commandTimeout finishes as timeout, and its signal aborts", async () => {
    const { epsilon3 } = client({ realtime: { commandTimeout: 50 } });
    let aborted = false;
    await epsilon3.realtime.handleCommands(
      (_command, { signal }) =>
        new Promise(() => {
          signal.addEventListener("abort", () => {
            aborted = true;
          });
        }),
    ).ready;
    const { finished } = await server().mock.realtime.sendCommand({ name: "slow", correlation_id: "corr-2" });
    expect(await finished).toMatchObject({ correlation_id: "corr-2", status: "timeout" });
    expect(aborted).toBe(true);
  });

  test("an invalid send_command never reaches the handler and is refused in the acknowledgement", async () => {
    const { epsilon3, errors } = client();
    let called = false;
    await epsilon3.realtime.handleCommands(() => {
      called = true;
      return { success: true };
    }).ready;
    const acks = await server().mock.realtime.emitRaw("commands", "send_command", { name: "", dictionary_id: "one" });
    expect(acks).toEqual([
      expect.objectContaining({ success: false, message: expect.stringMatching(/name.*dictionary_id/s) }),
    ]);
    expect(called).toBe(false);
    expect(errors[0]).toMatchObject({ name: "RealtimeValidationError", event: "send_command" });
  });
});

describe("external-data search handler", () => {
  const parts = [
    { id: "p1", name: "valve-a", label: "Valve A", details: [{ name: "pressure", value: 300 }] },
    { id: "p2", name: "pump-b", details: [] },
  ];

  test("answers search with the matching items", async () => {
    const { epsilon3 } = client();
    await epsilon3.realtime.handleSearch(({ term }) => parts.filter((part) => part.name.includes(term))).ready;
    const ack = await server().mock.realtime.search({ type: "part", term: "valve" });
    expect(ack).toEqual({ type: "part", success: true, items: [parts[0]] });
  });

  test("a failing handler, an invalid answer and an invalid request all answer success: false", async () => {
    const { epsilon3, errors } = client();
    await epsilon3.realtime.handleSearch(({ term }) => {
      if (term === "boom") throw new Error("index offline");
      return [{ id: 7, name: "not an item" } as never];
    }).ready;
    const realtime = server().mock.realtime;
    expect(await realtime.search({ type: "part", term: "boom" })).toMatchObject({
      success: false,
      items: [],
      message: expect.stringContaining("index offline"),
    });
    expect(await realtime.search({ type: "part", term: "x" })).toMatchObject({
      success: false,
      message: expect.stringMatching(/items\.0\.id/),
    });
    const [refused] = await realtime.emitRaw("externalData", "search", { type: "part" });
    expect(refused).toMatchObject({ type: "part", success: false, items: [], message: expect.stringMatching(/term/) });
    expect(errors.map((error) => error.name)).toEqual([
      "RealtimeError",
      "RealtimeValidationError",
      "RealtimeValidationError",
    ]);
    // the engine builds its errors with the classes it is handed (realtime-error-classes.ts): the exported ones
    expect(errors[0]).toBeInstanceOf(RealtimeError);
    expect(errors[1]).toBeInstanceOf(RealtimeValidationError);
  });
});

describe("secrets", () => {
  test("a key in a handler's error reaches neither the server, the error listeners nor the debug log", async () => {
    const key = demoKeys.epsilon3.workspace;
    const lines: string[] = [];
    const sink = (line: string) => lines.push(line);
    const epsilon3 = new Epsilon3({
      apiKey: key,
      baseUrl: `${server().url}/epsilon3`,
      logLevel: "debug",
      logger: { debug: sink, info: sink, warn: sink, error: sink },
      realtime: { reconnectionDelay: 5 },
    });
    const handle = epsilon3.realtime.handleSearch(() => {
      throw new Error(`lookup failed for ${key}`);
    });
    await handle.ready;
    const ack = await server().mock.realtime.search({ type: "part", term: "x" });
    server().mock.realtime.dropConnections("externalData");
    await until(() => server().mock.realtime.connections().externalData === 1, "the handler reconnected");
    await epsilon3.realtime.close();
    expect(ack.message).toMatch(/lookup failed for/);
    const everything = [JSON.stringify(ack), ...lines, inspect(epsilon3, { depth: 6 })].join("\n");
    expect(everything).not.toContain(key);
    expect(lines.some((line) => line.includes("connected"))).toBe(true);
    expect(lines.some((line) => line.includes("the handler failed"))).toBe(true);
  });
});
