import { demoKeys, type MockApiName } from "@keysmith/mock-server";
import { placementsOf } from "./credential-arbitrary.js";
import { type FuzzRequest, NEVER_SUCCEEDS } from "./fuzz-request.js";
import { MockProcess } from "./mock-host.js";
import { addressedOperation, loadSpec, type SpecApi, type SpecOperation } from "./openapi-spec.js";
import type { RequestArbitraryContext } from "./request-arbitrary.js";
import { type RenderedRequest, renderRequest } from "./request-render.js";
import { type Answer, type Finding, normalise, ResponseOracle } from "./response-oracle.js";
import { resourcesOf, ValuePool } from "./value-pool.js";

/** One API's standalone mock on loopback, its spec, and the oracle that judges its answers. */
export interface FuzzTarget {
  readonly api: MockApiName;
  readonly spec: SpecApi;
  readonly oracle: ResponseOracle;
  /** The mock, in a child process (see `MockProcess`); its base URL changes when it is restarted. */
  readonly mock: MockProcess;
  readonly context: RequestArbitraryContext;
  /** Values in the seed data's answers (ids…), gathered once after a reset. */
  readonly seedPool: ValuePool;
  close(): Promise<void>;
}

/** What one request of a run did. */
export interface StepResult {
  readonly request: FuzzRequest;
  /** The operation the URL addresses (a concrete path beats a template: `/procedures/summary`). */
  readonly operation: SpecOperation;
  readonly rendered: RenderedRequest;
  readonly answer: Answer | undefined;
  /** Meant to be valid and checked so with ajv. */
  readonly valid: boolean;
  /** Untagged, yet ajv rejects it: the generator's miss, not the mock's. */
  readonly generatorMiss: string | undefined;
  readonly findings: readonly Finding[];
}

type DemoKeyTable = Readonly<Record<string, Readonly<Record<string, string>>>>;
const keyTable = demoKeys as unknown as DemoKeyTable;

/** Starts a mock of one API (its own process and server, so resets stay per API) and reads its spec. */
export async function openFuzzTarget(api: MockApiName): Promise<FuzzTarget> {
  const mock = await MockProcess.start(api);
  const spec = loadSpec(api);
  const oracle = new ResponseOracle(spec);
  const context: RequestArbitraryContext = {
    spec,
    keyNames: Object.keys(keyTable[api] ?? {}),
    foreignKeys: Object.entries(keyTable)
      .filter(([other]) => other !== api)
      .map(([other, keys]) => ({ api: other, key: Object.keys(keys)[0] ?? "" })),
    schema: { resolve: oracle.resolve, formatFilter: (format, value) => oracle.formatAccepts(format, value) },
  };
  const target = { api, spec, oracle, mock, context, seedPool: new ValuePool(), close: () => mock.close() };
  await gatherSeedValues(target);
  return target;
}

/**
 * Back to the seed data (and fresh rate-limit windows) before every run, so a run's outcome depends on its
 * requests alone and fast-check can shrink it. Through the mock process's IPC, as `POST /__keysmith/reset`
 * would do it: a reset per run over HTTP would double the fuzzer's requests without testing anything of the API.
 */
export async function resetMock(target: FuzzTarget): Promise<void> {
  await target.mock.reset();
}

/** Runs requests in order against a freshly reset mock, each judged on its own. */
export async function runSequence(target: FuzzTarget, steps: readonly FuzzRequest[]): Promise<StepResult[]> {
  await resetMock(target);
  const pool = target.seedPool.copy();
  const results: StepResult[] = [];
  for (const [index, request] of steps.entries()) {
    const generated = target.spec.operations.find((op) => op.operationId === request.operationId);
    if (!generated) throw new Error(`no operation ${request.operationId}`);
    const rendered = renderFor(target, request, generated, pool);
    const pathname = new URL(rendered.url).pathname.slice(new URL(target.mock.baseUrl).pathname.length);
    const operation = addressedOperation(target.spec.operations, generated.method, pathname) ?? generated;
    const generatorMiss = request.tags.length === 0 ? whyInvalid(target, operation, rendered) : undefined;
    const valid = request.tags.length === 0 && generatorMiss === undefined;
    let answer: Answer | undefined;
    let findings: Finding[];
    try {
      answer = await send(rendered);
      findings = target.oracle.check(operation, answer);
      const rejected = rejectedValid(target, answer, valid && index === 0, valid);
      if (rejected) findings.push(rejected);
      const broken = request.tags.filter((tag) => NEVER_SUCCEEDS.includes(tag));
      if (broken.length > 0 && target.oracle.succeeded(operation, answer)) {
        findings.push({
          kind: "accepted-broken-request",
          key: `accepted-broken-request ${broken.join("+")}`,
          detail: `a request with ${broken.join(" and ")} was answered ${answer.status} as a success; the spec accepts no such request`,
        });
      }
      try {
        pool.harvest(JSON.parse(answer.text), resourcesOf(operation.path));
      } catch {
        // not JSON: nothing to learn from it
      }
    } catch (error) {
      // no answer: the mock hung (the request timed out) or its process died; either way a fresh one goes on
      const reason =
        (await target.mock.diedWithin(500)) ??
        (error instanceof Error && error.name === "TimeoutError"
          ? `no answer within ${TIMEOUT_MS / 1000} s (the mock hung, or works on and on)`
          : error instanceof Error
            ? `${error.name}: ${error.message}${error.cause ? ` (${String(error.cause)})` : ""}`
            : String(error));
      findings = [{ kind: "transport", key: `transport ${normalise(reason)}`, detail: reason }];
      await target.mock.restart();
      results.push({ request, operation, rendered, answer, valid, generatorMiss, findings });
      break;
    }
    results.push({ request, operation, rendered, answer, valid, generatorMiss, findings });
  }
  return results;
}

