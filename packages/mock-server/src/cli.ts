#!/usr/bin/env node
/**
 * `npm run mock [-- --port 4010 --host 127.0.0.1 --empty --seed fixtures.json --unlimited --admin-key K --quiet]`:
 * the four mocked APIs over HTTP, for any client. Prints each API's base URL, the demo keys and the admin
 * key, then one JSON line per request (unless --quiet); stops cleanly on Ctrl-C or SIGTERM.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Fixtures } from "./mock.js";
import { startMockServer } from "./server.js";

const USAGE = `usage: keysmith-mock [--port 4010] [--host 127.0.0.1] [--empty] [--seed file.json] [--unlimited] [--admin-key key] [--quiet]
  --empty      start with no data (keys only)
  --seed       a JSON file of fixtures, per API and collection, applied after the seed
  --unlimited  no per-key rate limits (for load tests)
  --admin-key  the key of the /__keysmith/ admin endpoints (default: random, printed)
  --quiet      no request log`;

const { values } = parseArgs({
  options: {
    port: { type: "string", short: "p", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    empty: { type: "boolean", default: false },
    seed: { type: "string" },
    unlimited: { type: "boolean", default: false },
    "admin-key": { type: "string" },
    quiet: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`keysmith-mock: --port must be a whole number from 0 to 65535, got "${values.port}"`);
  process.exit(2);
}
let fixtures: Fixtures | undefined;
if (values.seed !== undefined) {
  try {
    fixtures = JSON.parse(readFileSync(values.seed, "utf8")) as Fixtures;
  } catch (error) {
    console.error(`keysmith-mock: --seed ${values.seed}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}

const server = await startMockServer({
  port,
  host: values.host,
  seed: values.empty ? "empty" : "demo",
  rateLimits: !values.unlimited,
  ...(fixtures ? { fixtures } : {}),
  ...(values["admin-key"] ? { adminKey: values["admin-key"] } : {}),
  ...(values.quiet ? {} : { log: (line) => process.stdout.write(`${JSON.stringify(line)}\n`) }),
}).catch((error: NodeJS.ErrnoException) => {
  console.error(`keysmith-mock: cannot start on ${values.host}:${port}: ${error.code ?? error.message}`);
  process.exit(1);
});

console.log(`Keysmith mock server on ${server.url}\n`);
for (const endpoint of server.endpoints) {
  console.log(
    `  ${`${endpoint.api}${endpoint.environment ? ` (${endpoint.environment})` : ""}`.padEnd(28)} ${endpoint.baseUrl}`,
  );
}
if (server.realtime) {
  console.log(
    `  ${"epsilon3 realtime".padEnd(28)} ${server.realtime.url} (Socket.IO path ${server.realtime.path}, namespaces /v1/notifications/realtime, /v1/telemetry/realtime, /v1/commands/realtime, /v1/external-data/items)`,
  );
}
console.log("\nDemo keys (public test values, accepted only by this mock):");
for (const [api, keys] of Object.entries(server.keys)) {
  for (const [label, key] of Object.entries(keys)) console.log(`  ${`${api}.${label}`.padEnd(28)} ${key}`);
}
console.log(
  `\nAdmin endpoints (${server.url}/__keysmith/faults, /reset, /logs, /realtime/…): Authorization: Bearer ${server.adminKey}`,
);
console.log(`Try: curl -u ${server.keys.epsilon3.workspace}: ${server.url}/epsilon3/v1/procedures/summary`);
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
