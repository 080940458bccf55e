import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runGenerator } from "../support/run-generator.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const scratch = join(root, ".tmp", "generate-test");

/** Runs the generator in-process, from the repository's root, and keeps what it printed. */
function generate(...args: string[]): Promise<{ code: number; output: string }> {
  return generateIn(root, ...args);
}

/** Runs the generator in-process from `cwd` and keeps what it printed. */
async function generateIn(cwd: string, ...args: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await runGenerator(args, { log: (line) => lines.push(line), error: (line) => lines.push(line) }, cwd);
  return { code, output: lines.join("\n") };
}

beforeAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

test("the repository's generated files match its specs", async () => {
  const { code, output } = await generate("--check");
  expect(output).toMatch(/22 files up to date for 4 description/);
  expect(code).toBe(0);
});

describe("--check names every stale, missing or unexpected file of every API", () => {
  const repo = join(scratch, "repo");

  beforeAll(async () => {
    await cp(join(root, "specs"), join(repo, "specs"), { recursive: true });
    await cp(join(root, "keysmith.config.json"), join(repo, "keysmith.config.json"));
    expect((await generate("--config", join(repo, "keysmith.config.json"))).code).toBe(0);
    expect((await generate("--config", join(repo, "keysmith.config.json"), "--check")).code).toBe(0);
  });

  test("touching two specs makes the files of both stale, and generate mends them", async () => {
    for (const name of ["epoch", "erathos"]) {
      const file = join(repo, "specs", `${name}.openapi.yaml`);
      await writeFile(
        file,
        (await readFile(file, "utf8"))
          .replace("summary: List teams", "summary: List all teams")
          .replace("summary: List jobs", "summary: List all jobs"),
      );
    }
    await rm(join(repo, "packages/mock-server/src/generated/epsilon3/routes.ts"));
    await writeFile(join(repo, "packages/sdk/src/generated/epoch/extra.ts"), "export {};\n");

    const { code, output } = await generate("--config", join(repo, "keysmith.config.json"), "--check");
    expect(code).toBe(1);
    for (const file of ["api.ts", "client.ts", "resources.d.ts", "types.d.ts"]) {
      expect(output).toMatch(new RegExp(`stale +\\S*packages/sdk/src/generated/epoch/${file}`));
      expect(output).toMatch(new RegExp(`stale +\\S*packages/sdk/src/generated/erathos/${file}`));
    }
    expect(output).toMatch(/missing +\S*packages\/mock-server\/src\/generated\/epsilon3\/routes\.ts/);
    expect(output).toMatch(/unexpected +\S*packages\/sdk\/src\/generated\/epoch\/extra\.ts/);
    expect(output).not.toMatch(/epsilon3\/(api|client|resources|types)/);

    await rm(join(repo, "packages/sdk/src/generated/epoch/extra.ts"));
    expect((await generate("--config", join(repo, "keysmith.config.json"))).code).toBe(0);
    expect((await generate("--config", join(repo, "keysmith.config.json"), "--check")).code).toBe(0);
  });

  test("an operation of the repository's specs without x-keysmith-source is refused, naming it", async () => {
    const file = join(repo, "specs", "erathos.openapi.yaml");
    const text = await readFile(file, "utf8");
    const stripped = text.replace(/(operationId: listSecrets\n)\s+x-keysmith-source:\n\s+modelled: .*\n/, "$1");
    expect(stripped).not.toBe(text);
    await writeFile(file, stripped);
    const { code, output } = await generate("--config", join(repo, "keysmith.config.json"));
    expect(code).toBe(1);
    expect(output).toMatch(
      /erathos\.openapi\.yaml:\d+ at #\/paths\/~1workspaces~1\{workspace_id\}~1secrets~1\/get\/x-keysmith-source: missing/,
    );
    // a description of one's own (--spec) need not say
    const { code: external } = await generate("--spec", file, "--name", "erathos", "--out", join(scratch, "own"));
    expect(external).toBe(0);
    await writeFile(file, text);
  });
});