/** How long an answer may take: a few MB of body on a busy machine take well under a second. */
const TIMEOUT_MS = 5_000;

async function send(rendered: RenderedRequest): Promise<Answer> {
  const response = await fetch(rendered.url, {
    method: rendered.method,
    headers: rendered.headers,
    ...(rendered.body === undefined ? {} : { body: rendered.body }),
    redirect: "manual",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/**
 * A valid request is never refused as malformed (400), too large (413) or of the wrong media type (415); and
 * with the API's main demo key, as the first request after a reset (nothing revoked yet), never as unauthenticated.
 */
function rejectedValid(target: FuzzTarget, answer: Answer, fresh: boolean, valid: boolean): Finding | undefined {
  if (!valid) return undefined;
  const refused = [400, 413, 415].includes(answer.status) || (fresh && answer.status === 401);
  if (!refused) return undefined;
  const message = target.oracle.messageOf(answer.text);
  return {
    kind: "rejected-valid-request",
    key: `rejected-valid-request ${answer.status} ${normalise(message)}`,
    detail: `a request valid by the spec was refused with ${answer.status}${message ? `: ${message}` : ""}`,
  };
}

/** Why an untagged request is not valid after all (ajv says so), or undefined. */
function whyInvalid(target: FuzzTarget, operation: SpecOperation, rendered: RenderedRequest): string | undefined {
  const { oracle } = target;
  for (const param of operation.parameters) {
    const value =
      param.in === "path"
        ? rendered.typed.path[param.name]
        : param.in === "query"
          ? rendered.typed.query[param.name]
          : param.in === "header"
            ? rendered.headers[param.name]
            : undefined;
    if (value === undefined) {
      if (param.required) return `${param.in} ${param.name} missing`;
      continue;
    }
    const error = oracle.reject(param.schema, value);
    if (error)
      return `${param.in} ${param.name} ${JSON.stringify(value).slice(0, 60)}: ${error.instancePath} ${error.message}`;
  }
  const body = operation.requestBody;
  if (!body) return undefined;
  const typed = rendered.typed.body;
  if (!typed) return body.required ? "body missing" : undefined;
  const schema = body.content[typed.mediaType]?.schema;
  if (schema === undefined) return `body media type ${typed.mediaType} not documented`;
  const error = oracle.reject(schema, typed.value);
  return error ? `body ${error.instancePath || "(root)"} ${error.message} ${JSON.stringify(error.params)}` : undefined;
}

/**
 * Fills the seed pool: every GET without path parameters, then every GET with them (naming ids from the
 * first round), all with the main demo key. Fixed order, fixed seed data: the same pool on every run.
 */
async function gatherSeedValues(target: FuzzTarget): Promise<void> {
  await resetMock(target);
  const [key] = target.context.keyNames;
  const gets = target.spec.operations.filter(
    (op) => op.method === "get" && !op.parameters.some((p) => p.required && p.in !== "path"),
  );
  const hasPath = (op: SpecOperation) => op.parameters.some((p) => p.in === "path");
  for (const round of [gets.filter((op) => !hasPath(op)), gets.filter(hasPath)]) {
    for (const operation of round) {
      const [via] = placementsOf(operation, target.spec);
      for (const pick of hasPath(operation) ? [0, 1, 2] : [0]) {
        const request: FuzzRequest = {
          operationId: operation.operationId,
          path: Object.fromEntries(
            operation.parameters.filter((p) => p.in === "path").map((p) => [p.name, { pool: pick, fallback: "1" }]),
          ),
          query: [],
          headers: {},
          credential: key && via ? { kind: "demo", api: target.api, key, via } : { kind: "none" },
          body: undefined,
          tags: [],
        };
        const answer = await send(renderFor(target, request, operation, target.seedPool)).catch(() => undefined);
        if (!answer || answer.status >= 300) continue;
        try {
          target.seedPool.harvest(JSON.parse(answer.text), resourcesOf(operation.path));
        } catch {
          // not JSON
        }
      }
    }
  }
}

function renderFor(target: FuzzTarget, request: FuzzRequest, operation: SpecOperation, pool: ValuePool) {
  return renderRequest(request, {
    base: target.mock.baseUrl,
    operation,
    pool,
    secret: (api, key) => keyTable[api]?.[key] ?? "",
    accepts: (schema, value) => target.oracle.accepts(schema, value),
    resolve: target.oracle.resolve,
  });
}
