import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { runCli } from "../src/main.js";
import { type RecordingIO, recordingIO } from "./support/recording-io.js";
import { tinySpec } from "./support/tiny-spec.js";

let project: string;
let stop: AbortController;
let watching: Promise<number> | undefined;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), "keysmith-watch-"));
  stop = new AbortController();
});
afterEach(async () => {
  stop.abort();
  await watching;
  watching = undefined;
  await rm(project, { recursive: true, force: true });
});

/** Starts `keysmith generate --watch …` in-process; resolves once it says it is watching. */
async function startWatch(...args: string[]): Promise<RecordingIO> {
  const recorded = recordingIO(project, { signal: stop.signal });
  const ready = recorded.waitFor(/watching \d+ file\(s\) for changes/, 0);
  watching = runCli(["generate", "--watch", ...args], recorded.io);
  await ready;
  return recorded;
}

test("--watch regenerates after a spec edit, survives a broken spec, and recovers on the next good save", async () => {
  const spec = join(project, "todo.yaml");
  await writeFile(spec, tinySpec());
  const watch = await startWatch("--spec", "todo.yaml", "--name", "todo", "--out", "out");
  expect(watch.output()).toMatch(/4 file\(s\) written for 1 description\(s\)/);

  // an edit: regenerated, with the new summary
  let mark = watch.lines.length;
  await writeFile(spec, tinySpec("Todo API", "List all the todos"));
  await watch.waitFor(/file\(s\) written for 1 description/, mark);
  expect(await readFile(join(project, "out", "resources.d.ts"), "utf8")).toMatch(/List all the todos/);

  // a broken save: the problem, with file and pointer; the last good output stays
  mark = watch.lines.length;
  await writeFile(
    spec,
    tinySpec().replace('$ref: "#/components/schemas/Todo" }', '$ref: "#/components/schemas/Nope" }'),
  );
  const problem = await watch.waitFor(/invalid description, nothing written/, mark);
  expect(watch.lines.slice(watch.lines.indexOf(problem)).join("\n")).toMatch(
    /todo\.yaml:\d+ at #\/paths\/~1todos\/get\/.*\$ref "#\/components\/schemas\/Nope" does not resolve/,
  );
  expect(await readFile(join(project, "out", "resources.d.ts"), "utf8")).toMatch(/List all the todos/);

  // still watching: the fix regenerates
  mark = watch.lines.length;
  await writeFile(spec, tinySpec("Todo API", "List todos, fixed"));
  await watch.waitFor(/file\(s\) written for 1 description/, mark);
  expect(await readFile(join(project, "out", "resources.d.ts"), "utf8")).toMatch(/List todos, fixed/);

  stop.abort();
  expect(await watching).toBe(0);
});

test("--watch follows the config: an API added to it is generated, a broken config is reported and fixed", async () => {
  await writeFile(join(project, "todo.yaml"), tinySpec());
  await writeFile(join(project, "notes.yaml"), tinySpec("Notes API"));
  const config = join(project, "keysmith.config.json");
  const todo = { name: "todo", spec: "todo.yaml", out: "src/todo" };
  await writeFile(config, JSON.stringify({ apis: [todo] }));
  const watch = await startWatch();

  let mark = watch.lines.length;
  await writeFile(config, JSON.stringify({ apis: [todo, { name: "notes", spec: "notes.yaml", out: "src/notes" }] }));
  await watch.waitFor(/4 file\(s\) written for 2 description\(s\); 1 unchanged/, mark);

  mark = watch.lines.length;
  await writeFile(config, JSON.stringify({ apis: [{ ...todo, spec: 7 }] }));
  await watch.waitFor(/keysmith\.config\.json: not a Keysmith config/, mark);

  mark = watch.lines.length;
  await writeFile(config, JSON.stringify({ apis: [todo] }));
  await watch.waitFor(/0 file\(s\) written for 1 description\(s\); 1 unchanged/, mark);
});

test("a change to a file beside the spec (one it may $ref) regenerates that spec", async () => {
  await writeFile(
    join(project, "todo.yaml"),
    tinySpec().replace(
      "    Todo:\n      type: object\n      required: [id, title]\n      properties:\n        id: { type: string }\n        title: { type: string }\n",
      '    Todo: { $ref: "./todo-schema.yaml" }\n',
    ),
  );
  const schema = (extra: string) =>
    `type: object\nrequired: [id, title]\nproperties:\n  id: { type: string }\n  title: { type: string }\n${extra}`;
  await writeFile(join(project, "todo-schema.yaml"), schema(""));
  const watch = await startWatch("--spec", "todo.yaml", "--name", "todo", "--out", "out");
  expect(await readFile(join(project, "out", "types.d.ts"), "utf8")).not.toMatch(/done/);

  const mark = watch.lines.length;
  await writeFile(join(project, "todo-schema.yaml"), schema("  done: { type: boolean }\n"));
  await watch.waitFor(/file\(s\) written for 1 description/, mark);
  expect(await readFile(join(project, "out", "types.d.ts"), "utf8")).toMatch(/done\?: boolean/);
});

test("--watch with --check is refused, and with nothing to watch it exits", async () => {
  const recorded = recordingIO(project);
  expect(await runCli(["generate", "--watch", "--check"], recorded.io)).toBe(2);
  expect(recorded.output()).toMatch(/--check and --watch cannot be used together/);
  expect(await runCli(["generate", "--watch"], recorded.io)).toBe(2);
  expect(recorded.output()).toMatch(/no keysmith\.config\.json/);
  expect(recorded.output()).toMatch(/nothing to watch/);
});
