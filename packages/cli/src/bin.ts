#!/usr/bin/env node
/**
 * The `keysmith` bin. Caches V8's compiled code for the large CommonJS files generation loads (the TypeScript
 * compiler), so a repeated run starts fast; then runs the command and exits with its code.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { enableCompileCache } from "./compile-cache.js";
import { processIO } from "./io.js";
import { runCli } from "./main.js";

enableCompileCache(join(tmpdir(), "keysmith-compile-cache"), (filename) =>
  filename.endsWith(join("typescript", "lib", "typescript.js")),
);
process.exit(await runCli(process.argv.slice(2), processIO()));
