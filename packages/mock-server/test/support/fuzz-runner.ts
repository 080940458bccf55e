import fc from "fast-check";
import { type FuzzTarget, runSequence, type StepResult } from "./fuzz-target.js";
import { redact } from "./redact.js";
import { requestArbitrary } from "./request-arbitrary.js";
import { type Finding, normalise } from "./response-oracle.js";

export interface FuzzOptions {
  readonly seed: number;
  /** Runs: each a fresh reset of the mock and 1 to `maxSteps` requests. */
  readonly numRuns: number;
  readonly maxSteps?: number;
  /** How many failure classes get a shrunk (minimal) repro, and how long each may shrink. */
  readonly shrink?: { readonly classes: number; readonly timeLimitMs: number };
}

/** One cause of failure: the same kind, status and message, whatever the operation. */
export interface FailureClass {
  readonly key: string;
  readonly kind: Finding["kind"];
  count: number;
  readonly operations: Set<string>;
  /** The deliberate deviations of the failing requests (`body:malformed-json`…; `valid` when none). */
  readonly shapes: Set<string>;
  readonly detail: string;
  /** The run it first failed in, to start shrinking from. */
  readonly firstRun: number;
  repro: string;
  shrunk: boolean;
}

export interface FuzzReport {
  readonly api: string;
  readonly seed: number;
  readonly runs: number;
  requests: number;
  readonly statuses: Map<number, number>;
  serverErrors: number;
  undocumented: number;
  /** Requests with at least one finding. */
  failing: number;
  valid: number;
  /** Untagged requests ajv rejects: the generator's misses (not failures of the mock), with a few examples. */
  generatorMisses: number;
  readonly generatorMissExamples: string[];
  /** Valid requests answered 422 (business rules the schemas cannot say, or a mock stricter than its spec), by message. */
  readonly validRefusals: Map<string, number>;
  /** Operations answered with a 2xx at least once, of all the spec's. */
  readonly succeeded: Set<string>;
  readonly operations: number;
  readonly failures: FailureClass[];
}

/**
 * Fuzzes one API: `numRuns` runs of generated requests with a fixed seed, every answer judged by the oracle.
 * Then, per failure class, fast-check replays the run where it first showed (`path`) and shrinks it to a
 * minimal request that still fails the same way.
 */
export async function fuzzApi(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const runs = fc.array(requestArbitrary(target.context), { minLength: 1, maxLength: options.maxSteps ?? 3 });
  const report: FuzzReport = {
    api: target.api,
    seed: options.seed,
    runs: options.numRuns,
    requests: 0,
    statuses: new Map(),
    serverErrors: 0,
    undocumented: 0,
    failing: 0,
    valid: 0,
    generatorMisses: 0,
    generatorMissExamples: [],
    validRefusals: new Map(),
    succeeded: new Set(),
    operations: target.spec.operations.length,
    failures: [],
  };
  const classes = new Map<string, FailureClass>();
  let run = 0;
  const survey = fc.asyncProperty(runs, async (steps) => {
    const results = await runSequence(target, steps);
    for (const result of results) record(target, report, classes, result, run, results);
    run += 1;
    return true;
  });
  const surveyed = await fc.check(survey, { seed: options.seed, numRuns: options.numRuns });
  if (surveyed.failed) throw new Error(`the fuzzer itself failed: ${String(surveyed.errorInstance)}`);
  report.failures.push(...[...classes.values()].sort((a, b) => a.firstRun - b.firstRun));

  const shrink = options.shrink ?? { classes: 8, timeLimitMs: 10_000 };
  for (const failure of report.failures.slice(0, shrink.classes)) {
    const fails = (results: readonly StepResult[]) =>
      results.some((result) => result.findings.some((finding) => finding.key === failure.key));
    const details = await fc.check(
      fc.asyncProperty(runs, async (steps) => !fails(await runSequence(target, steps))),
      {
        seed: options.seed,
        numRuns: options.numRuns,
        path: String(failure.firstRun),
        interruptAfterTimeLimit: shrink.timeLimitMs,
        markInterruptAsFailure: false,
      },
    );
    const [steps] = details.counterexample ?? [];
    const results = details.failed && steps ? await runSequence(target, steps) : [];
    if (!fails(results)) {
      // keep the first example, and say why it is not smaller
      failure.repro = failure.repro.replace(
        FIRST,
        `${FIRST}; replayed, it did not fail again in time: timing-dependent?`,
      );
      continue;
    }
    failure.repro = describeRun(
      results,
      failure.key,
      `seed ${options.seed}, path "${details.counterexamplePath ?? ""}"`,
    );
    failure.shrunk = true;
  }
  return report;
}

const FIRST = "first example, not shrunk";

