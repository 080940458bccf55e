import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
type BuiltMock = typeof import("@keysmith/mock-server");

describe.each([
  ["import (ESM)", () => import(/* @vite-ignore */ `${dist}index.js`) as Promise<BuiltMock>],
  ["require (CJS)", async () => createRequire(import.meta.url)(`${dist}index.cjs`) as BuiltMock],
])("the built mock server through %s", (_how, load) => {
  test("starts, answers with auth, and stops", async () => {
    expect(existsSync(`${dist}index.js`), "packages/mock-server/dist is missing: run `npm run build`").toBe(true);
    const { startMockServer, demoKeys } = await load();
    const server = await startMockServer({ port: 0 });
    try {
      const response = await fetch(`${server.url}/erathos/developers/workspaces/`, {
        headers: { Authorization: `Api-Key ${demoKeys.erathos.key}` },
      });
      expect(response.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
