import fc from "fast-check";
import type { Credential, Placement } from "./fuzz-request.js";
import type { SpecApi, SpecOperation } from "./openapi-spec.js";
import type { RequestArbitraryContext } from "./request-arbitrary.js";
import { textArbitrary } from "./schema-arbitrary.js";
import { bad, CROSS_SHRINK, ok, type Tagged } from "./tagged-arbitrary.js";

/** Styles the four APIs use; another API's style is a wrong one here. */
const STYLES: readonly Placement[] = [
  { style: "basic" },
  { style: "bearer" },
  { style: "header", name: "Authorization", prefix: "token" },
  { style: "header", name: "Authorization", prefix: "Api-Key" },
  { style: "query", name: "api_key" },
];

/** The places this operation takes a key: its security requirement's schemes (and a body field where allowed). */
export function placementsOf(operation: SpecOperation, spec: SpecApi): Placement[] {
  const names = operation.security.length > 0 ? operation.security.flat() : Object.keys(spec.securitySchemes);
  const out: Placement[] = [];
  for (const name of names) {
    const scheme = spec.securitySchemes[name];
    if (!scheme || scheme.type === "other") continue;
    if (scheme.type === "basic" || scheme.type === "bearer") out.push({ style: scheme.type });
    else if (scheme.type === "header") out.push({ style: "header", name: scheme.name, prefix: scheme.prefix });
    else if (scheme.type === "query") {
      out.push({ style: "query", name: scheme.name });
      if (scheme.alsoInBody && operation.requestBody) out.push({ style: "body", name: scheme.name });
    }
  }
  return out;
}

export function credentialArbitrary(
  operation: SpecOperation,
  context: RequestArbitraryContext,
): fc.Arbitrary<Tagged<Credential>> {
  const api = context.spec.name;
  const own = placementsOf(operation, context.spec);
  const ownJson = own.map((placement) => JSON.stringify(placement));
  const wrong = STYLES.filter((style) => !ownJson.includes(JSON.stringify(style)));
  const [primary, ...others] = context.keyNames;
  const variants: fc.WeightedArbitrary<Tagged<Credential>>[] = [
    { weight: 1, arbitrary: bad("credential:none", fc.constant({ kind: "none" as const })) },
    {
      weight: 1,
      arbitrary: bad(
        "credential:malformed-authorization",
        fc
          .constantFrom(
            "",
            "garbage",
            "Basic",
            "Basic !!!",
            "Basic Og==",
            "Bearer",
            "Bearer  ",
            "token",
            "Api-Key",
            "Digest x",
            "🔑",
          )
          .filter((value) => /^[\x20-\x7e]*$/.test(value))
          .map((value) => ({ kind: "authorization" as const, value })),
      ),
    },
  ];
  if (own.length > 0 && primary !== undefined) {
    const via = fc.constantFrom(...own);
    // the right key first: shrinking heads there
    variants.unshift({
      weight: 30,
      arbitrary: ok(via.map((v) => ({ kind: "demo" as const, api, key: primary, via: v }))),
    });
    variants.push({
      weight: 1,
      arbitrary: bad(
        "credential:unknown-secret",
        fc
          .tuple(textArbitrary(0, 40, "ascii"), via)
          .map(([secret, v]) => ({ kind: "garbage" as const, secret, via: v })),
      ),
    });
    if (others.length > 0) {
      variants.push({
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(...others), via)
          .map(([key, v]): Tagged<Credential> => [{ kind: "demo", api, key, via: v }, `credential:${key}`]),
      });
    }
    if (context.foreignKeys.length > 0) {
      variants.push({
        weight: 1,
        arbitrary: bad(
          "credential:another-api",
          fc
            .tuple(fc.constantFrom(...context.foreignKeys), via)
            .map(([foreign, v]) => ({ kind: "demo" as const, ...foreign, via: v })),
        ),
      });
    }
    if (wrong.length > 0) {
      variants.push({
        weight: 1,
        arbitrary: bad(
          "credential:wrong-style",
          fc.constantFrom(...wrong).map((v) => ({ kind: "demo" as const, api, key: primary, via: v })),
        ),
      });
    }
  }
  return fc.oneof(CROSS_SHRINK, ...variants);
}