test("provenance reaches the operation table and the method's doc comment", async () => {
  const { epsilon3Api } = await import("../../packages/sdk/src/generated/epsilon3/api.js");
  expect([epsilon3Api.operations.endRun?.source, epsilon3Api.operations.listParts?.source]).toEqual([
    "modelled",
    "documented",
  ]);
  const resources = await readFile(join(root, "packages/sdk/src/generated/epsilon3/resources.d.ts"), "utf8");
  expect(resources).toMatch(/Modelled: not in the vendor's public documentation[^*]*\n[\s\S]*?end\(input/);
  expect(resources).toMatch(/Documented: https:\/\/docs\.epsilon3\.io\/#get-parts/);
});

describe("a broken spec fails with its file and JSON pointer, and the old output survives", () => {
  const good = join(root, "specs", "epsilon3.openapi.yaml");
  const spec = join(scratch, "broken.openapi.yaml");
  const out = join(scratch, "broken-out");

  test.each([
    [
      "bad YAML",
      (text: string) => text.replace("  /v1/dictionaries:\n", "  /v1/dictionaries:\n    get: [unclosed\n"),
      /bad YAML/,
      /#\/paths\/~1v1~1dictionaries/,
    ],
    [
      "a dangling $ref",
      (text: string) =>
        text.replace(
          'items: { $ref: "#/components/schemas/Dictionary" }',
          'items: { $ref: "#/components/schemas/Nope" }',
        ),
      /\$ref "#\/components\/schemas\/Nope" does not resolve/,
      /#\/paths\/~1v1~1dictionaries\/get\/responses\/200\/content\/application~1json\/schema\/items\/\$ref/,
    ],
    [
      "a missing security scheme",
      (text: string) => text.replace("  - epsilon3Basic: []", "  - epsilon3Token: []"),
      /"epsilon3Token" is not declared/,
      /#\/security\/0\/epsilon3Token/,
    ],
    [
      "a result-code extension naming an unknown error class",
      (text: string) =>
        text.replace(
          "x-keysmith-client-name: Epsilon3",
          "x-keysmith-client-name: Epsilon3\nx-keysmith-result-code: { code: /code, errors: { '1': NopeError } }",
        ),
      /must be one of APIError, BadRequestError/,
      /#\/x-keysmith-result-code\/errors\/1/,
    ],
    [
      "an operation whose security names an undeclared scheme",
      (text: string) =>
        text.replace(
          "      operationId: listDictionaries\n",
          "      operationId: listDictionaries\n      security: [{ nope: [] }]\n",
        ),
      /"nope" is not declared/,
      /#\/paths\/~1v1~1dictionaries\/get\/security\/0\/nope/,
    ],
  ])("%s", async (_case, breakIt, problem, pointer) => {
    const text = await readFile(good, "utf8");
    await writeFile(spec, text);
    expect((await generate("--spec", spec, "--name", "broken", "--out", out)).code).toBe(0);
    const before = await readFile(join(out, "types.d.ts"), "utf8");

    const broken = breakIt(text);
    expect(broken).not.toBe(text);
    await writeFile(spec, broken);
    const { code, output } = await generate("--spec", spec, "--name", "broken", "--out", out);
    expect(code).toBe(1);
    expect(output).toContain("broken.openapi.yaml");
    expect(output).toMatch(problem);
    expect(output).toMatch(pointer);
    expect(output).toMatch(/broken\.openapi\.yaml:\d+ at #/);
    expect(await readFile(join(out, "types.d.ts"), "utf8")).toBe(before);
  });

  test("every problem of a spec is reported in one run", async () => {
    const text = (await readFile(good, "utf8"))
      .replace(
        "      operationId: listDictionaries\n",
        "      operationId: listDictionaries\n      security: [{ a: [] }]\n",
      )
      .replace("      operationId: listCommands\n", "      operationId: listCommands\n      security: [{ b: [] }]\n");
    await writeFile(spec, text);
    const { output } = await generate("--spec", spec, "--name", "broken", "--out", out);
    expect(output).toMatch(/~1v1~1dictionaries\/get/);
    expect(output).toMatch(/~1v1~1commands\/get/);
  });

  test("--spec, --name and --out go together", async () => {
    const { code, output } = await generate("--spec", spec);
    expect(code).toBe(2);
    expect(output).toContain("--name, --out missing");
  });

  test("a file that does not exist is named", async () => {
    const { code, output } = await generate("--spec", join(scratch, "nope.yaml"), "--name", "nope", "--out", out);
    expect(code).toBe(1);
    expect(output).toMatch(/nope\.yaml at #: cannot read the file \(ENOENT\)/);
  });
});

test("an unchanged target is skipped, and a hand-edited output is regenerated", async () => {
  const spec = join(root, "specs", "erathos.openapi.yaml");
  const out = join(scratch, "skip");
  expect((await generate("--spec", spec, "--name", "erathos", "--out", out)).output).toMatch(/4 file\(s\) written/);
  expect((await generate("--spec", spec, "--name", "erathos", "--out", out)).output).toMatch(
    /0 file\(s\) written for 1 description\(s\); 1 unchanged/,
  );
  const client = join(out, "client.ts");
  const generated = await readFile(client, "utf8");
  await writeFile(client, generated.replace("export class Erathos", "export class Hacked"));
  const { output } = await generate("--spec", spec, "--name", "erathos", "--out", out);
  expect(output).toMatch(/wrote \S*client\.ts/);
  expect(output).toMatch(/1 file\(s\) written/);
  expect(await readFile(client, "utf8")).toBe(generated);
});

test("generation is deterministic, and the same command from another folder (or machine) writes the same files", async () => {
  // two copies of one project in different places: relative paths in, identical files out
  const projects = [join(scratch, "det-a"), join(scratch, "det-b", "nested")];
  for (const project of projects) {
    await mkdir(join(project, "api"), { recursive: true });
    await cp(join(root, "specs", "getkeymanager.openapi.yaml"), join(project, "api", "gkm.yaml"));
    const { code } = await generateIn(project, "--spec", "api/gkm.yaml", "--name", "gkm", "--out", "src/gkm");
    expect(code).toBe(0);
  }
  const [a, b] = projects.map((project) => join(project ?? "", "src", "gkm"));
  for (const file of ["api.ts", "client.ts", "resources.d.ts", "types.d.ts"]) {
    expect(await readFile(join(a ?? "", file), "utf8")).toBe(await readFile(join(b ?? "", file), "utf8"));
  }
  expect(await readFile(join(a ?? "", "types.d.ts"), "utf8")).toMatch(
    /^\/\/ Generated by Keysmith from api\/gkm\.yaml \(sha256:[0-9a-f]{16}\)\.\n\/\/ Do not edit: change the spec and run `npx keysmith generate --spec api\/gkm\.yaml --name gkm --out src\/gkm`\./,
  );
});
