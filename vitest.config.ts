import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@keysmith/sdk/core": source("./packages/sdk/src/core/index.ts"),
      "@keysmith/sdk": source("./packages/sdk/src/index.ts"),
      "@keysmith/mock-server/cli": source("./packages/mock-server/src/mock-cli.ts"),
      "@keysmith/mock-server/paging": source("./packages/mock-server/src/paging.ts"),
      "@keysmith/mock-server": source("./packages/mock-server/src/index.ts"),
    },
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "scripts/test/**/*.test.ts", "examples/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
