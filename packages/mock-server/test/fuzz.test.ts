import type { MockApiName } from "@keysmith/mock-server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formatReport, fuzzApi } from "./support/fuzz-runner.js";
import { type FuzzTarget, openFuzzTarget } from "./support/fuzz-target.js";
import { loadSpec } from "./support/openapi-spec.js";
import { type Answer, ResponseOracle } from "./support/response-oracle.js";
import { schemaArbitrary } from "./support/schema-arbitrary.js";

/**
 * Property-based fuzzing of the standalone mock against the spec text: generated requests (valid ones, and
 * ones wrong on purpose: types, missing members, nesting, malformed JSON, media types, escapes, sizes,
 * credentials) over real HTTP. Every answer must come (no hang, no dropped connection), be no 5xx, have a
 * status documented for its operation and a body its schema accepts; a valid request is never refused as
 * malformed, and a malformed one never succeeds. Failures print a shrunk request, keys by name only.
 * A small fixed-seed sample here; `npm run fuzz` runs thousands (see `fuzz-cli.ts`).
 */
const SAMPLE: readonly (readonly [MockApiName, number])[] = [
  ["epsilon3", 0x5eede3],
  ["epoch", 0x5eede0],
  ["getkeymanager", 0x5eed6b],
  ["erathos", 0x5eede7],
];

// each API's mock is a child process (a request that hangs it or exhausts its memory must not take the test
// runner along): started together, as they take a moment each
const targets = new Map<MockApiName, Promise<FuzzTarget>>();
beforeAll(() => {
  for (const [api] of SAMPLE) targets.set(api, openFuzzTarget(api));
});
afterAll(async () => {
  for (const target of targets.values()) await (await target).close();
});

describe.each(SAMPLE)("%s, fuzzed", (api, seed) => {
  test("answers 150 generated runs only as its spec documents", { timeout: 60_000 }, async () => {
    const target = await targets.get(api);
    if (!target) throw new Error(`no target for ${api}`);
    const report = await fuzzApi(target, { seed, numRuns: 150, shrink: { classes: 4, timeLimitMs: 1_500 } });
    expect(report.requests).toBeGreaterThanOrEqual(150);
    expect(
      report.failures.map((failure) => failure.key),
      formatReport(report),
    ).toEqual([]);
  });
});

describe("the fuzzer's own parts", () => {
  const epoch = loadSpec("epoch");
  const oracle = new ResponseOracle(epoch);
  const operation = (id: string) => {
    const found = epoch.operations.find((op) => op.operationId === id);
    if (!found) throw new Error(id);
    return found;
  };
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
    status,
    headers: new Headers(body === undefined ? headers : { "Content-Type": "application/json", ...headers }),
    text: body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body),
  });
  const error = { error: { code: "x", message: "m", request_id: "req_1" } };
  const page = { count: 0, next: null, previous: null, results: [] };

  // an oracle that never objects looks just like a mock that never fails: each kind of finding, on purpose
  test.each([
    ["a conforming page", "listEvents", answer(200, page), []],
    ["a documented error", "getEvent", answer(404, error), []],
    ["a 5xx, even a documented one", "listEvents", answer(503, error), ["server-error"]],
    ["an undocumented status", "listEvents", answer(418, error), ["undocumented-status"]],
    ["a body its schema rejects", "listEvents", answer(200, { ...page, count: -1 }), ["body-schema"]],
    [
      "another media type",
      "listEvents",
      answer(200, "<p>", { "Content-Type": "text/html" }),
      ["undocumented-media-type"],
    ],
    ["a body where none is documented", "deleteEvent", answer(204, {}), ["unexpected-body"]],
    ["no body where one is documented", "getEvent", answer(200, undefined), ["missing-body"]],
    ["a 401 without a challenge", "getEvent", answer(401, error), ["header"]],
    ["a header off its schema", "listEvents", answer(200, page, { "RateLimit-Remaining": "many" }), ["header"]],
  ] as const)("the oracle on %s", (_case, id, given, kinds) => {
    expect(oracle.check(operation(id), given).map((finding) => finding.kind)).toEqual(kinds);
  });

  test("the oracle holds GetKeyManager's failures at HTTP 200 to their documented codes", () => {
    const gkm = new ResponseOracle(loadSpec("getkeymanager"));
    const verify = loadSpec("getkeymanager").operations.find((op) => op.operationId === "verifyLicense");
    if (!verify) throw new Error("verifyLicense");
    const envelope = (code: number) => ({
      response: { code, message: "m", timestamp: 1 },
      response_base64: "e30=",
      private_key_used: "global",
      signature: "s",
    });
    expect(gkm.check(verify, answer(200, envelope(210))).map((finding) => finding.kind)).toEqual([]);
    expect(gkm.check(verify, answer(200, envelope(999))).map((finding) => finding.kind)).toEqual([
      "undocumented-result-code",
    ]);
  });

  // the converter's values must satisfy ajv, or "valid" requests would not be valid
  test.each(["epsilon3", "epoch", "getkeymanager", "erathos"])(
    "every request schema of %s yields values ajv accepts",
    (api) => {
      const spec = loadSpec(api);
      const judge = new ResponseOracle(spec);
      const schemas = spec.operations.flatMap((op) => [
        ...op.parameters.map((param) => param.schema),
        ...Object.values(op.requestBody?.content ?? {}).map((media) => media.schema ?? true),
      ]);
      const options = { resolve: judge.resolve, formatFilter: (f: string, v: string) => judge.formatAccepts(f, v) };
      for (const schema of schemas) {
        fc.assert(
          fc.property(schemaArbitrary(schema, options), (value) => {
            expect(judge.reject(schema, value)).toBeUndefined();
          }),
          { seed: 7, numRuns: 25 },
        );
      }
    },
  );
});
