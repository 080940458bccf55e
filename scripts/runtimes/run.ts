/**
 * `npm run test:runtimes`: the published packages on every runtime Keysmith supports. It packs
 * @keysmith/sdk and @keysmith/mock-server, installs the tarballs in a scratch project outside the repository
 * (so nothing resolves from the repository's node_modules), starts the packed standalone mock, and runs the
 * four examples plus a realtime notification, and CommonJS and ESM class-identity checks, on Node 20 (this
 * one), 22 and 24, Bun and Deno (binaries from npm, in scripts/runtimes/node_modules); then type-checks a
 * consumer with TypeScript 5.9 and 7. Exits 1 on any failure.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { exec, packedProject, plainText, repoRoot as root } from "../support/packed-project.js";

const runtimesDir = join(root, "scripts/runtimes");
const TIMEOUT_MS = 120_000;

interface Runtime {
  readonly name: string;
  /** The command and its leading arguments; undefined when the binary is missing (then the runtime is skipped). */
  readonly command: readonly string[] | undefined;
}

const modules = join(runtimesDir, "node_modules");
const firstExisting = (...paths: string[]) => paths.find((path) => existsSync(path));
const runtimes = (): Runtime[] => [
  { name: `Node ${process.version}`, command: [process.execPath] },
  { name: "Node 22", command: maybe(join(modules, "node22/bin/node")) },
  { name: "Node 24", command: maybe(join(modules, "node24/bin/node")) },
  {
    name: "Bun",
    // with install scripts skipped, bun/bin/bun.exe is only a stub: the platform package holds the binary
    command: maybe(firstExisting(join(modules, "@oven/bun-linux-x64/bin/bun"), join(modules, "bun/bin/bun.exe"))),
  },
  {
    name: "Deno",
    command: (() => {
      const deno = firstExisting(join(modules, "@deno/linux-x64-glibc/deno"), join(modules, "deno/deno"));
      return deno ? [deno, "run", "-A"] : undefined;
    })(),
  },
];
const maybe = (path: string | undefined) => (path && existsSync(path) ? [path] : undefined);

/** Runs a command, resolving with its output and exit code (never rejecting), within `TIMEOUT_MS`. */
function runCommand(
  command: readonly string[],
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string; ms: number }> {
  const [bin = "", ...lead] = command;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(bin, [...lead, ...args], { cwd: options.cwd, env: options.env ?? process.env });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: performance.now() - started });
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: -1, output: String(error), ms: performance.now() - started });
    });
  });
}

async function ensureRuntimes(): Promise<void> {
  if (existsSync(join(modules, "typescript7"))) return;
  console.log("runtimes: installing Node 22/24, Bun, Deno and TypeScript 5.9/7 into scripts/runtimes (once)…");
  await exec("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: runtimesDir });
}

/** A scratch project with the packed tarballs installed, the examples bundled, and the checks written. */
async function consumer(): Promise<string> {
  // msw: the mock's peer, as a test suite has it
  const dir = await packedProject("runtimes", { msw: "~2.15.0" });
  // the examples as plain JS against the installed packages (no tsconfig: the repository's paths would
  // point them back at the sources)
  await build({
    entryPoints: [join(root, "examples/runtime-entry.ts")],
    outfile: join(dir, "examples.mjs"),
    bundle: true,
    format: "esm",
    platform: "node",
    packages: "external",
    tsconfigRaw: {},
    logLevel: "silent",
  });
  await writeFile(
    join(dir, "run.mjs"),
    'const { runEverywhere } = await import("./examples.mjs");\nawait runEverywhere();\n',
  );
  await writeFile(
    join(dir, "identity.cjs"),
    `const sdk = require("@keysmith/sdk");
const core = require("@keysmith/sdk/core");
const same = Object.keys(core).filter((name) => typeof core[name] === "function").every((name) => sdk[name] === core[name]);
let error;
try { new sdk.Erathos({ env: {} }); } catch (caught) { error = caught; }
console.log(\`cjs identity \${same && error instanceof core.MissingCredentialError}\`);
`,
  );
  await writeFile(
    join(dir, "identity.mjs"),
    `import * as sdk from "@keysmith/sdk";
import * as core from "@keysmith/sdk/core";
const same = Object.keys(core).filter((name) => typeof core[name] === "function").every((name) => sdk[name] === core[name]);
console.log(\`esm identity \${same}\`);
`,
  );
  await writeFile(
    join(dir, "start-mock.mjs"),
    `import { demoErathosWorkspaceId, demoKeys, getKeyManagerDemoPublicKey, startMockServer } from "@keysmith/mock-server";
const server = await startMockServer({ port: 0 });
const base = (api) => server.endpoints.find((endpoint) => endpoint.api === api).baseUrl;
console.log(JSON.stringify({
  EPSILON3_API_URL: base("epsilon3"), EPSILON3_API_KEY: demoKeys.epsilon3.workspace,
  EPOCH_BASE_URL: base("epoch"), EPOCH_API_TOKEN: demoKeys.epoch.token,
  GETKEYMANAGER_BASE_URL: base("getkeymanager"), GETKEYMANAGER_API_KEY: demoKeys.getkeymanager.production,
  GETKEYMANAGER_PUBLIC_KEY: getKeyManagerDemoPublicKey,
  ERATHOS_BASE_URL: base("erathos"), ERATHOS_API_KEY: demoKeys.erathos.key, ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId,
}));
`,
  );
  await writeFile(
    join(dir, "app.ts"),
    `import { Erathos, NotFoundError } from "@keysmith/sdk";
import { createHandlers, Mock } from "@keysmith/mock-server";
const erathos = new Erathos({ apiKey: "k", env: {} });
const list: Promise<{ count: number }> = erathos.workspaces.list();
export const checks = [list, NotFoundError, createHandlers(new Mock()).length] as const;
`,
  );
  await writeFile(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2022",
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      files: ["app.ts"],
    }),
  );
  return dir;
}

