import { errorBodyFromSpec } from "../core/error-shapes.js";
import type { MockApiDefinition } from "../core/mock-api.js";
import { erathosSpec } from "../generated/erathos/routes.js";
import { describedMockApi } from "../generic/described-api.js";
import { erathosCollections, erathosResolvers } from "./resolvers.js";
import { createErathosState, type ErathosState } from "./state.js";

export type { ErathosState } from "./state.js";
export { erathosDemoKeys, erathosDemoWorkspaceId } from "./state.js";

/** Erathos, from its description: `{count, next_page, …, results}` pages, `{error:{code,message,request_id}}` errors. */
export const erathosMock: MockApiDefinition<ErathosState> = describedMockApi(erathosSpec, {
  createState: createErathosState,
  keys: (state) => state.keys,
  collections: erathosCollections,
  resolvers: erathosResolvers,
  errorBody: errorBodyFromSpec(erathosSpec),
});
