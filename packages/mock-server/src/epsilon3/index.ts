import { errorBodyFromSpec } from "../core/error-shapes.js";
import type { MockApiDefinition } from "../core/mock-api.js";
import { epsilon3Spec } from "../generated/epsilon3/routes.js";
import { describedMockApi } from "../generic/described-api.js";
import { epsilon3Collections, epsilon3Resolvers } from "./resolvers.js";
import { createEpsilon3State, type Epsilon3State } from "./state.js";

export type { Epsilon3State } from "./state.js";
export { epsilon3DemoKeys } from "./state.js";

/** Epsilon3, from its description: errors are a bare `{message}`; 15,000 requests per 10 minutes per key. */
export const epsilon3Mock: MockApiDefinition<Epsilon3State> = describedMockApi(epsilon3Spec, {
  createState: createEpsilon3State,
  keys: (state) => state.keys,
  collections: epsilon3Collections,
  resolvers: epsilon3Resolvers,
  errorBody: errorBodyFromSpec(epsilon3Spec),
  defaultRateLimit: { requests: 15_000, perSeconds: 600 },
});
