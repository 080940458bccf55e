/**
 * The standalone mock's command line, shared by the `keysmith-mock` bin and `keysmith mock`: the four mocked APIs
 * over HTTP, for any client. Prints each API's base URL, the demo keys and the admin key, then one JSON line per
 * request (unless --quiet); stops cleanly on Ctrl-C or SIGTERM.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_BODY_LIMIT } from "./core/body-limit.js";
import type { MockApiSpec, MockRealtimeSpec } from "./core/mock-api-spec.js";
import { LOOPBACK_ORIGINS } from "./cors.js";
import { explainApi } from "./generic/explain.js";
import type { Fixtures } from "./mock.js";
import { type RunningMockServer, startMockServer } from "./server.js";

const usage = (
  program: string,
) => `usage: ${program} [--port 4010] [--host 127.0.0.1] [--empty] [--seed file.json] [--unlimited] [--admin-key key]
       [--body-limit 1MiB] [--cors-origin origin]... [--no-cors] [--quiet] [--key key]...
  --empty        start with no data (keys only)
  --seed         a JSON file of fixtures, per API and collection, applied after the seed
  --unlimited    no per-key rate limits (for load tests)
  --admin-key    the key of the /__keysmith/ admin endpoints (default: random, printed)
  --key          a credential APIs mocked from a description accept (repeat for several; default: random, printed)
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

export interface MockCliOptions {
  /** How the command is named in messages: `keysmith-mock` (the default) or `keysmith mock`. */
  readonly program?: string;
  /** Stops the server when aborted, as SIGINT and SIGTERM do. */
  readonly signal?: AbortSignal;
  /** Where the banner goes (default: stdout). The request log always goes to stdout, one JSON line each. */
  readonly log?: (line: string) => void;
  /** Where problems go (default: stderr). */
  readonly error?: (line: string) => void;
  /** APIs to mock from their descriptions (`keysmith mock --spec`), instead of the four. */
  readonly specs?: readonly MockApiSpec[];
  /** Their Socket.IO sides, by API name (`--asyncapi`). */
  readonly realtimeSpecs?: Readonly<Record<string, MockRealtimeSpec>>;
  /** Print how each of `specs` is read (resources, ids, operations) instead of serving. */
  readonly explain?: boolean;
}

/**
 * Runs the standalone mock as its command line would with `args`: prints where each API is, then serves until
 * SIGINT, SIGTERM or `signal`. Resolves with the exit code: 0 after a clean stop, 1 when the server cannot start,
 * 2 for a bad argument (named in the message).
 */
export async function runMockCli(args: readonly string[], options: MockCliOptions = {}): Promise<number> {
  const program = options.program ?? "keysmith-mock";
  const log = options.log ?? ((line: string) => console.log(line));
  const error = options.error ?? ((line: string) => console.error(line));
  const fail = (code: number, message: string): number => {
    error(`${program}: ${message}`);
    return code;
  };
  let values: MockArgs;
  try {
    values = parseMockArgs(args);
  } catch (problem) {
    return fail(2, `${(problem as Error).message}\n${usage(program)}`);
  }
  if (values.help) {
    log(usage(program));
    return 0;
  }
  const specs = options.specs ?? [];
  if (options.explain) {
    for (const spec of specs) for (const line of explainApi(spec)) log(line);
    return 0;
  }
  if (values.key?.some((key) => key.length < 8 || /\s/.test(key))) {
    return fail(2, "--key must be at least 8 characters, without spaces");
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) {
    return fail(2, `--port must be a whole number from 0 to 65535, got "${values.port}"`);
  }
  const bodyLimit = values["body-limit"] === undefined ? DEFAULT_BODY_LIMIT : bytes(values["body-limit"]);
  if (bodyLimit === undefined) {
    return fail(2, `--body-limit must be a number of bytes (or KiB, MiB), got "${values["body-limit"]}"`);
  }
  if (values["no-cors"] && values["cors-origin"]) return fail(2, "--no-cors and --cors-origin contradict each other");
  const corsOrigins = values["no-cors"] ? [] : (values["cors-origin"] ?? LOOPBACK_ORIGINS);
  let fixtures: Fixtures | undefined;
  if (values.seed !== undefined) {
    try {
      fixtures = JSON.parse(readFileSync(values.seed, "utf8")) as Fixtures;
    } catch (problem) {
      return fail(2, `--seed ${values.seed}: ${problem instanceof Error ? problem.message : String(problem)}`);
    }
  }

  let server: RunningMockServer;
  try {
    server = await startMockServer({
      port,
      host: values.host,
      seed: values.empty ? "empty" : "demo",
      rateLimits: !values.unlimited,
      bodyLimit,
      corsOrigins,
      ...(fixtures ? { fixtures } : {}),
      ...(specs.length > 0 ? { specs } : {}),
      ...(options.realtimeSpecs ? { realtimeSpecs: options.realtimeSpecs } : {}),
      ...(values.key ? { keys: values.key } : {}),
      ...(values["admin-key"] ? { adminKey: values["admin-key"] } : {}),
      ...(values.quiet ? {} : { log: (line) => process.stdout.write(`${JSON.stringify(line)}\n`) }),
    });
  } catch (problem) {
    const reason = (problem as NodeJS.ErrnoException).code ?? (problem as Error).message;
    return fail(1, `cannot start on ${values.host}:${port}: ${reason}`);
  }
  printBanner(server, corsOrigins, bodyLimit, log);
  return waitForStop(server, options.signal, log, error);
}

