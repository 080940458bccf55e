import { expect, test } from "vitest";
import { tour } from "../tour.js";

test("the tour calls each of the four APIs through the SDK against the in-process mock", async () => {
  const lines: string[] = [];
  await tour((line) => lines.push(line));
  const output = lines.join("\n");
  expect(output).toMatch(/Epsilon3: run \w{22} started/);
  expect(output).toMatch(/Epoch: created event \d+/);
  expect(output).toMatch(/Epoch: invited grace@example\.com: waitlisted #1/);
  // every event of every page: the 3 seeded and the one created above
  expect(output).toMatch(/Epoch: walked all 4 events: /);
  expect(output).toMatch(/GetKeyManager: \S+ assigned to builds@example\.com and active on build-agent-7/);
  expect(output).toMatch(/activating twice → ConflictError, status 200, code 301/);
  expect(output).toMatch(/Epsilon3: part P-1 "Sample Part" rev C \(serial\)/);
  expect(output).toMatch(/Erathos: execution FINISHED/);
  // realtime: the REST runs' notifications were kept for the client, then the mock played Epsilon3
  expect(output).toMatch(/2 notification\(s\) from the runs above are waiting/);
  expect(output.match(/notification run_started/g)).toHaveLength(2);
  expect(output).toMatch(/streamed battery_voltage [\d.]+, [\d.]+, [\d.]+ V/);
  expect(output).toMatch(/command set_mode → success=true \(mode is SAFE\)/);
  expect(output).toMatch(/search "valve" → vlv-101, vlv-102/);
  expect(output).not.toMatch(/Realtime\w*Error/);
  expect(process.env.EPSILON3_API_KEY).toBeUndefined();
});
