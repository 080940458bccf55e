/**
 * Every code block of the READMEs compiles: TypeScript and JavaScript blocks are type-checked with the
 * repository's strict settings, JSON configs are validated as `keysmith generate` validates a config. The
 * markers a block can carry (`continues`, `generate … as …`, `skip (…)`) are described in
 * support/readme-snippets.ts.
 */
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  checkSnippets,
  describeSnippet,
  extractSnippets,
  readmes,
  type Snippet,
  type SnippetResult,
} from "./support/readme-snippets.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = join(root, ".tmp", "readme-snippets");

const snippets = readmes(root).flatMap(extractSnippets);

/** A README of its own, checked in the same program: the test must be able to fail, and say where. */
const SYNTHETIC = [
  "# Synthetic", // 1
  "", // 2
  "```ts", // 3
  'import { Erathos } from "@keysmith/sdk";', // 4
  "", // 5
  "const erathos = new Erathos();", // 6
  "```", // 7
  "", // 8
  "<!-- snippet: continues -->", // 9
  "```ts", // 10
  "await erathos.jobs.list({});", // 11
  "await erathos.jobs.launch({});", // 12
  "```", // 13
  "", // 14
  "```typescript", // 15
  'import { Erathos } from "@keysmith/sdk";', // 16
  "new Erathos().frobnicate();", // 17
  "```", // 18
  "", // 19
  "```json", // 20
  '{ "apis": [{ "name": "1tasks", "spec": "tasks.yaml", "out": "src/tasks" }] }', // 21
  "```", // 22
  "", // 23
  "## Another section", // 24
  "", // 25
  "<!-- snippet: continues -->", // 26
  "```ts", // 27
  "await erathos.jobs.list({});", // 28
  "```", // 29
].join("\n");
const synthetic = extractSnippets({ file: "synthetic.md", text: SYNTHETIC });

let results: ReadonlyMap<Snippet, SnippetResult>;

beforeAll(async () => {
  const checked = await checkSnippets([...snippets, ...synthetic], root, dir);
  results = new Map(checked.map((result) => [result.snippet, result]));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function problemsOf(snippet: Snippet | undefined): string[] {
  if (!snippet) throw new Error("no such snippet");
  const result = results.get(snippet);
  if (!result) throw new Error(`${describeSnippet(snippet)} was not checked`);
  return result.problems;
}

describe("README snippets", () => {
  // a block marked skip is not compiled; which ones are is asserted below, with their reasons
  for (const snippet of snippets.filter((candidate) => candidate.skip === undefined)) {
    test(describeSnippet(snippet), () => {
      expect(problemsOf(snippet)).toEqual([]);
    });
  }
});

test("the extractor finds every snippet of the READMEs", () => {
  const count = (file: string) => snippets.filter((snippet) => snippet.file === file).length;
  expect(count("README.md")).toBeGreaterThanOrEqual(15);
  expect(count("packages/sdk/README.md")).toBeGreaterThanOrEqual(1);
  expect(count("packages/mock-server/README.md")).toBeGreaterThanOrEqual(1);
  if (existsSync(join(root, "packages/cli/README.md")))
    expect(count("packages/cli/README.md")).toBeGreaterThanOrEqual(2);
  expect(snippets.filter((snippet) => snippet.kind === "config").length).toBeGreaterThanOrEqual(1);
  // skipping a block is the exception: a new one should be a decision, made here too
  expect(snippets.filter((snippet) => snippet.skip !== undefined).map((snippet) => snippet.skip)).toEqual([
    "pino is the reader's logger: this repository does not install it",
  ]);
  const tasks = snippets.find((snippet) => snippet.code.includes('from "./tasks/client.js"'));
  expect(tasks?.generate).toEqual({ description: "examples/own-api/tasks.yaml", name: "tasks" });
  expect(tasks?.skip).toBeUndefined();
});

describe("a broken snippet fails, naming its README line", () => {
  test("a complete block compiles, and a block continuing it sees its names", () => {
    expect(synthetic.map((snippet) => snippet.line)).toEqual([3, 10, 15, 20, 27]);
    expect(problemsOf(synthetic[0])).toEqual([]);
  });

  test("a method that does not exist, in a continuing block", () => {
    const problems = problemsOf(synthetic[1]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^synthetic\.md:12:\d+ \(the block at line 10\): TS2339 .*'launch'/);
  });

  test("a method that does not exist on new Erathos()", () => {
    const problems = problemsOf(synthetic[2]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^synthetic\.md:17:15 \(the block at line 15\): TS2339 .*'frobnicate'/);
  });

  test("a config the CLI would refuse", () => {
    expect(problemsOf(synthetic[3]).join("\n")).toMatch(/synthetic\.md:20 \(json config\).*\n.*apis\[0\]\.name/);
  });

  test("a block that continues across a heading", () => {
    expect(problemsOf(synthetic[4])).toEqual([
      'synthetic.md:27 (ts): marked "continues", but no checked block in its language comes before it in its section (## Another section)',
    ]);
  });
});

describe("markers", () => {
  const extract = (text: string) => () => extractSnippets({ file: "markers.md", text });

  test("an unknown marker is refused", () => {
    expect(extract("<!-- snippet: continue -->\n```ts\n```")).toThrow(/markers\.md:2: unknown snippet marker/);
  });

  test("a skip must say why", () => {
    expect(extract("<!-- snippet: skip -->\n```ts\n```")).toThrow(/unknown snippet marker "skip"/);
    expect(extract("<!-- snippet: skip ( ) -->\n```ts\n```")).toThrow(/unknown snippet marker/);
    expect(extractSnippets({ file: "m.md", text: "<!-- snippet: skip (why) -->\n```ts\n```" })[0]?.skip).toBe("why");
  });

  test("a marker that is not right above a block is refused", () => {
    expect(extract("<!-- snippet: continues -->\n\n```ts\n```")).toThrow(
      /markers\.md:1: a snippet marker must be on the line right above/,
    );
    expect(extract("<!-- snippet:\ncontinues -->\n```ts\n```")).toThrow(
      /markers\.md:1: a snippet marker must be one line/,
    );
    expect(extractSnippets({ file: "m.md", text: "```md\n<!-- snippet: continues -->\n```" })).toEqual([]);
  });

  test("a marker above a block that is not checked is refused", () => {
    expect(extract("<!-- snippet: continues -->\n```sh\nls\n```")).toThrow(/markers\.md:2: a snippet marker above/);
  });
});
