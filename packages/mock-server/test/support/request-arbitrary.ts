import fc from "fast-check";
import { bodyArbitrary } from "./body-arbitrary.js";
import { credentialArbitrary } from "./credential-arbitrary.js";
import type { FuzzRequest, PathValue, QueryEntry } from "./fuzz-request.js";
import type { SpecApi, SpecOperation, SpecParameter } from "./openapi-spec.js";
import { type SchemaArbitraryOptions, schemaArbitrary, textArbitrary } from "./schema-arbitrary.js";
import { bad, CROSS_SHRINK, ok, type Tagged } from "./tagged-arbitrary.js";

export interface RequestArbitraryContext {
  readonly spec: SpecApi;
  /** This API's demo key names, the one to use most first (`demoKeys.epoch`: token, expired). */
  readonly keyNames: readonly string[];
  /** Other APIs' demo keys, sent to this API as wrong credentials. */
  readonly foreignKeys: readonly { readonly api: string; readonly key: string }[];
  readonly schema: Omit<SchemaArbitraryOptions, "property" | "text">;
}

/** Any operation of the API, each a fair share of the time; shrinking stays within the operation. */
export function requestArbitrary(context: RequestArbitraryContext): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...context.spec.operations.map((operation) => operationArbitrary(operation, context)));
}

export function operationArbitrary(
  operation: SpecOperation,
  context: RequestArbitraryContext,
): fc.Arbitrary<FuzzRequest> {
  const params = (where: SpecParameter["in"]) => operation.parameters.filter((param) => param.in === where);
  const path = fc.tuple(...params("path").map((param) => pathValueArbitrary(param, context)));
  const headers = fc.tuple(...params("header").map((param) => headerArbitrary(param, context)));
  return fc
    .record({
      path,
      query: queryArbitrary(params("query"), context),
      headers,
      credential: credentialArbitrary(operation, context),
      body: bodyArbitrary(operation, context),
    })
    .map(({ path, query, headers, credential, body }) => {
      const pathParams = params("path");
      const headerParams = params("header");
      const tags = [
        ...path.map(([, tag]) => tag),
        query[1],
        ...headers.map(([, tag]) => tag),
        credential[1],
        body[1],
      ].filter((tag): tag is string => tag !== undefined);
      return {
        operationId: operation.operationId,
        path: Object.fromEntries(path.map(([value], index) => [pathParams[index]?.name ?? "", value])),
        query: query[0],
        headers: Object.fromEntries(
          headers.flatMap(([value], index) => (value === undefined ? [] : [[headerParams[index]?.name ?? "", value]])),
        ),
        credential: credential[0],
        body: body[0],
        tags: [...new Set(tags)],
      };
    });
}

const badEscapes = ["%", "%zz", "%E0%A4", "%C3%28", "%ED%A0%80", "%FF", "a%2", "%%41", "%00"];

/** Not sent: an empty segment, `.` or `..` make another URL (`/events//`), not this operation with that value. */
const segmentOk = (value: unknown) => !["", ".", ".."].includes(String(value));

function pathValueArbitrary(param: SpecParameter, context: RequestArbitraryContext): fc.Arbitrary<Tagged<PathValue>> {
  const valid = schemaArbitrary(param.schema, context.schema).filter(segmentOk);
  return fc.oneof(
    CROSS_SHRINK,
    { weight: 30, arbitrary: ok(fc.record({ pool: fc.nat({ max: 15 }), fallback: valid })) },
    { weight: 15, arbitrary: ok(valid.map((value) => ({ value }))) },
    {
      weight: 1,
      arbitrary: bad(
        "path:wrong-type",
        fc
          .constantFrom("abc", "-1", "0", "1.5", "1e3", "9".repeat(30), "null", "true", " 1", "[]")
          .map((value) => ({ value })),
      ),
    },
    {
      weight: 1,
      arbitrary: bad(
        "path:bad-escape",
        fc.constantFrom(...badEscapes).map((raw) => ({ raw })),
      ),
    },
    {
      weight: 1,
      arbitrary: bad(
        "path:unicode",
        textArbitrary(1, 12, "unicode")
          .filter(segmentOk)
          .map((value) => ({ value })),
      ),
    },
    {
      weight: 1,
      arbitrary: bad(
        "path:odd-characters",
        fc
          .constantFrom("a/b", "a?b", "a#b", "a b", "%2F", "..%2F..", "~", "a;b=c", "\u0000")
          .map((value) => ({ value })),
      ),
    },
    // a long segment, well under Node's 16 KiB header limit (past it Node answers 431 before the mock sees anything)
    {
      weight: 1,
      arbitrary: bad(
        "path:huge",
        fc.constantFrom(1_000, 6_000).map((n) => ({ value: "a".repeat(n) })),
      ),
    },
  );
}

