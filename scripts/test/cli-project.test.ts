/**
 * `@keysmith/cli` as a new user meets it, outside the repository: the packed tarballs of @keysmith/sdk,
 * @keysmith/mock-server and @keysmith/cli installed with TypeScript in a scratch project; `npx keysmith generate`
 * on a description of the user's own (one Keysmith never saw), an app on the generated client type-checked with
 * the installed tsc, compiled and run on Node against a loopback server that checks the key; `--check` after the
 * description changes; a `keysmith.config.ts` with `defineConfig`; and `npx keysmith mock` answering each of the
 * four APIs with the keys its banner prints, then stopping on SIGTERM.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exec, packedProject } from "../support/packed-project.js";
import { type Recorded, recordingServer } from "./support/recording-server.js";

const GENERATED = ["api.ts", "client.ts", "resources.d.ts", "types.d.ts"];
const GENERATE = ["keysmith", "generate", "--spec", "tasks.yaml", "--name", "tasks", "--out", "src/tasks"];
const TASKS_KEY = "tk_live_0123456789abcdef";
const WRONG_KEY = "not-the-key";

/** The user's own API: an apiKey in a header, a list, and one task by id. */
const TASKS_YAML = `openapi: 3.1.0
info:
  title: Tasks API
  version: 1.0.0
servers:
  - url: https://tasks.example.com/v1
security:
  - taskKey: []
tags:
  - name: tasks
    description: A to-do list's tasks.
paths:
  /tasks:
    get:
      operationId: listTasks
      tags: [tasks]
      summary: List the tasks
      responses:
        "200":
          description: Every task
          content:
            application/json:
              schema:
                type: array
                items: { $ref: "#/components/schemas/Task" }
        "401": { $ref: "#/components/responses/Unauthorized" }
    post:
      operationId: createTask
      tags: [tasks]
      summary: Create a task
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/NewTask" }
      responses:
        "201":
          description: The new task
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Task" }
        "401": { $ref: "#/components/responses/Unauthorized" }
  /tasks/{taskId}:
    parameters:
      - name: taskId
        in: path
        required: true
        schema: { type: string }
    get:
      operationId: getTask
      tags: [tasks]
      summary: Get a task
      responses:
        "200":
          description: The task
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Task" }
        "404": { $ref: "#/components/responses/NotFound" }
    patch:
      operationId: updateTask
      tags: [tasks]
      summary: Change a task
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/TaskChanges" }
      responses:
        "200":
          description: The changed task
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Task" }
        "404": { $ref: "#/components/responses/NotFound" }
    delete:
      operationId: deleteTask
      tags: [tasks]
      summary: Delete a task
      responses:
        "204":
          description: Deleted
        "404": { $ref: "#/components/responses/NotFound" }
components:
  securitySchemes:
    taskKey:
      type: apiKey
      in: header
      name: X-Api-Key
  responses:
    Unauthorized:
      description: No key, or the wrong one
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
    NotFound:
      description: No such task
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
  schemas:
    Task:
      type: object
      required: [id, title, done]
      properties:
        id: { type: string }
        title: { type: string }
        done: { type: boolean }
    NewTask:
      type: object
      required: [title]
      properties:
        title: { type: string, minLength: 1 }
        done: { type: boolean }
    TaskChanges:
      type: object
      properties:
        title: { type: string, minLength: 1 }
        done: { type: boolean }
    Error:
      type: object
      required: [message]
      properties:
        message: { type: string }
`;

