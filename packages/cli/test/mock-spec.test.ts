import { execFile, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../src/main.js";
import { PROJECTS_SPEC } from "./support/projects-spec.js";
import { type RecordingIO, recordingIO } from "./support/recording-io.js";

const KEY = "projects-test-key-1";
/** Runs a real client (asynchronously: the server answering it lives in this process). */
const run = promisify(execFile);
let project: string;
let stop: AbortController;
let serving: Promise<number>;
let base: string;
let recorded: RecordingIO;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "keysmith-mock-spec-"));
  await writeFile(join(project, "projects.openapi.yaml"), PROJECTS_SPEC);
  stop = new AbortController();
  recorded = recordingIO(project, { signal: stop.signal });
  const ready = recorded.waitFor(/^Stop with Ctrl-C/, 0);
  serving = runCli(["mock", "--spec", "projects.openapi.yaml", "--port", "0", "--quiet", "--key", KEY], recorded.io);
  await ready;
  base = /^ {2}projects +(\S+)$/m.exec(recorded.output())?.[1] ?? "";
});
afterAll(async () => {
  stop.abort();
  expect(await serving).toBe(0);
  await rm(project, { recursive: true, force: true });
});

/** A request to the mock with the key (unless `key` says otherwise); the status and the parsed body. */
async function call(
  method: string,
  path: string,
  body?: unknown,
  key: string | null = KEY,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(key === null ? {} : { "X-Projects-Key": key }),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text), headers: response.headers };
}

test("the banner names the API from its file, its base URL from the spec's server, and the key", () => {
  expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/projects\/api$/);
  expect(recorded.output()).toMatch(
    new RegExp(`Keys accepted by projects, in every scheme its spec declares:\\n  ${KEY}`),
  );
  expect(recorded.output()).not.toMatch(/epsilon3|Demo keys/);
});

test("no key and a wrong key are 401 with the scheme's challenge, in problem+json", async () => {
  for (const key of [null, "not-the-key"]) {
    const { status, body, headers } = await call("GET", "/tasks", undefined, key);
    expect(status).toBe(401);
    expect(headers.get("www-authenticate")).toBe('ApiKey realm="Projects API", in="header", name="X-Projects-Key"');
    expect(headers.get("content-type")).toBe("application/problem+json");
    expect(body).toMatchObject({ type: "about:blank", title: "Unauthorized", status: 401 });
  }
  // an operation the spec leaves open needs none, and answers its documented example
  expect(await call("GET", "/status", undefined, null)).toMatchObject({
    status: 200,
    body: { ok: true, version: "2.0.0" },
  });
});

test("create → read → update → replace → list → delete → 404 behaves as an API would", async () => {
  const created = await call("POST", "/tasks", { title: "Write the notes" });
  expect(created.status).toBe(201);
  const task = created.body as { id: number; title: string; done: boolean; createdAt: string };
  // server fields: an integer id (the id's type), the default, a timestamp
  expect(task).toEqual({ id: 1, title: "Write the notes", done: false, createdAt: expect.any(String) });
  expect(Number.isNaN(Date.parse(task.createdAt))).toBe(false);

  expect(await call("GET", "/tasks/1")).toMatchObject({ status: 200, body: task });
  expect(await call("PATCH", "/tasks/1", { done: true })).toMatchObject({ status: 200, body: { ...task, done: true } });
  // a replacement keeps the id and the read-only timestamp, and takes the rest from the body
  const replaced = await call("PUT", "/tasks/1", { title: "Rewrite the notes" });
  expect(replaced.body).toEqual({ id: 1, title: "Rewrite the notes", done: false, createdAt: task.createdAt });
  await call("POST", "/tasks", { title: "Second" });
  const listed = await call("GET", "/tasks");
  expect((listed.body as { id: number }[]).map((item) => item.id)).toEqual([1, 2]);

  expect((await call("DELETE", "/tasks/1")).status).toBe(204);
  const gone = await call("GET", "/tasks/1");
  // the spec documents its 404 without a body: none is sent
  expect([gone.status, gone.body]).toEqual([404, undefined]);
  expect((await call("PATCH", "/tasks/1", { done: false })).status).toBe(404);
  expect((await call("GET", "/tasks")).body).toHaveLength(1);
});

test("an invalid body, or a bad path parameter, is 422 naming the field", async () => {
  const empty = await call("POST", "/tasks", { title: "" });
  expect(empty.status).toBe(422);
  expect(empty.body).toMatchObject({ status: 422, field: "title" });
  expect((await call("POST", "/tasks", { title: "x", colour: "red" })).status).toBe(422);
  expect((await call("POST", "/tasks", { done: true })).status).toBe(422);
  expect((await call("GET", "/tasks/seven")).status).toBe(422);
});

describe("a nested collection", () => {
  test("keeps items per parent, and pages as its list operation's parameters say", async () => {
    for (const text of ["a", "b", "c"]) expect((await call("POST", "/projects/p1/notes", { text })).status).toBe(201);
    await call("POST", "/projects/p2/notes", { text: "other project" });

    const first = (await call("GET", "/projects/p1/notes")).body as {
      items: { text: string; noteId: string }[];
      total: number;
      next: string | null;
    };
    expect(first.items.map((note) => note.text)).toEqual(["a", "b"]);
    expect(first.total).toBe(3);
    expect(first.items[0]?.noteId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.next).toMatch(/\/projects\/p1\/notes\?page=2$/);
    const second = (await call("GET", "/projects/p1/notes?page=2")).body as { items: { text: string }[]; next: null };
    expect(second).toMatchObject({ items: [{ text: "c" }], next: null });
    expect((await call("GET", "/projects/p2/notes")).body).toMatchObject({
      total: 1,
      items: [{ text: "other project" }],
    });
  });
});

