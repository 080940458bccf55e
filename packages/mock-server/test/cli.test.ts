import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { demoKeys } from "@keysmith/mock-server";
import { afterEach, expect, test } from "vitest";
import { apis } from "./support/api-cases.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
let child: ChildProcess | undefined;
/** npm, its shell, tsx and the server form a process group: signal all of them, or orphans keep the port. */
function signalGroup(signal: NodeJS.Signals): void {
  if (child?.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}
afterEach(() => signalGroup("SIGKILL"));

/** Starts `npm run mock` on a free port; `output()` is everything it has printed so far. */
async function startCli(): Promise<{ url: string; output: () => string }> {
  const started = spawn("npm", ["run", "--silent", "mock", "--", "--port", "0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child = started;
  let output = "";
  const listening = new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk;
      const url = /Keysmith mock server on (http:\/\/\S+)/.exec(output)?.[1];
      if (url && output.includes("Stop with")) resolve(url);
    };
    started.stdout?.on("data", read);
    started.stderr?.on("data", read);
    started.once("exit", () => reject(new Error(`npm run mock exited before listening:\n${output}`)));
  });
  return { url: await listening, output: () => output };
}

test("npm run mock serves every API, prints base URLs and demo keys, and stops cleanly", async () => {
  const { url, output } = await startCli();
  expect(output()).toContain(`${url}/epsilon3`);
  expect(output()).toContain(`${url}/getkeymanager/api/v1`);
  expect(output()).toContain(demoKeys.erathos.key);

  for (const { name, path, auth, otherStyle, errorShape } of apis) {
    const ok = await fetch(url + path, { headers: { Authorization: auth } });
    expect(ok.status, name).toBe(200);
    for (const headers of [{}, { Authorization: otherStyle }]) {
      const refused = await fetch(url + path, { headers });
      expect(refused.status, name).toBe(401);
      errorShape(await refused.json());
    }
  }

  // SIGTERM to the server process itself (npm and tsx in between may relay signals their own way)
  const serverPid = Number(/\(pid (\d+)\)/.exec(output())?.[1]);
  const exited = once(child as ChildProcess, "exit");
  process.kill(serverPid, "SIGTERM");
  await exited;
  // npm relays the signal to the server, which closes its listener before exiting
  expect(output()).toContain("stopping");
  await expect(fetch(`${url}/epoch/api/v1/teams/`)).rejects.toThrow();
}, 60_000);
