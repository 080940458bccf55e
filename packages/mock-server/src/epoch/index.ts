import { errorBodyFromSpec } from "../core/error-shapes.js";
import type { MockApiDefinition } from "../core/mock-api.js";
import { epochSpec } from "../generated/epoch/routes.js";
import { epochResolvers } from "./resolvers.js";
import { createEpochState, type EpochState } from "./state.js";

export type { EpochState } from "./state.js";
export { epochDemoKeys } from "./state.js";

/** Epoch: `{error:{code,message,request_id}}` errors. */
export const epochMock: MockApiDefinition<EpochState> = {
  spec: epochSpec,
  createState: createEpochState,
  keys: (state) => state.keys,
  resolvers: epochResolvers,
  errorBody: errorBodyFromSpec(epochSpec),
  defaultRateLimit: { requests: 1_000, perSeconds: 60 },
};