test("a cursor list hands out cursors until the last page, and refuses one it did not issue", async () => {
  for (const name of ["a", "b", "c", "d", "e"]) await call("POST", "/events", { name });
  const seen: string[] = [];
  let path = "/events";
  for (let pages = 0; pages < 5; pages++) {
    const page = (await call("GET", path)).body as { data: { name: string }[]; next_cursor: string | null };
    seen.push(...page.data.map((event) => event.name));
    if (page.next_cursor === null) break;
    path = `/events?cursor=${encodeURIComponent(page.next_cursor)}`;
  }
  expect(seen).toEqual(["a", "b", "c", "d", "e"]);
  expect(await call("GET", "/events?cursor=forged")).toMatchObject({ status: 422, body: { field: "cursor" } });
});

test("a list without a way to create is seeded with generated items, paged by offset and limit", async () => {
  const all = (await call("GET", "/logs?limit=10")).body as { id: number; line: string }[];
  expect(all).toHaveLength(3);
  for (const log of all) expect(log.line.length).toBeGreaterThanOrEqual(3);
  expect((await call("GET", "/logs?offset=1&limit=1")).body).toEqual([all[1]]);
  // the same seed gives the same data, run after run
  const again = recordingIO(project);
  const stopAgain = new AbortController();
  const ready = again.waitFor(/^Stop with Ctrl-C/, 0);
  const running = runCli(["mock", "--spec", "projects.openapi.yaml", "--port", "0", "--quiet", "--key", KEY], {
    ...again.io,
    signal: stopAgain.signal,
  });
  await ready;
  const otherBase = /^ {2}projects +(\S+)$/m.exec(again.output())?.[1] ?? "";
  const fresh = await fetch(`${otherBase}/logs?limit=10`, { headers: { "X-Projects-Key": KEY } });
  expect(await fresh.json()).toEqual(all);
  stopAgain.abort();
  expect(await running).toBe(0);
});

test.runIf(spawnSync("curl", ["--version"]).error === undefined)(
  "curl, a client Keysmith did not write, creates and reads through the header key, and is refused without it",
  async () => {
    const curl = async (...args: string[]) => {
      const { stdout } = await run("curl", ["--silent", "--write-out", "\n%{http_code}", ...args]);
      const lines = stdout.split("\n");
      return { status: lines.pop(), body: lines.join("\n") };
    };
    const created = await curl(
      ...["-H", `X-Projects-Key: ${KEY}`, "-H", "Content-Type: application/json"],
      ...["--data", '{"title":"From curl"}', `${base}/tasks`],
    );
    expect(created.status).toBe("201");
    const { id } = JSON.parse(created.body) as { id: number };
    const read = await curl("-H", `X-Projects-Key: ${KEY}`, `${base}/tasks/${id}`);
    expect([read.status, JSON.parse(read.body)]).toEqual(["200", expect.objectContaining({ id, title: "From curl" })]);
    const refused = await curl("--include", `${base}/tasks/${id}`);
    expect(refused.status).toBe("401");
    expect(refused.body).toMatch(
      /^www-authenticate: ApiKey realm="Projects API", in="header", name="X-Projects-Key"\r?$/im,
    );
  },
);

test("--explain prints each resource, its id and the operations that drive it", async () => {
  const explained = recordingIO(project);
  expect(await runCli(["mock", "--spec", "projects.openapi.yaml", "--explain"], explained.io)).toBe(0);
  expect(explained.output()).toBe(
    [
      "projects (Projects API): 12 operation(s)",
      "  resource tasks: /tasks + /tasks/{taskId}",
      '    id: field "id", path parameter {taskId}',
      "    create   createTask",
      "    list     listTasks (an array, all at once)",
      "    read     getTask",
      "    update   updateTask",
      "    replace  replaceTask",
      "    delete   deleteTask",
      "  resource notes: /projects/{projectId}/notes",
      '    id: field "noteId"',
      "    kept per parent: {projectId}",
      "    create   createNote",
      '    list     listNotes (items in "items", paged by page and per_page)',
      "  resource events: /events",
      '    id: field "id"',
      "    create   createEvent",
      '    list     listEvents (items in "data", paged by the cursor cursor and limit)',
      "  resource logs: /logs",
      '    id: field "id"',
      "    list     listLogs (an array, paged by offset and limit)",
      "  answered from the spec's examples, else generated from its schemas:",
      "    GET    /status (getStatus)",
    ].join("\n"),
  );
});

test("a description that is not one fails naming its file and pointer", async () => {
  await writeFile(
    join(project, "broken.yaml"),
    PROJECTS_SPEC.replace('$ref: "#/components/schemas/Note"', '$ref: "#/components/schemas/Nope"'),
  );
  const broken = recordingIO(project);
  expect(await runCli(["mock", "--spec", "broken.yaml", "--port", "0"], broken.io)).toBe(1);
  expect(broken.output()).toMatch(
    /keysmith mock: invalid description:\nbroken\.yaml:\d+ at #\/.*\$ref "#\/components\/schemas\/Nope" does not resolve/,
  );
  const missing = recordingIO(project);
  expect(await runCli(["mock", "--spec", "nope.yaml"], missing.io)).toBe(1);
  expect(missing.output()).toMatch(/nope\.yaml at #: cannot read the file \(ENOENT\)/);
});
