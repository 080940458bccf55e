import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { binOf, rootResolve } from "./peers.js";
import { compareRows, type Row } from "./report.js";
import { interleave, type Settings, summarize, timeCommand } from "./stats.js";

const SPECS = ["epoch", "epsilon3", "erathos", "getkeymanager"];

/**
 * Generation time: our whole `generate` (types, operation tables, clients, mock routes) against the
 * openapi-typescript CLI alone, orval and @hey-api/openapi-ts generating fetch clients; on GitHub's 13 MB
 * description and on our four specs; plus a regeneration with nothing changed.
 */
export async function benchGeneration(settings: Settings): Promise<Row[]> {
  const { root } = settings;
  const dir = join(settings.scratch, "generation");
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const github = rootResolve("@octokit/openapi/generated/api.github.com.json");
  const node = process.execPath;
  const generate = join(root, "scripts", "generate.mjs");
  const ots = binOf("openapi-typescript", "openapi-typescript", "root");
  const orval = binOf("orval", "orval");
  const heyApi = binOf("@hey-api/openapi-ts", "openapi-ts");
  const run = (args: string[]) => async () => (await timeCommand(node, args, root)).seconds;

  // the four specs, each tool in one process
  const repo = join(dir, "repo");
  await cp(join(root, "specs"), join(repo, "specs"), { recursive: true });
  await cp(join(root, "keysmith.config.json"), join(repo, "keysmith.config.json"));
  const specPath = (name: string) => join(repo, "specs", `${name}.openapi.yaml`);
  await writeFile(
    join(dir, "redocly.yaml"),
    `apis:\n${SPECS.map((name) => `  ${name}@v1:\n    root: ${specPath(name)}\n    x-openapi-ts:\n      output: ${join(dir, "ots4", `${name}.ts`)}\n`).join("")}`,
  );
  await writeFile(
    join(dir, "orval.config.mjs"),
    `export default {\n${SPECS.map((name) => `  ${name}: { input: ${JSON.stringify(specPath(name))}, output: { target: ${JSON.stringify(join(dir, "orval4", `${name}.ts`))}, client: "fetch" } },`).join("\n")}\n};\n`,
  );
  settings.log("generation: GitHub's description (13 MB)…");
  const big = await interleave(settings, {
    ours: run([generate, "--force", "--spec", github, "--name", "github", "--out", join(dir, "ours-gh")]),
    ots: run([ots, github, "-o", join(dir, "ots-gh.ts")]),
    orval: run([orval, "-i", github, "-o", join(dir, "orval-gh", "github.ts"), "--client", "fetch"]),
    heyApi: run([heyApi, "-i", github, "-o", join(dir, "hey-gh"), "-c", "@hey-api/client-fetch", "-s"]),
  });
  settings.log("generation: the four specs…");
  const four = await interleave(settings, {
    ours: run([generate, "--force", "--config", join(repo, "keysmith.config.json")]),
    ots: run([ots, "--redocly", join(dir, "redocly.yaml")]),
    orval: run([orval, "--config", join(dir, "orval.config.mjs")]),
    heyApi: run([
      heyApi,
      "-i",
      ...SPECS.map(specPath),
      "-o",
      ...SPECS.map((name) => join(dir, "hey4", name)),
      "-c",
      "@hey-api/client-fetch",
      "-s",
    ]),
  });
  settings.log("generation: no-op regeneration…");
  const noop = await interleave(settings, {
    generator: run([generate, "--config", join(repo, "keysmith.config.json")]),
    npmRun: async () =>
      (await timeCommand("npm", ["run", "-s", "generate", "--", "--config", join(repo, "keysmith.config.json")], root))
        .seconds,
    nodeStartup: run(["-e", "0"]),
  });

  const rows: Row[] = [];
  for (const [label, samples] of [
    ["GitHub (13 MB, 1,100+ operations)", big],
    ["the four specs", four],
  ] as const) {
    const faster = (r: number) => r < 1;
    rows.push(
      ...compareRows("Generation", `full generate, ${label}`, summarize(samples.ours, "s"), "s", [
        { name: "openapi-typescript CLI alone", samples: samples.ots, goal: "≤ 1.25×", isMet: (r) => r <= 1.25 },
        { name: "orval (fetch client)", samples: samples.orval, goal: "< 1× (faster)", isMet: faster },
        { name: "@hey-api/openapi-ts (fetch client)", samples: samples.heyApi, goal: "< 1× (faster)", isMet: faster },
      ]),
    );
  }
  const generator = summarize(noop.generator, "s");
  rows.push({
    section: "Generation",
    figure: "no-op regeneration (`node scripts/generate.mjs`)",
    ours: generator,
    peer: { name: "bare `node -e 0`", value: summarize(noop.nodeStartup, "s") },
    ratio: undefined,
    goal: "< 0.3 s",
    met: generator.median < 0.3,
  });
  const npmRun = summarize(noop.npmRun, "s");
  rows.push({
    section: "Generation",
    figure: "no-op regeneration through `npm run generate`",
    ours: npmRun,
    peer: undefined,
    ratio: undefined,
    goal: "< 0.3 s",
    met: npmRun.median < 0.3,
    note: "includes npm's own start-up",
  });
  return rows;
}
