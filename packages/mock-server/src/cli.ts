#!/usr/bin/env node
/**
 * `npm run mock [-- --port 4010 --host 127.0.0.1 --empty]`: the four mocked APIs over HTTP, for any client.
 * Prints each API's base URL and the demo keys it accepts; stops cleanly on Ctrl-C or SIGTERM.
 */
import { parseArgs } from "node:util";
import { startMockServer } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", short: "p", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    empty: { type: "boolean", default: false },
    unlimited: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log("usage: keysmith-mock [--port 4010] [--host 127.0.0.1] [--empty] [--unlimited]");
  console.log("  --empty      start with no data (keys only)\n  --unlimited  no per-key rate limits (for load tests)");
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`keysmith-mock: --port must be a whole number from 0 to 65535, got "${values.port}"`);
  process.exit(2);
}

const server = await startMockServer({
  port,
  host: values.host,
  seed: values.empty ? "empty" : "demo",
  rateLimits: !values.unlimited,
}).catch((error: NodeJS.ErrnoException) => {
  console.error(`keysmith-mock: cannot listen on ${values.host}:${port}: ${error.code ?? error.message}`);
  process.exit(1);
});

console.log(`Keysmith mock server on ${server.url}\n`);
for (const endpoint of server.endpoints) {
  console.log(
    `  ${`${endpoint.api}${endpoint.environment ? ` (${endpoint.environment})` : ""}`.padEnd(28)} ${endpoint.baseUrl}`,
  );
}
console.log("\nDemo keys (public test values, accepted only by this mock):");
for (const [api, keys] of Object.entries(server.keys)) {
  for (const [label, key] of Object.entries(keys)) console.log(`  ${`${api}.${label}`.padEnd(28)} ${key}`);
}
console.log(`\nTry: curl -u ${server.keys.epsilon3.workspace}: ${server.url}/epsilon3/v1/procedures/summary`);
console.log(`Stop with Ctrl-C or SIGTERM (pid ${process.pid}).`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log("\nstopping…");
    server.close().then(() => process.exit(0));
  });
}
