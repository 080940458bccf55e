import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import createClient from "openapi-fetch";
import type { paths } from "../../packages/sdk/src/generated/epsilon3/types.js";
import { compareRows, type Row } from "./report.js";
import { interleave, type Settings, summarize } from "./stats.js";

const CALLS = 5_000;
const CONCURRENCY = 8;
const KEY = "bench_key_0123456789abcdef";

/** Calls per second of `call`, `CALLS` times with `CONCURRENCY` in flight. */
async function callsPerSecond(call: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < CALLS) await call();
    }),
  );
  return CALLS / (Number(process.hrtime.bigint() - started) / 1e9);
}

/**
 * Per-call overhead: the same small JSON from the same loopback `node:http` server (in its own process),
 * through the SDK (auth, retries armed, typed errors), bare openapi-fetch, and plain fetch.
 */
export async function benchPerCall(settings: Settings): Promise<Row[]> {
  const server: ChildProcess = spawn(process.execPath, [join(import.meta.dirname, "fixtures-echo-server.mjs")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const [chunk] = (await once(server.stdout ?? server, "data")) as [Buffer];
    const baseUrl = `http://127.0.0.1:${chunk.toString().trim()}`;
    const authorization = `Basic ${btoa(`${KEY}:`)}`;
    // the built package, as applications get it (imported here: run.ts builds it first when it is missing)
    // a computed specifier: type-checking must not need dist/, which `npm test` builds after it
    const distEntry = "../../packages/sdk/dist/index.js";
    const built: unknown = await import(distEntry);
    const { Epsilon3 } = built as typeof import("../../packages/sdk/src/index.js");
    const sdk = new Epsilon3({ apiKey: KEY, baseUrl });
    const bare = createClient<paths>({ baseUrl });
    settings.log("per-call: SDK vs openapi-fetch vs fetch…");
    const samples = await interleave(settings, {
      sdk: () => callsPerSecond(() => sdk.procedures.list()),
      openapiFetch: () =>
        callsPerSecond(async () => {
          const { data } = await bare.GET("/v1/procedures/summary", { headers: { Authorization: authorization } });
          return data;
        }),
      fetch: () =>
        callsPerSecond(async () => {
          const response = await fetch(`${baseUrl}/v1/procedures/summary`, {
            headers: { Authorization: authorization },
          });
          return response.json();
        }),
    });
    return compareRows(
      "Per-call overhead",
      `calls per second, ${CALLS} calls, ${CONCURRENCY} in flight`,
      summarize(samples.sdk, "calls/s"),
      "calls/s",
      [
        { name: "bare openapi-fetch", samples: samples.openapiFetch, goal: "≥ 0.9×", isMet: (r) => r >= 0.9 },
        { name: "plain fetch", samples: samples.fetch, goal: "info" },
      ],
    );
  } finally {
    server.kill();
  }
}
