import { expect, test } from "vitest";
import { runCli } from "../src/main.js";
import { recordingIO } from "./support/recording-io.js";

test("keysmith mock serves the four APIs until stopped, then exits 0", async () => {
  const stop = new AbortController();
  const recorded = recordingIO(process.cwd(), { signal: stop.signal });
  const banner = recorded.waitFor(/^Keysmith mock server on /, 0);
  const keysReady = recorded.waitFor(/^Stop with Ctrl-C/, 0);
  const running = runCli(["mock", "--port", "0", "--quiet"], recorded.io);
  const url = /on (http:\/\/\S+)/.exec(await banner)?.[1];
  await keysReady;
  const output = recorded.output();
  for (const api of ["epsilon3", "epoch", "getkeymanager", "erathos"]) {
    expect(output).toMatch(new RegExp(`^  ${api} +${url}/${api}`, "m"));
  }
  const key = /erathos\.key +(\S+)/.exec(output)?.[1];
  const workspaces = `${url}/erathos/developers/workspaces/`;
  expect((await fetch(workspaces, { headers: { Authorization: `Api-Key ${key}` } })).status).toBe(200);
  expect((await fetch(workspaces)).status).toBe(401);
  stop.abort();
  expect(await running).toBe(0);
});

test("keysmith mock --help lists the mock's options and --spec, --explain", async () => {
  const recorded = recordingIO(process.cwd());
  expect(await runCli(["mock", "--help"], recorded.io)).toBe(0);
  expect(recorded.output()).toMatch(/^usage: keysmith mock \[--port 4010\]/);
  expect(recorded.output()).toMatch(/--key +a credential APIs mocked from a description accept/);
  expect(recorded.output()).toMatch(/--spec +an OpenAPI description to mock/);
  expect(recorded.output()).toMatch(/--explain +with --spec/);
});

test("keysmith mock names a bad option as `keysmith mock`", async () => {
  const recorded = recordingIO(process.cwd());
  expect(await runCli(["mock", "--port", "seventy"], recorded.io)).toBe(2);
  expect(recorded.output()).toMatch(/^keysmith mock: --port must be a whole number from 0 to 65535, got "seventy"$/m);
  expect(await runCli(["mock", "--colour"], recorded.io)).toBe(2);
  expect(recorded.output()).toMatch(/keysmith mock: Unknown option '--colour'/);
});

test("an unknown command, no command, help and the version", async () => {
  const recorded = recordingIO(process.cwd());
  expect(await runCli(["generat"], recorded.io)).toBe(2);
  expect(recorded.output()).toMatch(/keysmith: unknown command "generat"\nusage: keysmith <command>/);
  expect(await runCli([], recorded.io)).toBe(2);
  expect(await runCli(["help", "generate"], recorded.io)).toBe(0);
  expect(recorded.output()).toMatch(/usage: keysmith generate \[--config <file>\]/);
  expect(await runCli(["generate", "--help"], recorded.io)).toBe(0);
  expect(await runCli(["--version"], recorded.io)).toBe(0);
  expect(recorded.lines.at(-1)).toMatch(/^\d+\.\d+\.\d+/);
});

test("generate refuses contradictory or incomplete options, naming them", async () => {
  const cases: [string[], RegExp][] = [
    [["--spec", "a.yaml"], /--name, --out missing; --spec, --name and --out go together/],
    [["--spec", "a.yaml", "--name", "a", "--out", "o", "--config", "c.json"], /--config and --spec are two ways/],
    [["--core-import", "x"], /--core-import goes with --spec, --name and --out/],
    [["--spec", "a.yaml", "--name", "9a", "--out", "o"], /--name "9a" must start with a letter/],
    [["--check", "--force"], /--check and --force cannot be used together/],
    [["--frobnicate"], /Unknown option '--frobnicate'/],
  ];
  for (const [args, message] of cases) {
    const recorded = recordingIO(process.cwd());
    expect(await runCli(["generate", ...args], recorded.io)).toBe(2);
    expect(recorded.output()).toMatch(message);
  }
});