function queryArbitrary(
  params: readonly SpecParameter[],
  context: RequestArbitraryContext,
): fc.Arbitrary<Tagged<QueryEntry[]>> {
  const declared = fc.tuple(
    ...params.map((param) => {
      const value = schemaArbitrary(param.schema, context.schema);
      return param.required ? value : fc.option(value, { nil: undefined, freq: 2 });
    }),
  );
  const valid: fc.Arbitrary<QueryEntry[]> = declared.map((values) =>
    values.flatMap((value, index) => (value === undefined ? [] : [{ name: params[index]?.name ?? "", value }])),
  );
  const names = params.map((param) => param.name);
  const variants: fc.Arbitrary<Tagged<QueryEntry[]>>[] = [
    bad(
      "query:unknown-parameter",
      fc
        .tuple(valid, fc.constantFrom("unknown", "__proto__", "page[size]", "💥", ""), textArbitrary(0, 8, "unicode"))
        .map(([entries, name, value]) => [...entries, { name, value }]),
    ),
    bad(
      "query:bad-escape",
      fc
        .tuple(valid, fc.constantFrom(...badEscapes, "&&", "=", "a=%", "a==b"))
        .map(([entries, raw]) => [...entries, { raw: names.length > 0 ? `${names[0]}=${raw}` : raw }]),
    ),
  ];
  if (params.length > 0) {
    const param = fc.constantFrom(...params);
    variants.push(
      bad(
        "query:wrong-type",
        fc
          .tuple(
            valid,
            param,
            fc.constantFrom("abc", "-1", "0", "1.5", "1e400", "", "true", "9".repeat(30), "[]", "{}"),
          )
          .map(([entries, p, value]) => [
            ...entries.filter((entry) => !("name" in entry) || entry.name !== p.name),
            { name: p.name, value },
          ]),
      ),
      bad(
        "query:repeated",
        fc
          .tuple(valid, param)
          .chain(([entries, p]) =>
            fc
              .tuple(schemaArbitrary(p.schema, context.schema), schemaArbitrary(p.schema, context.schema))
              .map(([a, b]) => [...entries, { name: p.name, value: a }, { name: p.name, value: b }]),
          ),
      ),
      bad(
        "query:huge",
        fc
          .tuple(valid, param)
          .map(([entries, p]) => [
            ...entries.filter((e) => !("name" in e) || e.name !== p.name),
            { name: p.name, value: "7".repeat(6_000) },
          ]),
      ),
    );
    if (params.some((p) => p.required)) {
      variants.push(
        bad(
          "query:missing-required",
          fc
            .tuple(valid, fc.constantFrom(...params.filter((p) => p.required)))
            .map(([entries, p]) => entries.filter((entry) => !("name" in entry) || entry.name !== p.name)),
        ),
      );
    }
  }
  return fc.oneof(CROSS_SHRINK, { weight: 9 * variants.length, arbitrary: ok(valid) }, ...variants);
}

function headerArbitrary(
  param: SpecParameter,
  context: RequestArbitraryContext,
): fc.Arbitrary<Tagged<string | undefined>> {
  const valid = schemaArbitrary(param.schema, { ...context.schema, text: "ascii" }).map(String);
  return fc.oneof(
    CROSS_SHRINK,
    { weight: 8, arbitrary: ok(param.required ? valid : fc.option(valid, { nil: undefined })) },
    { weight: 1, arbitrary: bad("header:invalid", fc.constantFrom("", " ", "x".repeat(300), "ä".repeat(3))) },
    ...(param.required ? [{ weight: 1, arbitrary: bad("header:missing", fc.constant(undefined)) }] : []),
  );
}