/** The user's app: every call typed by the generated client; the key and base URL from the environment. */
const APP = `import { AuthenticationError, NotFoundError } from "@keysmith/sdk/core";
import { Tasks } from "./tasks/client.js";
import type { components } from "./tasks/types.js";

type Task = components["schemas"]["Task"];

const client = new Tasks(); // TASKS_API_KEY and TASKS_BASE_URL

const created: Task = await client.tasks.createTask({ title: "Write the release notes" });
console.log(\`created \${created.id}: \${created.title} (done: \${created.done})\`);
const changed: Task = await client.tasks.updateTask({ taskId: created.id, done: true });
console.log(\`changed \${changed.id}: done: \${changed.done}\`);
const fetched: Task = await client.tasks.getTask({ taskId: created.id });
console.log(\`fetched \${fetched.id}: \${fetched.title}\`);
const all: Task[] = await client.tasks.listTasks();
console.log(\`listed \${all.length} task(s)\`);
await client.tasks.deleteTask({ taskId: created.id });
console.log(\`deleted \${created.id}\`);
try {
  await client.tasks.getTask({ taskId: created.id });
  console.log("still there after the delete");
} catch (error) {
  if (!(error instanceof NotFoundError)) throw error;
  console.log(\`after the delete: \${error.name} \${error.status}\`);
}

const intruder = new Tasks({ apiKey: "${WRONG_KEY}", baseUrl: client.baseUrl });
try {
  await intruder.tasks.listTasks();
  console.log("a wrong key was let in");
} catch (error) {
  if (!(error instanceof AuthenticationError)) throw error;
  console.log(\`wrong key: \${error.name} \${error.status}, key in the message: \${error.message.includes("${WRONG_KEY}")}\`);
}

export function neverCalled(): void {
  // @ts-expect-error: a task needs a title
  void client.tasks.createTask({ done: true });
  // @ts-expect-error: the path parameter is taskId
  void client.tasks.getTask({ id: created.id });
  // @ts-expect-error: done is a boolean
  void client.tasks.updateTask({ taskId: created.id, done: "yes" });
}
`;

/** Strict, nodenext, emitting JavaScript Node runs (Node 20 cannot run .ts). */
const TSCONFIG = {
  compilerOptions: {
    target: "es2022",
    lib: ["es2023", "dom"],
    module: "nodenext",
    moduleResolution: "nodenext",
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    types: [],
    rootDir: "src",
    outDir: "dist",
  },
  include: ["src"],
};

const CONFIG_TS = `import { defineConfig } from "@keysmith/cli";

export default defineConfig({
  apis: [{ name: "tasks", spec: "tasks.yaml", out: "generated/tasks" }],
});
`;

let dir = "";
let server: Awaited<ReturnType<typeof recordingServer>> | undefined;
let mock: ChildProcessWithoutNullStreams | undefined;

beforeAll(async () => {
  dir = await packedProject("cli", {}, { typescript: "~5.9.3" }, { packages: ["sdk", "mock-server", "cli"] });
  await writeFile(join(dir, "tasks.yaml"), TASKS_YAML);
}, 240_000);

