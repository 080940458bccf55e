import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { demoKeys } from "@keysmith/mock-server";
import { describe, expect, test } from "vitest";
import { useMock } from "./support/use-mock.js";

useMock();
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const require = createRequire(import.meta.url);

type BuiltSdk = typeof import("@keysmith/sdk");

describe.each([
  ["import (ESM)", () => import(/* @vite-ignore */ `${dist}index.js`) as Promise<BuiltSdk>],
  ["import on servers (the `node` condition)", () => import(/* @vite-ignore */ `${dist}node.js`) as Promise<BuiltSdk>],
  ["require (CJS)", async () => require(`${dist}index.cjs`) as BuiltSdk],
])("the built package through %s", (_how, load) => {
  test("loads, calls an API through the mock, and throws its own typed errors", async () => {
    expect(existsSync(`${dist}index.js`), "packages/sdk/dist is missing: run `npm run build`").toBe(true);
    const sdk = await load();
    const epsilon3 = new sdk.Epsilon3({ apiKey: demoKeys.epsilon3.workspace });
    expect((await epsilon3.procedures.list()).data).toHaveLength(3);
    const missing = await epsilon3.procedures
      .get({ procedureId: "0000000000000000000000" })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(sdk.NotFoundError);
    expect(missing).toBeInstanceOf(sdk.APIError);
    expect(() => new sdk.Erathos({ env: {} })).toThrow(sdk.MissingCredentialError);
  });
});

test("the core entry point is there for generated clients of other specs", async () => {
  const core = require(`${dist}core.cjs`) as typeof import("@keysmith/sdk/core");
  expect(typeof core.KeysmithClient).toBe("function");
  const esm = (await import(/* @vite-ignore */ `${dist}core.js`)) as typeof import("@keysmith/sdk/core");
  expect(typeof esm.KeysmithClient).toBe("function");
});

// On servers the package loads up front what browsers load on first use (see server-preload.ts): every lazily
// loaded module of the call path must be in its list, or a first use under a test's fake timers can time out.
test("server-preload.ts loads every module a call loads lazily (only the realtime engine stays lazy)", () => {
  const core = fileURLToPath(new URL("../src/core/", import.meta.url));
  const lazy = new Set<string>();
  for (const file of readdirSync(core).filter((name) => name.endsWith(".ts") && name !== "server-preload.ts")) {
    for (const match of readFileSync(`${core}${file}`, "utf8").matchAll(/(?<!typeof )import\("(\.\/[\w.-]+)"\)/g))
      lazy.add(match[1] ?? "");
  }
  const preloaded = new Set(
    Array.from(readFileSync(`${core}server-preload.ts`, "utf8").matchAll(/import\("(\.\/[\w.-]+)"\)/g), (m) => m[1]),
  );
  expect(lazy.size).toBeGreaterThanOrEqual(6);
  expect([...lazy].filter((path) => !preloaded.has(path))).toEqual([]);
});
