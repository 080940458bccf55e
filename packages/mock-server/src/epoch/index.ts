import { errorBodyFromSpec } from "../core/error-shapes.js";
import type { MockApiDefinition } from "../core/mock-api.js";
import { epochSpec } from "../generated/epoch/routes.js";
import { describedMockApi } from "../generic/described-api.js";
import { epochCollections, epochResolvers } from "./resolvers.js";
import { createEpochState, type EpochState } from "./state.js";

export type { EpochState } from "./state.js";
export { epochDemoKeys } from "./state.js";

/** Epoch, from its description: Django REST Framework pages, `{error:{code,message,request_id}}` errors. */
export const epochMock: MockApiDefinition<EpochState> = describedMockApi(epochSpec, {
  createState: createEpochState,
  keys: (state) => state.keys,
  collections: epochCollections,
  resolvers: epochResolvers,
  errorBody: errorBodyFromSpec(epochSpec),
});
