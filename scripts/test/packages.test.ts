/**
 * The packages as they are published (the built dist/, packed by npm): one copy of each class whichever entry
 * and module system loads it, a browser entry of the mock free of Node modules, the CLI's bin, and publint and
 * @arethetypeswrong/cli clean for every package and entry (types under node10, node16 and bundler).
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);
const require = createRequire(join(root, "package.json"));

/** Export names both modules have, and those among them that are not the same object. */
function compare(a: Record<string, unknown>, b: Record<string, unknown>): { shared: number; differ: string[] } {
  const shared = Object.keys(b).filter((name) => name in a);
  return { shared: shared.length, differ: shared.filter((name) => a[name] !== b[name]) };
}

describe.each([
  ["@keysmith/sdk", "packages/sdk", "core"],
  ["@keysmith/mock-server", "packages/mock-server", "browser"],
])("%s", (_name, dir, subpath) => {
  test("CommonJS: the root and the subpath entry share one copy of every class", () => {
    const rootEntry = require(join(root, dir, "dist/index.cjs"));
    const sub = require(join(root, dir, `dist/${subpath}.cjs`));
    const { shared, differ } = compare(rootEntry, sub);
    expect(shared).toBeGreaterThan(10);
    expect(differ).toEqual([]);
  });

  test("ESM: the same", async () => {
    const rootEntry = await import(join(root, dir, "dist/index.js"));
    const sub = await import(join(root, dir, `dist/${subpath}.js`));
    expect(compare(rootEntry, sub).differ).toEqual([]);
  });
});

// On servers (the `node` export condition) the SDK's entries load the call path's lazy code up front; they must
// be what Node itself resolves, and hold the same classes as the browser entries.
test("@keysmith/sdk on Node: its own resolver picks the server entries, which share every class", async () => {
  const resolved = await run(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      'console.log(import.meta.resolve("@keysmith/sdk"), import.meta.resolve("@keysmith/sdk/core"))',
    ],
    { cwd: root },
  );
  expect(resolved.stdout.trim().split(" ")).toEqual([
    expect.stringMatching(/packages\/sdk\/dist\/node\.js$/),
    expect.stringMatching(/packages\/sdk\/dist\/core-node\.js$/),
  ]);
  const [browser, server, serverCore] = await Promise.all(
    ["index.js", "node.js", "core-node.js"].map((file) => import(join(root, "packages/sdk/dist", file))),
  );
  expect(compare(browser, server)).toMatchObject({ differ: [] });
  expect(compare(browser, server).shared).toBe(Object.keys(browser).length);
  expect(compare(server, serverCore).differ).toEqual([]);
});

/** publint, then attw, which exits non-zero on any problem, for any entry and resolution. */
async function lintPackage(dir: string): Promise<void> {
  const lint = await run("npx", ["publint", dir], { cwd: root });
  expect(lint.stdout).toMatch(/All good!/);
  const types = await run("npx", ["attw", "--pack", dir, "--format", "table-flipped"], { cwd: root });
  expect(types.stdout).toMatch(/No problems found/);
}

test.each(["packages/sdk", "packages/mock-server", "packages/cli"])(
  "%s: publint and @arethetypeswrong/cli find nothing",
  (dir) => lintPackage(dir),
  60_000,
);

test("@keysmith/cli: the keysmith bin runs from its package, and `mock` is the mock's own command line", async () => {
  const bin = join(root, "packages/cli/dist/bin.js");
  const { version } = require(join(root, "packages/cli/package.json")) as { version: string };
  expect((await run(process.execPath, [bin, "--version"])).stdout.trim()).toBe(version);
  expect((await run(process.execPath, [bin, "mock", "--help"])).stdout).toMatch(
    /^usage: keysmith mock \[--port 4010\]/,
  );
  // the config helper loads in both module systems
  expect(typeof require(join(root, "packages/cli/dist/index.cjs")).defineConfig).toBe("function");
  expect(typeof (await import(join(root, "packages/cli/dist/index.js"))).defineConfig).toBe("function");
});

test("@keysmith/mock-server/browser bundles for a browser with no Node module", async () => {
  const result = await build({
    entryPoints: [join(root, "packages/mock-server/dist/browser.js")],
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    metafile: true,
    external: ["msw"],
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.filter((input) => /^node:|socket\.io\/|engine\.io\//.test(input))).toEqual([]);
});
