#!/usr/bin/env node
/**
 * `npm run mock [-- --port 4010 --host 127.0.0.1 --empty --seed fixtures.json --unlimited --admin-key K --quiet
 * --body-limit 1MiB --cors-origin http://localhost:* --no-cors]`: the four mocked APIs over HTTP, for any client. Prints each API's base URL, the demo keys and the admin
 * key, then one JSON line per request (unless --quiet); stops cleanly on Ctrl-C or SIGTERM.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_BODY_LIMIT } from "./core/body-limit.js";
import { LOOPBACK_ORIGINS } from "./cors.js";
import type { Fixtures } from "./mock.js";
import { startMockServer } from "./server.js";

const USAGE = `usage: keysmith-mock [--port 4010] [--host 127.0.0.1] [--empty] [--seed file.json] [--unlimited] [--admin-key key]
                     [--body-limit 1MiB] [--cors-origin origin]... [--no-cors] [--quiet]
  --empty        start with no data (keys only)
  --seed         a JSON file of fixtures, per API and collection, applied after the seed
  --unlimited    no per-key rate limits (for load tests)
  --admin-key    the key of the /__keysmith/ admin endpoints (default: random, printed)
  --body-limit   the largest request body read, in bytes or with KiB/MiB (default 1MiB); larger ones get 413
  --cors-origin  an origin whose web pages may call the mock (repeat for several; http://localhost:* for any port,
                 * for any origin); replaces the default, loopback pages on any port
  --no-cors      no CORS headers at all
  --quiet        no request log`;

/** `1048576`, `512KiB`, `1MiB` (also `kb`/`mb`, meaning the same powers of two) as bytes; undefined if not one. */
function bytes(text: string): number | undefined {
  const match = /^(\d+)\s*(k|ki|m|mi)?b?$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = { k: 1024, ki: 1024, m: 1024 * 1024, mi: 1024 * 1024 }[match[2]?.toLowerCase() ?? ""] ?? 1;
  const value = Number(match[1]) * unit;
  return Number.isSafeInteger(value) ? value : undefined;
}

const { values } = parseArgs({
  options: {
    port: { type: "string", short: "p", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    empty: { type: "boolean", default: false },
    seed: { type: "string" },
    unlimited: { type: "boolean", default: false },
    "admin-key": { type: "string" },
    "body-limit": { type: "string" },
    "cors-origin": { type: "string", multiple: true },
    "no-cors": { type: "boolean", default: false },
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
const bodyLimit = values["body-limit"] === undefined ? DEFAULT_BODY_LIMIT : bytes(values["body-limit"]);
if (bodyLimit === undefined) {
  console.error(`keysmith-mock: --body-limit must be a number of bytes (or KiB, MiB), got "${values["body-limit"]}"`);
  process.exit(2);
}
if (values["no-cors"] && values["cors-origin"]) {
  console.error("keysmith-mock: --no-cors and --cors-origin contradict each other");
  process.exit(2);
}
const corsOrigins = values["no-cors"] ? [] : (values["cors-origin"] ?? LOOPBACK_ORIGINS);
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
  bodyLimit,
  corsOrigins,
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
  `\nCORS: ${corsOrigins.length > 0 ? `pages from ${corsOrigins.join(", ")}` : "off"}; request bodies up to ${bodyLimit} bytes`,
);
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
