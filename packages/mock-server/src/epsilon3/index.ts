import { errorBodyFromSpec } from "../core/error-shapes.js";
import type { MockApiDefinition } from "../core/mock-api.js";
import { epsilon3Spec } from "../generated/epsilon3/routes.js";
import { buildsResolvers } from "./builds.js";
import { epsilon3Resolvers } from "./resolvers.js";
import { createEpsilon3State, type Epsilon3State } from "./state.js";

export type { Epsilon3State } from "./state.js";
export { epsilon3DemoKeys } from "./state.js";

/** Epsilon3: errors are a bare `{message}`; 15,000 requests per 10 minutes per key. */
export const epsilon3Mock: MockApiDefinition<Epsilon3State> = {
  spec: epsilon3Spec,
  createState: createEpsilon3State,
  keys: (state) => state.keys,
  resolvers: { ...epsilon3Resolvers, ...buildsResolvers },
  errorBody: errorBodyFromSpec(epsilon3Spec),
  defaultRateLimit: { requests: 15_000, perSeconds: 600 },
};