function record(
  target: FuzzTarget,
  report: FuzzReport,
  classes: Map<string, FailureClass>,
  result: StepResult,
  run: number,
  all: readonly StepResult[],
): void {
  report.requests += 1;
  if (result.valid) report.valid += 1;
  if (result.generatorMiss) {
    report.generatorMisses += 1;
    if (report.generatorMissExamples.length < 5) {
      report.generatorMissExamples.push(`${result.request.operationId}: ${result.generatorMiss}`);
    }
  }
  const status = result.answer?.status;
  if (status !== undefined) {
    report.statuses.set(status, (report.statuses.get(status) ?? 0) + 1);
    if (status >= 500) report.serverErrors += 1;
    if (status >= 200 && status < 300) report.succeeded.add(result.operation.operationId);
    if (status === 422 && result.valid) {
      const message = `${result.operation.operationId}: ${normalise(target.oracle.messageOf(result.answer?.text ?? ""))}`;
      report.validRefusals.set(message, (report.validRefusals.get(message) ?? 0) + 1);
    }
  }
  if (result.findings.some((finding) => finding.kind === "undocumented-status")) report.undocumented += 1;
  if (result.findings.length > 0) report.failing += 1;
  for (const finding of result.findings) {
    let failure = classes.get(finding.key);
    if (!failure) {
      failure = {
        key: finding.key,
        kind: finding.kind,
        count: 0,
        operations: new Set(),
        shapes: new Set(),
        detail: finding.detail,
        firstRun: run,
        repro: describeRun(all, finding.key, FIRST),
        shrunk: false,
      };
      classes.set(finding.key, failure);
    }
    failure.count += 1;
    failure.operations.add(result.operation.operationId);
    if (failure.shapes.size < 8) failure.shapes.add(result.request.tags.join(" + ") || "valid");
  }
}

/** The requests of a run up to the one that failed with `key`, as a reader would replay them. */
function describeRun(results: readonly StepResult[], key: string, origin: string): string {
  const index = results.findIndex((result) => result.findings.some((finding) => finding.key === key));
  const lines = [`(${origin})`];
  for (const [at, result] of results.slice(0, index + 1).entries()) {
    const failing = at === index;
    const finding = result.findings.find((candidate) => candidate.key === key);
    lines.push(...describeStep(result, failing ? "FAILS" : "before it", failing ? finding : undefined));
  }
  return redact(lines.join("\n"));
}

function describeStep(result: StepResult, role: string, finding: Finding | undefined): string[] {
  const { rendered, request, answer } = result;
  const url = new URL(rendered.url);
  const lines = [
    `  ${role}: ${result.operation.operationId}${request.operationId === result.operation.operationId ? "" : ` (generated for ${request.operationId})`}${
      request.tags.length > 0 ? ` [${request.tags.join(", ")}]` : result.valid ? " [valid]" : ""
    }`,
    `    ${rendered.method} ${url.pathname}${url.search}`,
    ...Object.entries(rendered.headers).map(([name, value]) => `    ${name}: ${value}`),
  ];
  if (rendered.bodyShown !== undefined) lines.push(`    body: ${rendered.bodyShown}`);
  if (answer) {
    const type = answer.headers.get("content-type") ?? "no content type";
    const text = hideSecrets(answer.text);
    lines.push(`    → ${answer.status} ${type} ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`);
  }
  if (finding) lines.push(`    why: ${finding.detail}`);
  return lines;
}

export function formatReport(report: FuzzReport): string {
  const statuses = [...report.statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}×${count}`)
    .join(" ");
  const lines = [
    `${report.api}: ${report.requests} requests in ${report.runs} runs (seed ${report.seed}), ${report.valid} valid`,
    `  statuses: ${statuses}`,
    `  5xx: ${report.serverErrors}, undocumented status: ${report.undocumented}, failing requests: ${report.failing}, failure classes: ${report.failures.length}`,
    `  operations answered 2xx: ${report.succeeded.size}/${report.operations}`,
  ];
  if (report.generatorMisses > 0) {
    lines.push(`  generator misses (untagged but invalid; not counted as valid): ${report.generatorMisses}`);
    for (const example of report.generatorMissExamples) lines.push(`    ${redact(example)}`);
  }
  if (report.validRefusals.size > 0) {
    lines.push("  valid requests answered 422 (not failures; business rules, or a mock stricter than its spec):");
    const top = [...report.validRefusals.entries()].sort(([, a], [, b]) => b - a).slice(0, 12);
    for (const [message, count] of top) lines.push(`    ${count}× ${redact(message)}`);
  }
  for (const failure of report.failures) lines.push("", ...describeFailure(failure));
  return lines.join("\n");
}

export function describeFailure(failure: FailureClass): string[] {
  const operations = [...failure.operations];
  return [
    `  ✗ ${failure.key}  (${failure.count}×; ${operations.slice(0, 6).join(", ")}${operations.length > 6 ? ` +${operations.length - 6}` : ""})`,
    `    shapes: ${[...failure.shapes].join(" | ")}`,
    `    ${redact(failure.detail)}`,
    ...failure.repro.split("\n").map((line) => `  ${line}`),
  ];
}

/** An answer's text with the values of secret-looking members (a new key's `secret`) blanked out. */
function hideSecrets(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), (name, value) =>
      typeof value === "string" && /secret|token|password|api_?key$/i.test(name) ? "<hidden>" : value,
    );
  } catch {
    return text;
  }
}
