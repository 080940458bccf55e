import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../..", import.meta.url));

/** `npm run mock -- --port 0 …args` as a child process, and everything it has printed so far. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** npm, its shell, tsx and the server form a process group: signal all of them, or orphans keep the port. */
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `npm run mock` on a free port and resolves once it has printed its base URLs. */
export async function startCli(args: readonly string[] = []): Promise<CliProcess> {
  const child = spawn("npm", ["run", "--silent", "mock", "--", "--port", "0", ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const kill = (signal: NodeJS.Signals = "SIGKILL") => {
    if (child.pid === undefined || child.exitCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const url = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk;
      const found = /Keysmith mock server on (http:\/\/\S+)/.exec(output)?.[1];
      if (found && output.includes("Stop with")) resolve(found);
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", () => reject(new Error(`npm run mock exited before listening:\n${output}`)));
  }).catch((error: unknown) => {
    kill();
    throw error;
  });
  return { child, url, output: () => output, kill };
}
