import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, expect, test } from "vitest";
import { runGenerator } from "../support/run-generator.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const scratch = join(root, ".tmp", "github-test");
const githubSpec = createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json");
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** An application using the client generated from GitHub's 13 MB description: it must type-check. */
const app = `import { Github } from "./github/client.js";

const github = new Github({ apiKey: "ghp_example" });
const repo = await github.repos.get({ owner: "octokit", repo: "rest.js" });
const fullName: string = repo.full_name;
const issues = await github.issues.listForRepo({ owner: "octokit", repo: "rest.js", state: "open", per_page: 10 });
const titles: string[] = issues.map((issue) => issue.title);
const created = await github.issues.create({ owner: "o", repo: "r", title: "Typed" });
const number: number = created.number;
const { data } = await github.fetchClient.GET("/repos/{owner}/{repo}", { params: { path: { owner: "o", repo: "r" } } });
const stars: number | undefined = data?.stargazers_count;
// @ts-expect-error: \`repo\` is a required path parameter
await github.repos.get({ owner: "octokit" });
// @ts-expect-error: \`state\` is "open" | "closed" | "all"
await github.issues.listForRepo({ owner: "o", repo: "r", state: "maybe" });
export { fullName, number, stars, titles };
`;

test("GitHub's REST description generates through --spec, and a typed app on it type-checks", async () => {
  const lines: string[] = [];
  const code = await runGenerator(["--spec", githubSpec, "--name", "github", "--out", join(scratch, "github")], {
    log: (line) => lines.push(line),
    error: (line) => lines.push(line),
  });
  expect(lines.join("\n")).toMatch(/4 file\(s\) written/);
  expect(code).toBe(0);

  await mkdir(scratch, { recursive: true });
  await writeFile(join(scratch, "app.ts"), app);
  await writeFile(
    join(scratch, "tsconfig.json"),
    JSON.stringify({
      extends: "../../tsconfig.base.json",
      compilerOptions: {
        noEmit: true,
        paths: { "@keysmith/sdk/core": ["../../packages/sdk/src/core/index.ts"] },
      },
      files: ["app.ts"],
    }),
  );
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const result = await promisify(execFile)(process.execPath, [tsc, "-p", join(scratch, "tsconfig.json")], {
    cwd: root,
  }).then(
    () => ({ ok: true, output: "" }),
    (error: { stdout?: string; stderr?: string }) => ({
      ok: false,
      output: `${error.stdout ?? ""}${error.stderr ?? ""}`,
    }),
  );
  expect(result.output).toBe("");
  expect(result.ok).toBe(true);
}, 180_000);
