import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { binOf, rootResolve } from "./peers.js";
import { type Row, ratioRow } from "./report.js";
import { interleave, type Settings, summarize, timeCommand } from "./stats.js";

const CALLS = [
  [
    "repos.get",
    `{ owner: "octokit", repo: "rest.js" }`,
    `"/repos/{owner}/{repo}", { params: { path: { owner: "octokit", repo: "rest.js" } } }`,
  ],
  [
    "issues.listForRepo",
    `{ owner: "octokit", repo: "rest.js", state: "open", per_page: 10 }`,
    `"/repos/{owner}/{repo}/issues", { params: { path: { owner: "octokit", repo: "rest.js" }, query: { state: "open", per_page: 10 } } }`,
  ],
  [
    "pulls.list",
    `{ owner: "octokit", repo: "rest.js" }`,
    `"/repos/{owner}/{repo}/pulls", { params: { path: { owner: "octokit", repo: "rest.js" } } }`,
  ],
] as const;

/**
 * Type-checking cost: `tsc --noEmit` of a small app making the same typed calls on GitHub's API, through
 * our generated client and through bare openapi-fetch on openapi-typescript's types.
 */
export async function benchTypecheck(settings: Settings): Promise<Row[]> {
  const dir = join(settings.scratch, "typecheck");
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const github = rootResolve("@octokit/openapi/generated/api.github.com.json");
  const node = process.execPath;
  await timeCommand(
    node,
    ["scripts/generate.mjs", "--spec", github, "--name", "github", "--out", join(dir, "sdk", "github")],
    settings.root,
  );
  const ots = binOf("openapi-typescript", "openapi-typescript", "root");
  await timeCommand(node, [ots, github, "-o", join(dir, "bare", "github.ts")], settings.root);
  await timeCommand(node, [ots, github, "-o", join(dir, "bare-dts", "github.d.ts")], settings.root);

  await writeFile(
    join(dir, "sdk", "app.ts"),
    `import { Github } from "./github/client.js";\nconst github = new Github({ apiKey: "x" });\n${CALLS.map(([method, args], i) => `export const r${i} = await github.${method}(${args});`).join("\n")}\n`,
  );
  const bareApp = `import createClient from "openapi-fetch";\nimport type { paths } from "./github.js";\nconst github = createClient<paths>({ baseUrl: "https://api.github.com" });\n${CALLS.map(([, , args], i) => `export const r${i} = await github.GET(${args});`).join("\n")}\n`;
  await writeFile(join(dir, "bare", "app.ts"), bareApp);
  await writeFile(join(dir, "bare-dts", "app.ts"), bareApp);
  const base = join(settings.root, "tsconfig.base.json");
  // what an app gets from the published package: its declarations
  const core = join(settings.root, "packages/sdk/dist/core.d.ts");
  for (const [name, paths] of [
    ["sdk", { "@keysmith/sdk/core": [core] }],
    ["bare", {}],
    ["bare-dts", {}],
  ] as const) {
    await writeFile(
      join(dir, name, "tsconfig.json"),
      JSON.stringify({ extends: base, compilerOptions: { noEmit: true, paths }, files: ["app.ts"] }),
    );
  }

  const tsc = binOf("typescript", "tsc", "root");
  const check = (name: string) => async () => {
    const { stdout } = await timeCommand(
      node,
      [tsc, "-p", join(dir, name, "tsconfig.json"), "--extendedDiagnostics"],
      settings.root,
    );
    const seconds = Number(/Total time:\s+([\d.]+)s/.exec(stdout)?.[1]);
    const memoryKb = Number(/Memory used:\s+(\d+)K/.exec(stdout)?.[1]);
    return { seconds, memoryMb: memoryKb / 1024 };
  };
  settings.log("typecheck: tsc --noEmit, SDK client vs bare openapi-fetch…");
  const memory: Record<string, number[]> = { sdk: [], bare: [], "bare-dts": [] };
  const measured = (name: string) => async () => {
    const result = await check(name)();
    memory[name]?.push(result.memoryMb);
    return result.seconds;
  };
  const times = await interleave(settings, {
    sdk: measured("sdk"),
    bare: measured("bare"),
    bareDts: measured("bare-dts"),
  });
  const figure = "`tsc --noEmit` of an app making 3 typed GitHub calls";
  const ours = { time: summarize(times.sdk, "s"), memory: summarize(memory.sdk ?? [], "MB") };
  const peers = [
    [
      "bare openapi-fetch, types in `github.ts` (openapi-typescript's usual output)",
      times.bare,
      memory.bare ?? [],
      "≤ 1.1×",
    ],
    ["bare openapi-fetch, types saved as `github.d.ts`, as ours are", times.bareDts, memory["bare-dts"] ?? [], "info"],
  ] as const;
  return peers.flatMap(([peer, peerTimes, peerMemory, goal]) => {
    const isMet = goal === "info" ? undefined : (r: number) => r <= 1.1;
    return [
      ratioRow("Type-checking", `${figure}: time`, ours.time, peer, summarize(peerTimes, "s"), goal, isMet),
      ratioRow("Type-checking", `${figure}: memory`, ours.memory, peer, summarize(peerMemory, "MB"), goal, isMet),
    ];
  });
}
