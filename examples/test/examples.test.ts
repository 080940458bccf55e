import { expect, test } from "vitest";
import { tour } from "../tour.js";

test("the tour calls each of the four APIs through the SDK against the in-process mock", async () => {
  const lines: string[] = [];
  await tour((line) => lines.push(line));
  const output = lines.join("\n");
  expect(output).toMatch(/Epsilon3: run \w{22} started/);
  expect(output).toMatch(/Epoch: created event \d+/);
  expect(output).toMatch(/Epoch: invited grace@example\.com: waitlisted #1/);
  expect(output).toMatch(/GetKeyManager: ACME-\S+ active on build-agent-7/);
  expect(output).toMatch(/Erathos: execution FINISHED/);
  expect(process.env.EPSILON3_API_KEY).toBeUndefined();
});
