import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { processIO } from "../src/io.js";
import { runCli } from "../src/main.js";
import { recordingIO } from "./support/recording-io.js";
import { tinySpec } from "./support/tiny-spec.js";

let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "keysmith-progress-"));
  for (const name of ["alpha", "beta", "gamma"]) await writeFile(join(project, `${name}.yaml`), tinySpec(name));
  await writeFile(
    join(project, "keysmith.config.json"),
    JSON.stringify({ apis: ["alpha", "beta", "gamma"].map((name) => ({ name, spec: `${name}.yaml`, out: name })) }),
  );
});
afterAll(() => rm(project, { recursive: true, force: true }));

/** A terminal that keeps what is drawn on it. */
function fakeTerminal() {
  const writes: string[] = [];
  return { writes, terminal: { columns: 60, write: (text: string) => writes.push(text) } };
}

test("on a terminal, a run of several descriptions counts them on one line, then clears it", async () => {
  const { writes, terminal } = fakeTerminal();
  const recorded = recordingIO(project, { progress: terminal });
  expect(await runCli(["generate", "--force"], recorded.io)).toBe(0);
  expect(writes[0]).toBe("\r\u001b[2Kkeysmith generate: 0/3 descriptions…");
  expect(writes.filter((text) => /\d\/3 descriptions \((alpha|beta|gamma) done\)/.test(text))).toHaveLength(3);
  expect(writes.at(-2)).toMatch(/3\/3 descriptions/);
  expect(writes.at(-1)).toBe("\r\u001b[2K");
  // each redraw fits the terminal's width
  for (const text of writes) expect(text.replace("\r\u001b[2K", "").length).toBeLessThan(60);
  // the report itself is unchanged
  expect(recorded.output()).toMatch(/12 file\(s\) written for 3 description\(s\)/);
});

test("no progress with --quiet (which prints only problems), or for a single description", async () => {
  const { writes, terminal } = fakeTerminal();
  const quiet = recordingIO(project, { progress: terminal });
  expect(await runCli(["generate", "--force", "--quiet"], quiet.io)).toBe(0);
  expect(quiet.lines).toEqual([]);
  const single = recordingIO(project, { progress: terminal });
  expect(await runCli(["generate", "--spec", "alpha.yaml", "--name", "alpha", "--out", "single"], single.io)).toBe(0);
  expect(writes).toEqual([]);
});

test("progress is drawn only on stderr that is a terminal, and never in CI", () => {
  const descriptor = Object.getOwnPropertyDescriptor(process.stderr, "isTTY");
  const ci = process.env.CI;
  try {
    Object.defineProperty(process.stderr, "isTTY", { value: true, configurable: true });
    delete process.env.CI;
    expect(processIO().progress).toBe(process.stderr);
    process.env.CI = "true";
    expect(processIO().progress).toBeUndefined();
    delete process.env.CI;
    Object.defineProperty(process.stderr, "isTTY", { value: false, configurable: true });
    expect(processIO().progress).toBeUndefined();
  } finally {
    if (descriptor) Object.defineProperty(process.stderr, "isTTY", descriptor);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  }
});
