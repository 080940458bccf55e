import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import {
  CommandAck,
  DataUpdate,
  Notification,
  realtimeChannels,
  StartStream,
} from "../../packages/sdk/src/generated/epsilon3/realtime.js";
import { runGenerator } from "../support/run-generator.js";

test("the AsyncAPI description becomes zod validators for what arrives and what is sent", () => {
  const notification = {
    id: "n-1",
    type: "run",
    subtype: "run_started",
    timestamp: "2026-11-22T10:00:00Z",
    api_version: 1,
    data: { message: "Run started", run_url: "https://app.epsilon3.io/runs/1" },
  };
  expect(Notification.parse(notification)).toMatchObject(notification);
  expect(Notification.safeParse({ ...notification, id: undefined }).success).toBe(false);
  expect(StartStream.parse({ name: "voltage", stream_id: "s1", dictionary_id: 1 }).refresh_rate).toBe(1);
  expect(
    DataUpdate.safeParse({ stream_id: "s1", data: { value: 3.3, recorded_at: "2026-11-22T10:00:00Z" } }).success,
  ).toBe(true);
  expect(DataUpdate.safeParse({ stream_id: "s1", data: { values: [{ timestamp: 1, value: 2 }] } }).success).toBe(true);
  expect(DataUpdate.safeParse({ stream_id: "s1", data: { nothing: true } }).success).toBe(false);
  expect(CommandAck.safeParse({ status: "executing" }).success).toBe(true);
  expect(CommandAck.safeParse({ status: "done" }).success).toBe(false);
});

test("each namespace lists its events, their direction and acknowledgement", () => {
  expect(realtimeChannels.notifications.namespace).toBe("/v1/notifications/realtime");
  expect(realtimeChannels.telemetry.events.data_update.direction).toBe("toServer");
  expect(realtimeChannels.commands.events.send_command.ack).toBe(CommandAck);
  expect(Object.keys(realtimeChannels)).toEqual(["notifications", "telemetry", "commands", "externalData"]);
});

test("a broken AsyncAPI description fails with its file and pointer, and nothing is written", async () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const repo = await mkdtemp(join(tmpdir(), "keysmith-realtime-"));
  const { cp } = await import("node:fs/promises");
  await cp(join(root, "specs"), join(repo, "specs"), { recursive: true });
  await cp(join(root, "keysmith.config.json"), join(repo, "keysmith.config.json"));
  const asyncapi = join(repo, "specs", "epsilon3.asyncapi.yaml");
  await writeFile(
    asyncapi,
    (await readFile(asyncapi, "utf8")).replace(
      '$ref: "#/components/schemas/EndStreams"',
      '$ref: "#/components/schemas/Nope"',
    ),
  );
  const lines: string[] = [];
  const code = await runGenerator(["--config", join(repo, "keysmith.config.json")], {
    log: (line) => lines.push(line),
    error: (line) => lines.push(line),
  });
  expect(code).toBe(1);
  expect(lines.join("\n")).toMatch(
    /specs\/epsilon3\.asyncapi\.yaml:\d+ at #\/components\/messages\/endStreams\/payload\/\$ref: \$ref "#\/components\/schemas\/Nope" does not resolve/,
  );
});
