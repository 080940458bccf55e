/**
 * Samples of schemas json-schema-faker 0.6 gets wrong, mended by `SchemaSampler` where ajv's errors point: each
 * sample must match its schema as the mock's own validator reads it, and stay the same for the same seed.
 */
import { expect, test } from "vitest";
import type { MockApiSpec } from "../src/core/mock-api-spec.js";
import { RequestValidator } from "../src/core/request-validator.js";
import { SchemaSampler } from "../src/generic/sample.js";
import { SampleRepair } from "../src/generic/sample-repair.js";
import type { Schema } from "../src/generic/schema-walk.js";

function samplerFor(schemas: Record<string, unknown>, seed = 1): { sampler: SchemaSampler; matches: Matches } {
  const spec: MockApiSpec = {
    name: "samples",
    title: "Samples",
    servers: [],
    securitySchemes: {},
    security: [],
    operations: [],
    schemas,
  };
  const validator = new RequestValidator(spec);
  const matches: Matches = (schema, value) => validator.matches(schema, value);
  return { sampler: new SchemaSampler(schemas, seed, matches), matches };
}

type Matches = (schema: Schema, value: unknown) => boolean;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

test("an integer's minimum without a maximum is met (json-schema-faker answers below it)", () => {
  const schemas = {
    Prediction: {
      type: "object",
      required: ["year"],
      properties: { year: { type: "integer", minimum: 1886 }, shadow: { type: "integer", minimum: 0, maximum: 1 } },
    },
  };
  const { sampler, matches } = samplerFor(schemas);
  for (let n = 0; n < 5; n++) {
    const value = sampler.sample(schemas.Prediction, `prediction:${n}`) as { year: number };
    expect(matches(schemas.Prediction, value)).toBe(true);
    expect(value.year).toBeGreaterThanOrEqual(1886);
  }
});

test("numbers are brought within exclusive bounds and onto their multipleOf grid", () => {
  const repair = new SampleRepair({});
  const price = { type: "number", exclusiveMinimum: 10, maximum: 20, multipleOf: 0.25 };
  const value = repair.repair(price, 3.1, 1);
  expect(typeof value).toBe("number");
  expect(value as number).toBeGreaterThan(10);
  expect(value as number).toBeLessThanOrEqual(20);
  expect(((value as number) * 4) % 1).toBe(0);
  expect(repair.repair({ type: "integer", format: "int32" }, 2 ** 40, 1)).toBeLessThanOrEqual(2 ** 31 - 1);
});

test("format byte is base64, and the formats json-schema-faker answers with an empty string are filled in", () => {
  const schemas = {
    Blob: {
      type: "object",
      required: ["data", "link", "at", "took"],
      properties: {
        data: { type: "string", format: "byte" },
        link: { type: "string", format: "url" },
        at: { type: "string", format: "iso-date-time" },
        took: { type: "string", format: "duration" },
      },
    },
  };
  const { sampler, matches } = samplerFor(schemas);
  for (let n = 0; n < 10; n++) {
    const value = sampler.sample(schemas.Blob, `blob:${n}`) as Record<string, string>;
    expect(matches(schemas.Blob, value)).toBe(true);
    expect(value.data).toMatch(/^(?:[A-Za-z0-9+/]{4})+$/);
  }
  expect(matches({ type: "string", format: "byte" }, sampler.sample({ type: "string", format: "byte" }, "root"))).toBe(
    true,
  );
});

test("a oneOf whose branches both match an empty list gets a value only one branch matches", () => {
  const schemas = {
    Cat: { type: "object", required: ["meow"], properties: { meow: { type: "string" } } },
    Dog: { type: "object", required: ["bark"], properties: { bark: { type: "string" } } },
    Cats: { type: "object", properties: { total: { type: "integer" }, entries: { type: "array", items: ref("Cat") } } },
    Dogs: { type: "object", properties: { total: { type: "integer" }, entries: { type: "array", items: ref("Dog") } } },
  };
  const results = { oneOf: [ref("Cats"), ref("Dogs")] };
  const { sampler, matches } = samplerFor(schemas);
  for (let n = 0; n < 5; n++) {
    const value = sampler.sample(results, `search:${n}`);
    expect(matches(results, value)).toBe(true);
    expect([matches(schemas.Cats, value), matches(schemas.Dogs, value)].filter(Boolean)).toHaveLength(1);
  }
});

test("required properties past json-schema-faker's depth, and a null where an anyOf wants a string or an object", () => {
  const schemas = {
    Price: {
      type: "object",
      required: ["net", "gross"],
      properties: { net: { type: "string" }, gross: { type: "string" } },
    },
    Product: {
      type: "object",
      required: ["id", "name"],
      properties: { id: { type: "string" }, name: { type: "string" } },
    },
    Pricing: {
      type: "object",
      required: ["pricing"],
      properties: {
        pricing: {
          type: "object",
          required: ["types"],
          properties: {
            types: {
              type: "array",
              minItems: 1,
              items: {
                type: "object",
                required: ["prices"],
                properties: {
                  prices: {
                    type: "array",
                    minItems: 1,
                    items: {
                      type: "object",
                      required: ["hourly", "monthly", "product"],
                      properties: {
                        hourly: ref("Price"),
                        monthly: ref("Price"),
                        product: { anyOf: [{ type: "string", maxLength: 20 }, ref("Product")] },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
  const { sampler, matches } = samplerFor(schemas);
  const value = sampler.sample(schemas.Pricing, "pricing");
  expect(matches(schemas.Pricing, value)).toBe(true);
});

test("arrays are cut or filled to their sizes, extra properties dropped, enums and consts met", () => {
  const repair = new SampleRepair({});
  const list = { type: "array", minItems: 2, maxItems: 3, items: { type: "string", enum: ["a", "b", "c"] } };
  expect(repair.repair(list, ["a"], 1)).toHaveLength(2);
  expect(repair.repair(list, ["a", "b", "c", "a", "b"], 1)).toEqual(["a", "b", "c"]);
  const closed = {
    type: "object",
    additionalProperties: false,
    required: ["kind"],
    properties: { kind: { const: "file" }, size: { type: "integer", minimum: 0 } },
  };
  expect(repair.repair(closed, { kind: "folder", size: -3, extra: true }, 1)).toEqual({ kind: "file", size: 0 });
});

test("the same seed gives the same mended sample; a schema nothing matches gives a value, not an error", () => {
  const schemas = {
    Year: { type: "object", required: ["year"], properties: { year: { type: "integer", minimum: 1886 } } },
  };
  const first = samplerFor(schemas, 3).sampler.sample(schemas.Year, "a");
  const again = samplerFor(schemas, 3).sampler.sample(schemas.Year, "a");
  expect(again).toEqual(first);
  const impossible = { type: "integer", minimum: 5, maximum: 3 };
  const { sampler, matches } = samplerFor({});
  const value = sampler.sample(impossible, "impossible");
  expect(matches(impossible, value)).toBe(false);
});