type MockArgs = ReturnType<typeof parseMockArgs>;

function parseMockArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      port: { type: "string", short: "p", default: "4010" },
      host: { type: "string", default: "127.0.0.1" },
      empty: { type: "boolean", default: false },
      seed: { type: "string" },
      unlimited: { type: "boolean", default: false },
      "admin-key": { type: "string" },
      key: { type: "string", multiple: true },
      "body-limit": { type: "string" },
      "cors-origin": { type: "string", multiple: true },
      "no-cors": { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  }).values;
}

function printBanner(
  server: RunningMockServer,
  corsOrigins: readonly string[],
  bodyLimit: number,
  log: (line: string) => void,
): void {
  log(`Keysmith mock server on ${server.url}\n`);
  for (const endpoint of server.endpoints) {
    const label = `${endpoint.api}${endpoint.environment ? ` (${endpoint.environment})` : ""}`;
    log(`  ${label.padEnd(28)} ${endpoint.baseUrl}`);
  }
  if (server.realtime) {
    log(
      `  ${"epsilon3 realtime".padEnd(28)} ${server.realtime.url} (Socket.IO path ${server.realtime.path}, namespaces /v1/notifications/realtime, /v1/telemetry/realtime, /v1/commands/realtime, /v1/external-data/items)`,
    );
  }
  for (const [name, where] of Object.entries(server.describedRealtime)) {
    const channels = server.mock.describedRealtime.get(name)?.spec.channels ?? {};
    const namespaces = Object.values(channels).map((channel) => channel.namespace);
    log(
      `  ${`${name} realtime`.padEnd(28)} ${where.url} (Socket.IO path ${where.path}, namespaces ${namespaces.join(", ")})`,
    );
  }
  const four = new Set<string>(server.mock.enabled);
  if (four.size > 0) log("\nDemo keys (public test values, accepted only by this mock):");
  for (const [api, keys] of Object.entries(server.keys)) {
    if (!four.has(api)) continue;
    for (const [label, key] of Object.entries(keys)) log(`  ${`${api}.${label}`.padEnd(28)} ${key}`);
  }
  if (server.mock.described.size > 0) {
    log(`\nKeys accepted by ${[...server.mock.described.keys()].join(", ")}, in every scheme its spec declares:`);
    for (const key of server.mock.keys) log(`  ${key}`);
  }
  log(
    `\nCORS: ${corsOrigins.length > 0 ? `pages from ${corsOrigins.join(", ")}` : "off"}; request bodies up to ${bodyLimit} bytes`,
  );
  log(
    `\nAdmin endpoints (${server.url}/__keysmith/faults, /reset, /logs, /realtime/…): Authorization: Bearer ${server.adminKey}`,
  );
  if (four.has("epsilon3")) {
    log(`Try: curl -u ${server.keys.epsilon3.workspace}: ${server.url}/epsilon3/v1/procedures/summary`);
  }
  log(`Stop with Ctrl-C or SIGTERM (pid ${process.pid}).`);
}

/** Serves until SIGINT, SIGTERM or the signal; a second Ctrl-C while closing ends the process
 * as Node's default does (the listeners are gone by then). */
function waitForStop(
  server: RunningMockServer,
  signal: AbortSignal | undefined,
  log: (line: string) => void,
  error: (line: string) => void,
): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      for (const name of STOP_SIGNALS) process.off(name, stop);
      signal?.removeEventListener("abort", stop);
      log("\nstopping…");
      server.close().then(
        () => resolve(0),
        (problem: unknown) => {
          error(`stopping failed: ${problem instanceof Error ? problem.message : String(problem)}`);
          resolve(1);
        },
      );
    };
    for (const name of STOP_SIGNALS) process.on(name, stop);
    if (signal?.aborted) stop();
    else signal?.addEventListener("abort", stop, { once: true });
  });
}

const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;
