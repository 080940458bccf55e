import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../..", import.meta.url));
const entry = fileURLToPath(new URL("./mock-process.ts", import.meta.url));

/**
 * One API's standalone mock in a child process (see `mock-process.ts`), with a heap limit: a request that makes
 * the mock allocate without bound kills the child within seconds instead of the fuzzer, and one that makes it
 * hang is cut off by the request timeout. Either way the fuzzer reports it and starts a fresh child.
 */
export class MockProcess {
  readonly api: string;
  #child: ChildProcess | undefined;
  #baseUrl = "";
  #stderr = "";
  #exit: string | undefined;

  private constructor(api: string) {
    this.api = api;
  }

  static async start(api: string): Promise<MockProcess> {
    const host = new MockProcess(api);
    await host.#spawn();
    return host;
  }

  /** The API's base URL on the mock, such as `http://127.0.0.1:39181/epoch/api/v1`. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /**
   * Why the child stopped, if it does within `ms` (a request that failed without an answer may have killed
   * it, and its exit arrives a moment after the broken connection); undefined if it lives on.
   */
  async diedWithin(ms: number): Promise<string | undefined> {
    const child = this.#child;
    if (this.#exit !== undefined || !child) return this.#exit;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        child?.off("exit", done);
        resolve();
      }
      child.once("exit", done);
    });
    // the exit listener registered by #spawn runs first, so the reason is known by now
    return this.#exit;
  }

  /** Back to the seed data: a fresh child first if the last one died or hung. */
  async reset(): Promise<void> {
    const child = this.#child;
    if (!child || this.#exit !== undefined) return this.restart();
    const done = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      const listener = (message: unknown) => {
        if (message !== "reset") return;
        clearTimeout(timer);
        child.off("message", listener);
        resolve(true);
      };
      child.on("message", listener);
      child.send("reset");
    });
    if (!(await done)) await this.restart();
  }

  async restart(): Promise<void> {
    await this.close();
    await this.#spawn();
  }

  async close(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  async #spawn(): Promise<void> {
    this.#stderr = "";
    this.#exit = undefined;
    const child = fork(entry, [this.api], {
      cwd: root,
      execArgv: ["--import", "tsx", "--max-old-space-size=384"],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    this.#child = child;
    child.stderr?.on("data", (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4_000);
    });
    child.once("exit", (code, signal) => {
      const why = /heap out of memory/.test(this.#stderr)
        ? "JavaScript heap out of memory (limit 384 MB)"
        : this.#stderr.trim().split("\n").at(-1);
      this.#exit = `the mock process exited (${signal ?? `code ${code}`})${why ? `: ${why}` : ""}`;
    });
    const { baseUrl } = await new Promise<{ baseUrl: string }>((resolve, reject) => {
      child.once("message", (message) => resolve(message as { baseUrl: string }));
      child.once("exit", () => reject(new Error(`the ${this.api} mock did not start: ${this.#stderr}`)));
    });
    this.#baseUrl = baseUrl;
  }
}
