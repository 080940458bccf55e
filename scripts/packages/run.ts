/**
 * `npm run test:packages`: the packed tarballs as a user's project gets them, outside the repository. The
 * README's mock lines run under vitest, under jest 30 in its default CommonJS mode (with the babel transform
 * the README documents) and in its ESM mode, and in headless Chromium with msw's service worker and the
 * mock's browser entry; a consumer type-checks under nodenext, bundler and node10 resolution with TypeScript
 * 5.9, and under nodenext and bundler with TypeScript 7. Exits 1 on any failure.
 */
import { copyFile, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { exec, packedProject, plainText, repoRoot } from "../support/packed-project.js";

const fixtures = join(repoRoot, "scripts/packages/fixtures");
const CHROMIUM = "/usr/bin/chromium";

/** jest 30 in CommonJS mode: msw/node pulls an ES-only dependency, which babel turns into CommonJS. */
const JEST_CJS = `module.exports = {
  testEnvironment: "node",
  testMatch: ["<rootDir>/jest.test.cjs"],
  transform: { "\\\\.m?js$": ["babel-jest", { plugins: ["@babel/plugin-transform-modules-commonjs"], babelrc: false, configFile: false }] },
  transformIgnorePatterns: ["/node_modules/(?!(until-async)/)(?!.*\\\\.mjs$)"],
};
`;
const JEST_ESM = `export default { testEnvironment: "node", testMatch: ["<rootDir>/jest-esm.test.mjs"], transform: {} };\n`;

async function step(rows: { name: string; ok: boolean; detail: string }[], name: string, work: () => Promise<string>) {
  const started = performance.now();
  try {
    const detail = await work();
    rows.push({ name, ok: true, detail: `${detail} (${((performance.now() - started) / 1000).toFixed(1)} s)` });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string; message?: string };
    rows.push({ name, ok: false, detail: `${output.message}\n${output.stdout ?? ""}\n${output.stderr ?? ""}`.trim() });
  }
}

async function browserCheck(dir: string): Promise<string> {
  const { build } = await import("esbuild");
  const { chromium } = await import("playwright-core");
  const bundled = await build({
    entryPoints: [join(dir, "browser-page.mjs")],
    absWorkingDir: dir,
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  const app = bundled.outputFiles[0]?.text ?? "";
  const worker = await readFile(join(dir, "node_modules/msw/lib/mockServiceWorker.js"));
  const server = createServer((request, response) => {
    if (request.url === "/app.js") response.writeHead(200, { "Content-Type": "text/javascript" }).end(app);
    else if (request.url === "/mockServiceWorker.js")
      response.writeHead(200, { "Content-Type": "text/javascript" }).end(worker);
    else response.writeHead(200, { "Content-Type": "text/html" }).end('<script type="module" src="/app.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => typeof (window as { run?: unknown }).run === "function");
    const result = await page.evaluate(() => (window as unknown as { run: () => Promise<unknown> }).run());
    const expected = { procedures: 3, runRecorded: true, notFound: true };
    if (JSON.stringify(result) !== JSON.stringify(expected))
      throw new Error(`the page answered ${JSON.stringify(result)}`);
    return `msw's worker served the mock's browser entry to the SDK (${Math.round(app.length / 1024)} kB page)`;
  } finally {
    await browser.close();
    server.close();
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const dir = await packedProject(
    "packages",
    { msw: "~2.15.0" },
    {
      vitest: "~4.1.12",
      jest: "30.5.2",
      "@babel/plugin-transform-modules-commonjs": "7.28.6",
      esbuild: "^0.27.7",
      "playwright-core": "^1.64.1",
      typescript: "~5.9.3",
      typescript7: "npm:typescript@7.0.2",
    },
  );
  for (const file of ["vitest.test.mjs", "jest.test.cjs", "jest-esm.test.mjs", "browser-page.mjs", "app.ts"]) {
    await copyFile(join(fixtures, file), join(dir, file));
  }
  await writeFile(join(dir, "jest.cjs.config.cjs"), JEST_CJS);
  await writeFile(join(dir, "jest.esm.config.mjs"), JEST_ESM);
  const rows: { name: string; ok: boolean; detail: string }[] = [];
  const npx = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    exec("npx", args, { cwd: dir, env: { ...process.env, ...env } }).then(({ stdout, stderr }) => `${stdout}${stderr}`);
  try {
    await step(rows, "vitest", async () => summary(await npx(["vitest", "run", "vitest.test.mjs"])));
    await step(rows, "jest (CommonJS mode, babel transform)", async () =>
      summary(await npx(["jest", "-c", "jest.cjs.config.cjs"])),
    );
    await step(rows, "jest (ESM mode)", async () =>
      summary(
        await npx(["jest", "-c", "jest.esm.config.mjs"], {
          NODE_OPTIONS: "--experimental-vm-modules --no-warnings=ExperimentalWarning",
        }),
      ),
    );
    const { existsSync } = await import("node:fs");
    if (existsSync(CHROMIUM)) await step(rows, "headless Chromium + msw worker", () => browserCheck(dir));
    else console.log(`- headless Chromium: skipped, no ${CHROMIUM} (Debian: apt-get install -y chromium)`);
    for (const [tsc, resolutions] of [
      ["typescript", ["nodenext", "bundler", "node10"]],
      ["typescript7", ["nodenext", "bundler"]],
    ] as const) {
      for (const resolution of resolutions) {
        const module = resolution === "nodenext" ? "nodenext" : resolution === "bundler" ? "esnext" : "commonjs";
        const config = `tsconfig.${tsc}.${resolution}.json`;
        await writeFile(
          join(dir, config),
          JSON.stringify({
            compilerOptions: {
              target: "es2022",
              lib: ["es2023", "dom"],
              module,
              moduleResolution: resolution,
              strict: true,
              exactOptionalPropertyTypes: true,
              noUncheckedIndexedAccess: true,
              noEmit: true,
              skipLibCheck: false,
              types: [],
              // CommonJS projects on node10 resolution have it (zod's own declarations need it there)
              ...(resolution === "node10" ? { ignoreDeprecations: "5.0", esModuleInterop: true } : {}),
            },
            files: ["app.ts"],
          }),
        );
        await step(rows, `${tsc === "typescript" ? "TypeScript 5.9" : "TypeScript 7"} ${resolution}`, async () => {
          await exec(process.execPath, [join(dir, "node_modules", tsc, "bin", "tsc"), "-p", config], { cwd: dir });
          return "a consumer type-checks (strict, no skipLibCheck)";
        });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  for (const row of rows) console.log(`${row.ok ? "✓" : "✗"} ${row.name}: ${row.detail}`);
  const failed = rows.filter((row) => !row.ok).length;
  console.log(
    `packages: ${rows.length - failed} passed, ${failed} failed in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return failed === 0 ? 0 : 1;
}

/** The test runner's summary line ("Tests: 1 passed, 1 total", "Tests  2 passed (2)"). */
function summary(output: string): string {
  return (
    plainText(output)
      .match(/^\s*Tests:?\s+.+$/m)?.[0]
      ?.trim() ?? "passed"
  );
}

process.exitCode = await main();
