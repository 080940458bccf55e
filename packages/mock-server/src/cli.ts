#!/usr/bin/env node
/**
 * The `keysmith-mock` bin (and `npm run mock` in the repository): the standalone mock server.
 * `keysmith-mock --help` lists the options; `keysmith mock` from `@keysmith/cli` runs the same command.
 */
import { runMockCli } from "./mock-cli.js";

// exit at once after a clean stop, even if a client still holds a connection open
process.exit(await runMockCli(process.argv.slice(2)));
