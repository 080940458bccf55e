import { once } from "node:events";
import { demoKeys } from "@keysmith/mock-server";
import { afterEach, expect, test } from "vitest";
import { apis } from "./support/api-cases.js";
import { type CliProcess, startCli } from "./support/cli-process.js";

let cli: CliProcess | undefined;
afterEach(() => cli?.kill());

test("npm run mock serves every API, prints base URLs and demo keys, and stops cleanly", async () => {
  cli = await startCli();
  const { url, output, child } = cli;
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
  const exited = once(child, "exit");
  process.kill(serverPid, "SIGTERM");
  await exited;
  // npm relays the signal to the server, which closes its listener before exiting
  expect(output()).toContain("stopping");
  await expect(fetch(`${url}/epoch/api/v1/teams/`)).rejects.toThrow();
}, 60_000);
