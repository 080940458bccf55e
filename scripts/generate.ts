/**
 * Regenerates everything derived from the OpenAPI descriptions.
 *
 *   npm run generate                       every specs/*.openapi.yaml into packages/sdk and packages/mock-server
 *   npm run generate -- --check            exit 1, naming each stale, missing or unexpected file, without writing
 *   npm run generate -- --spec <file> --name <name> --out <dir> [--core-import <specifier>] [--check]
 *                                          any description, as a standalone typed client in <dir>
 */

import { runGenerator } from "./generator/cli.js";

runGenerator(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`generate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
