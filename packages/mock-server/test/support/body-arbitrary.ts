import fc from "fast-check";
import type { BodySpec, PoolPick } from "./fuzz-request.js";
import { jsonMutationArbitrary } from "./json-mutations.js";
import type { JsonSchema, SpecOperation } from "./openapi-spec.js";
import type { RequestArbitraryContext } from "./request-arbitrary.js";
import { schemaArbitrary } from "./schema-arbitrary.js";
import { bad, CROSS_SHRINK, ok, type Tagged } from "./tagged-arbitrary.js";

const JSON_TYPES = ["application/json", "application/json; charset=utf-8", "Application/JSON"];

/** A body for the operation: valid in each documented media type, or broken in one of many ways. */
export function bodyArbitrary(
  operation: SpecOperation,
  context: RequestArbitraryContext,
): fc.Arbitrary<Tagged<BodySpec | undefined>> {
  const body = operation.requestBody;
  const canCarry = !["get", "head"].includes(operation.method); // fetch sends no body with GET or HEAD
  if (!body) {
    if (!canCarry) return ok(fc.constant(undefined));
    return fc.oneof(
      CROSS_SHRINK,
      { weight: 8, arbitrary: ok(fc.constant(undefined)) },
      {
        weight: 1,
        arbitrary: bad(
          "body:unexpected",
          fc.constantFrom<BodySpec>(
            { kind: "text", contentType: "application/json", text: '{"unexpected":true}' },
            { kind: "text", contentType: "application/json", text: "{not json" },
            { kind: "text", contentType: "text/plain", text: "hello" },
          ),
        ),
      },
    );
  }
  const types = Object.keys(body.content);
  const jsonType = types.find((type) => /^application\/(.+\+)?json$/.test(type));
  const form = types.includes("application/x-www-form-urlencoded");
  const schema = (jsonType ? body.content[jsonType]?.schema : body.content[types[0] ?? ""]?.schema) ?? true;
  const value = schemaArbitrary(schema, { ...context.schema, property: pooledProperty });
  const valid: fc.Arbitrary<BodySpec>[] = [];
  if (jsonType)
    valid.push(
      fc.record({
        kind: fc.constant("json" as const),
        // the same type spelt the ways HTTP allows (case, parameters)
        contentType: fc.constantFrom(...(jsonType === "application/json" ? JSON_TYPES : [jsonType])),
        value,
      }),
    );
  if (form) valid.push(fc.record({ kind: fc.constant("form" as const), value }));
  if (valid.length === 0) return ok(fc.constant(undefined)); // a media type the fuzzer does not write
  const textOf = schemaArbitrary(schema, context.schema).map((v) => JSON.stringify(v) ?? "null");
  const variants: fc.WeightedArbitrary<Tagged<BodySpec | undefined>>[] = [
    { weight: 34, arbitrary: ok(fc.oneof(...valid)) },
    {
      weight: 8,
      arbitrary: bad(
        "body:mutated",
        fc.oneof(
          ...(jsonType
            ? [
                fc.record({
                  kind: fc.constant("json" as const),
                  contentType: fc.constant("application/json"),
                  value,
                  mutation: jsonMutationArbitrary,
                }),
              ]
            : []),
          ...(form
            ? [
                fc.record({
                  kind: fc.constant("form" as const),
                  value,
                  mutation: jsonMutationArbitrary.filter((m) => m.kind !== "deep"),
                }),
              ]
            : []),
        ),
      ),
    },
    {
      weight: 2,
      // what each text really is decides its tag: a truncated `123` is still JSON
      arbitrary: fc
        .oneof(
          fc.tuple(textOf, fc.nat()).map(([text, cut]) => text.slice(0, cut % Math.max(1, text.length))),
          fc.tuple(textOf, fc.constantFrom("}", ",", "x", "]", "\u0000", '"')).map(([text, tail]) => text + tail),
          textOf.map((text) => text.replaceAll('"', "'")),
          fc.constantFrom("{name:", "NaN", "[1,]", '"unterminated', "{}}", "{'a':1}", "undefined", "   ", "\u0000"),
        )
        .map(
          (text): Tagged<BodySpec> => [
            { kind: "text", contentType: "application/json", text },
            jsonTag(text, body.required),
          ],
        ),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        // RFC 8259 §8.1 lets a parser ignore a byte order mark, so a BOM is neither wrong nor right
        bad(
          "body:bom",
          textOf.map((text): BodySpec => ({ kind: "text", contentType: "application/json", text: `\ufeff${text}` })),
        ),
        bad(
          "body:not-utf8",
          fc.constantFrom<BodySpec>(
            {
              kind: "bytes",
              contentType: "application/json",
              hex: Buffer.from('{"name":"\xff\xfe"}', "latin1").toString("hex"),
            },
            { kind: "bytes", contentType: "application/json", hex: "7b226e616d65223a22c0af227d" }, // an overlong "/"
            {
              kind: "bytes",
              contentType: "application/json",
              hex: Buffer.from('\ufeff{"name":"x"}', "utf16le").toString("hex"),
            },
          ),
        ),
        // a coding the bytes do not have: a server that cannot decode them must not act on them (RFC 9110 §8.4)
        bad(
          "body:content-encoding",
          fc.tuple(textOf, fc.constantFrom("gzip", "br", "x-unknown")).map(
            ([text, coding]): BodySpec => ({
              kind: "text",
              contentType: "application/json",
              text,
              contentEncoding: coding,
            }),
          ),
        ),
      ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          textOf,
          fc.constantFrom<string | null>(
            null,
            "text/plain",
            "application/xml",
            "multipart/form-data",
            "application/octet-stream",
            "application/json-patch+json",
            "application/json, text/plain",
            ...(form ? [] : ["application/x-www-form-urlencoded"]),
          ),
        )
        .map(
          ([text, contentType]): Tagged<BodySpec> => [
            { kind: "text", contentType, text },
            // without a Content-Type a server may sniff the type (RFC 9110 §8.3)
            contentType === null ? "body:no-content-type" : "body:wrong-content-type",
          ],
        ),
    },
    {
      weight: 1,
      arbitrary: bad(
        "body:huge",
        fc.record({
          kind: fc.constant("huge" as const),
          contentType: fc.constant("application/json"),
          bytes: fc.constantFrom(200_000, 1_100_000, 2_500_000),
          shape: fc.constantFrom("string-member" as const, "array" as const, "garbage" as const),
        }),
      ),
    },
  ];
  if (body.required) {
    variants.push({
      weight: 1,
      arbitrary: bad(
        "body:missing",
        fc.constantFrom<BodySpec | undefined>(undefined, { kind: "text", contentType: "application/json", text: "" }),
      ),
    });
  }
  return fc.oneof(CROSS_SHRINK, ...variants);
}

/** What a hand-written JSON body text is: malformed, blank, or JSON after all. */
function jsonTag(text: string, required: boolean): string {
  if (text.trim() === "") return required ? "body:missing" : "body:empty";
  try {
    JSON.parse(text);
    return "body:mutated";
  } catch {
    return "body:malformed-json";
  }
}

/**
 * Scalar body members sometimes take a value seen in the mock's answers under the same name (an existing
 * `license_key`, `procedure_id`, `user_id`), so requests reach past "not found".
 */
function pooledProperty(name: string, schema: JsonSchema, arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  if (!POOLED.test(name) || typeof schema !== "object" || "enum" in schema || "const" in schema) return arbitrary;
  if (schema.type === "object" || schema.type === "array") return arbitrary;
  const pooled: fc.Arbitrary<PoolPick> = fc.record({
    $pool: fc.constant(name),
    pick: fc.nat({ max: 15 }),
    fallback: arbitrary,
  });
  return fc.oneof({ weight: 2, arbitrary }, { weight: 1, arbitrary: pooled });
}

/** Members that name something which exists (ids, keys), worth taking from the mock's answers. */
const POOLED = /(^|_)(id|key|identifier|uuid|email)$/;