/** Starts the packed standalone mock on Node 20 and returns the environment the examples need. */
async function startMock(dir: string): Promise<{ env: Record<string, string>; child: ChildProcess }> {
  const child = spawn(process.execPath, ["start-mock.mjs"], { cwd: dir, stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (chunk) => {
      text += chunk;
      const end = text.indexOf("\n");
      if (end >= 0) resolve(text.slice(0, end));
    });
    child.once("exit", () => reject(new Error("the mock exited before it printed its addresses")));
  });
  return { env: JSON.parse(line) as Record<string, string>, child };
}

async function main(): Promise<number> {
  const started = performance.now();
  await ensureRuntimes();
  const dir = await consumer();
  const { env, child } = await startMock(dir);
  const rows: { name: string; result: string; ok: boolean | undefined }[] = [];
  try {
    for (const runtime of runtimes()) {
      if (!runtime.command) {
        rows.push({
          name: runtime.name,
          result: `skipped: no binary for ${process.platform}-${process.arch}`,
          ok: undefined,
        });
        continue;
      }
      const options = { cwd: dir, env: { ...process.env, ...env } };
      const examples = await runCommand(runtime.command, ["run.mjs"], options);
      const cjs = await runCommand(runtime.command, ["identity.cjs"], options);
      const esm = await runCommand(runtime.command, ["identity.mjs"], options);
      const ok =
        examples.code === 0 &&
        /^OK /m.test(examples.output) &&
        /^realtime: \w+/m.test(examples.output) &&
        /cjs identity true/.test(cjs.output) &&
        /esm identity true/.test(esm.output);
      rows.push({
        name: runtime.name,
        result: ok
          ? `examples, realtime, CJS and ESM identity (${Math.round(examples.ms)} ms)`
          : `FAILED\n${[examples, cjs, esm].map((run) => run.output.split("\n").slice(-15).join("\n")).join("\n---\n")}`,
        ok,
      });
    }
    for (const [name, tsc] of [
      ["TypeScript 5.9", join(modules, "typescript59/bin/tsc")],
      ["TypeScript 7", join(modules, "typescript7/bin/tsc")],
    ] as const) {
      const checked = await runCommand([process.execPath, tsc], ["-p", "tsconfig.json"], { cwd: dir });
      rows.push({
        name,
        result:
          checked.code === 0
            ? "a consumer type-checks (nodenext, strict, no skipLibCheck)"
            : `FAILED\n${checked.output}`,
        ok: checked.code === 0,
      });
    }
    rows.push(...(await withMsw3()));
  } finally {
    child.kill();
    await rm(dir, { recursive: true, force: true });
  }
  for (const row of rows) console.log(`${row.ok === false ? "✗" : row.ok ? "✓" : "-"} ${row.name}: ${row.result}`);
  const failed = rows.filter((row) => row.ok === false).length;
  const passed = rows.filter((row) => row.ok).length;
  console.log(`runtimes: ${passed} passed, ${failed} failed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return failed === 0 ? 0 : 1;
}

/**
 * The mock under msw 3 (a peer range of its own: msw 3 needs Node 22.12 or later): the README's mock lines under
 * vitest, on Node 22 and 24, in a project that installs msw 3 itself.
 */
async function withMsw3(): Promise<{ name: string; result: string; ok: boolean | undefined }[]> {
  const nodes = runtimes().filter((runtime) => /^Node 2[24]$/.test(runtime.name));
  if (nodes.every((node) => !node.command)) return [];
  const dir = await packedProject("msw3", { msw: "^3.0.0" }, { vitest: "~4.1.12" });
  try {
    await copyFile(join(root, "scripts/packages/fixtures/vitest.test.mjs"), join(dir, "vitest.test.mjs"));
    const rows = [];
    for (const node of nodes) {
      if (!node.command) continue;
      const run = await runCommand(node.command, ["node_modules/vitest/vitest.mjs", "run", "vitest.test.mjs"], {
        cwd: dir,
      });
      // every test of the fixture passed ("Tests  4 passed (4)"), none skipped or failed
      const ok = run.code === 0 && /Tests\s+(\d+) passed \(\1\)/.test(plainText(run.output));
      rows.push({
        name: `msw 3 on ${node.name}`,
        result: ok ? "the mock's handlers under vitest" : `FAILED\n${run.output.split("\n").slice(-25).join("\n")}`,
        ok,
      });
    }
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