afterAll(async () => {
  // the whole group (npx, its shell and the server), in case the test stopped before SIGTERM reached the server
  if (mock?.pid !== undefined) killGroup(mock.pid);
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** SIGKILLs a process group this test started; one that is already gone is fine. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/** Runs `npx <args>` in the project, as the user types it; resolves with the exit code and all output. */
async function npx(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await exec("npx", args, { cwd: dir });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

/** The generated files of `folder`, by name. */
async function generatedFiles(folder: string): Promise<Map<string, string>> {
  const names = (await readdir(join(dir, folder))).sort();
  return new Map(
    await Promise.all(names.map(async (name) => [name, await readFile(join(dir, folder, name), "utf8")] as const)),
  );
}

describe("a new project: npm install @keysmith/cli, a client for its own API, and the mock", () => {
  test("the packed bin is installed, so npx runs it rather than fetching anything", () => {
    expect(existsSync(join(dir, "node_modules/.bin/keysmith"))).toBe(true);
    // `keysmith mock` needs no msw: it is an optional peer of the mock, and nothing here installs it
    expect(existsSync(join(dir, "node_modules/msw"))).toBe(false);
  });

  test("npx keysmith generate writes the client; headers name the description and the command, no absolute path", async () => {
    const { code, output } = await npx(...GENERATE);
    expect(output).toMatch(/4 file\(s\) written for 1 description/);
    expect(code, output).toBe(0);

    const files = await generatedFiles("src/tasks");
    expect([...files.keys()]).toEqual(GENERATED);
    const absolute = [...new Set([dir, await realpath(dir)])];
    for (const [name, text] of files) {
      const [first, second] = text.split("\n");
      expect(first, name).toMatch(/^\/\/ Generated by Keysmith from tasks\.yaml \(sha256:[0-9a-f]+\)\.$/);
      expect(second, name).toContain("run `npx keysmith generate --spec tasks.yaml --name tasks --out src/tasks`.");
      for (const path of absolute) expect(text, name).not.toContain(path);
    }
    expect(files.get("api.ts")).toMatch(/"type": "header",\s+"name": "X-Api-Key"/);
  }, 60_000);

  test("an app on the client type-checks strictly (nodenext), compiles, and runs on Node against a real server", async () => {
    const tasks = new Map<string, { id: string; title: string; done: boolean }>();
    server = await recordingServer((request: Recorded) => {
      if (request.headers["x-api-key"] !== TASKS_KEY) return { status: 401, body: { message: "a wrong key" } };
      const [, id] = /^\/v1\/tasks(?:\/([^/?]+))?$/.exec(request.url) ?? [];
      const body = request.body.length > 0 ? (JSON.parse(request.body.toString()) as Record<string, unknown>) : {};
      if (id === undefined && request.method === "GET") return { body: [...tasks.values()] };
      if (id === undefined && request.method === "POST") {
        const task = { id: String(tasks.size + 1), title: String(body.title), done: body.done === true };
        tasks.set(task.id, task);
        return { status: 201, body: task };
      }
      const task = id === undefined ? undefined : tasks.get(id);
      if (!task) return { status: 404, body: { message: "no such task" } };
      if (request.method === "GET") return { body: task };
      if (request.method === "PATCH") {
        if (typeof body.done === "boolean") task.done = body.done;
        return { body: task };
      }
      tasks.delete(task.id);
      return { status: 204 };
    });
    await writeFile(join(dir, "src/app.ts"), APP);
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));

    const checked = await npx("tsc", "--noEmit");
    expect(checked.output).toBe("");
    expect(checked.code).toBe(0);
    // emit only: the run above checked the types
    const emitted = await npx("tsc", "--noCheck");
    expect(emitted.code, emitted.output).toBe(0);

    const { stdout } = await exec(process.execPath, ["dist/app.js"], {
      cwd: dir,
      env: { ...process.env, TASKS_API_KEY: TASKS_KEY, TASKS_BASE_URL: `${server.url}/v1` },
    });
    expect(stdout.trim().split("\n")).toEqual([
      "created 1: Write the release notes (done: false)",
      "changed 1: done: true",
      "fetched 1: Write the release notes",
      "listed 1 task(s)",
      "deleted 1",
      "after the delete: NotFoundError 404",
      "wrong key: AuthenticationError 401, key in the message: false",
    ]);
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "POST /v1/tasks",
      "PATCH /v1/tasks/1",
      "GET /v1/tasks/1",
      "GET /v1/tasks",
      "DELETE /v1/tasks/1",
      "GET /v1/tasks/1",
      // once: a 401 is not retried
      "GET /v1/tasks",
    ]);
    // the key goes in the scheme's header, and nowhere else
    expect(server.requests.map((request) => request.headers["x-api-key"])).toEqual([
      ...Array<string>(6).fill(TASKS_KEY),
      WRONG_KEY,
    ]);
    expect(server.requests.filter((request) => request.headers.authorization !== undefined)).toEqual([]);
  }, 120_000);

  test("--check exits 1 naming each stale file once the description changes, and 0 once generated again", async () => {
    const before = await generatedFiles("src/tasks");
    await writeFile(join(dir, "tasks.yaml"), TASKS_YAML.replace("summary: List the tasks", "summary: List every task"));

    const stale = await npx(...GENERATE, "--check");
    expect(stale.code, stale.output).toBe(1);
    for (const name of GENERATED)
      expect(stale.output).toMatch(new RegExp(`stale +src/tasks/${name.replace(".", "\\.")}`));
    expect(stale.output).toContain("npx keysmith generate --spec tasks.yaml --name tasks --out src/tasks");
    // --check writes nothing
    expect(await generatedFiles("src/tasks")).toEqual(before);

    const again = await npx(...GENERATE);
    expect(again.code, again.output).toBe(0);
    expect((await generatedFiles("src/tasks")).get("resources.d.ts")).toContain("List every task");
    const fresh = await npx(...GENERATE, "--check");
    expect(fresh.output).toMatch(/4 files up to date for 1 description/);
    expect(fresh.code).toBe(0);
  }, 60_000);

  test("keysmith.config.ts with defineConfig: `npx keysmith generate` alone writes its API; headers say that command", async () => {
    await writeFile(join(dir, "keysmith.config.ts"), CONFIG_TS);
    // the config type-checks against the installed @keysmith/cli
    await writeFile(
      join(dir, "tsconfig.config.json"),
      JSON.stringify({
        extends: "./tsconfig.json",
        compilerOptions: { noEmit: true, rootDir: "." },
        files: ["keysmith.config.ts"],
        include: [],
      }),
    );
    const checked = await npx("tsc", "-p", "tsconfig.config.json");
    expect(checked.code, checked.output).toBe(0);

    const { code, output } = await npx("keysmith", "generate");
    expect(code, output).toBe(0);
    for (const name of GENERATED) expect(output).toContain(`wrote generated/tasks/${name}`);
    const files = await generatedFiles("generated/tasks");
    expect([...files.keys()]).toEqual(GENERATED);
    for (const [name, text] of files) {
      const [first, second] = text.split("\n");
      expect(first, name).toMatch(/^\/\/ Generated by Keysmith from tasks\.yaml /);
      expect(second, name).toMatch(/^\/\/ Do not edit: change the spec and run `npx keysmith generate`\. /);
    }
    // the transpiled config is removed after loading
    expect((await readdir(dir)).filter((name) => name.startsWith(".keysmith.config"))).toEqual([]);
    const check = await npx("keysmith", "generate", "--check");
    expect(check.code, check.output).toBe(0);
  }, 120_000);

  test("npx keysmith mock serves the four APIs with the keys its banner prints, refuses no key, and stops on SIGTERM", async () => {
    const child = spawn("npx", ["keysmith", "mock", "--port", "0", "--quiet"], { cwd: dir, detached: true });
    mock = child;
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
    });
    // the banner's last line
    const stopLine = /^Stop with Ctrl-C or SIGTERM \(pid (\d+)\)\.$/m;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", () => {
        if (stopLine.test(output)) resolve();
      });
      child.once("error", reject);
      child.once("exit", (code, signal) =>
        reject(new Error(`keysmith mock exited (${code ?? signal}) before its banner:\n${output}`)),
      );
    });

    const url = /^Keysmith mock server on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
    expect(url, output).toBeDefined();
    const base = (api: string): string => {
      const found = new RegExp(`^  ${api} +(http://\\S+)$`, "m").exec(output)?.[1];
      if (!found) throw new Error(`the banner names no base URL for ${api}:\n${output}`);
      expect(found.startsWith(`${url}/`), found).toBe(true);
      return found;
    };
    const demoKeys = output.slice(output.indexOf("Demo keys"));
    const key = (name: string): string => {
      const found = new RegExp(`^  ${name.replace(".", "\\.")} +(\\S+)$`, "m").exec(demoKeys)?.[1];
      if (!found) throw new Error(`the banner names no demo key ${name}:\n${output}`);
      return found;
    };

    const calls = [
      {
        api: "epsilon3",
        url: `${base("epsilon3")}/v1/procedures/summary`,
        authorization: `Basic ${Buffer.from(`${key("epsilon3.workspace")}:`).toString("base64")}`,
      },
      { api: "epoch", url: `${base("epoch")}/events/`, authorization: `token ${key("epoch.token")}` },
      {
        api: "getkeymanager",
        url: `${base("getkeymanager")}/get-all-products`,
        authorization: `Bearer ${key("getkeymanager.production")}`,
      },
      { api: "erathos", url: `${base("erathos")}/workspaces/`, authorization: `Api-Key ${key("erathos.key")}` },
    ];
    for (const call of calls) {
      const response = await fetch(call.url, { headers: { Authorization: call.authorization } });
      const body: unknown = await response.json();
      expect(response.status, `${call.api}: ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(200);
      expect(response.status, `${call.api}: ${JSON.stringify(body)}`).toBeLessThan(300);
    }
    const refused = await fetch(`${base("erathos")}/workspaces/`);
    await refused.body?.cancel();
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/Api-Key/);

    // SIGTERM goes to the server the banner names: npm runs the bin through `sh -c`, which relays no signal
    const serverPid = Number(stopLine.exec(output)?.[1]);
    process.kill(serverPid, "SIGTERM");
    expect(await exited, output).toEqual({ code: 0, signal: null });
    expect(output).toContain("stopping…");
    await expect(fetch(`${base("erathos")}/workspaces/`)).rejects.toThrow();
  }, 60_000);
});
