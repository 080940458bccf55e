import type { MockApiName } from "@keysmith/mock-server";
import { formatReport, fuzzApi } from "./support/fuzz-runner.js";
import { openFuzzTarget } from "./support/fuzz-target.js";

/**
 * `npm run fuzz`: the fuzzer of `fuzz.test.ts` at scale, per API, with totals.
 *
 *   FUZZ_RUNS=5000 FUZZ_SEED=7 FUZZ_APIS=epoch,erathos npm run fuzz
 *
 * Each run resets the mock and sends 1 to 3 requests, so FUZZ_RUNS=2000 (the default) sends about 4,000
 * requests per API. Exits 1 when any answer breaks the spec.
 */
const APIS: readonly MockApiName[] = ["epsilon3", "epoch", "getkeymanager", "erathos"];
const numRuns = Number(process.env.FUZZ_RUNS ?? 2_000);
const seed = Number(process.env.FUZZ_SEED ?? 20_261_202);
const apis = (process.env.FUZZ_APIS?.split(",") ?? APIS) as MockApiName[];
const unknown = apis.filter((api) => !APIS.includes(api));
if (unknown.length > 0 || !Number.isInteger(numRuns) || numRuns < 1 || !Number.isInteger(seed)) {
  console.error(`fuzz: FUZZ_APIS takes ${APIS.join(", ")}; FUZZ_RUNS and FUZZ_SEED whole numbers`);
  process.exit(2);
}

let failed = false;
const totals: string[] = [];
for (const api of apis) {
  const started = performance.now();
  const target = await openFuzzTarget(api);
  try {
    const report = await fuzzApi(target, {
      seed: seed + APIS.indexOf(api), // each API its own stream, the same whichever APIs run
      numRuns,
      shrink: { classes: 12, timeLimitMs: 60_000 },
    });
    console.log(`${formatReport(report)}\n  (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    const statuses = [...report.statuses.keys()].sort((a, b) => a - b).join(",");
    totals.push(
      `${api.padEnd(14)} requests ${String(report.requests).padStart(6)}  statuses ${statuses.padEnd(28)} 5xx ${report.serverErrors}  undocumented ${report.undocumented}  failure classes ${report.failures.length}`,
    );
    failed ||= report.failures.length > 0;
  } finally {
    await target.close();
  }
}
console.log(totals.join("\n"));
process.exitCode = failed ? 1 : 0;
