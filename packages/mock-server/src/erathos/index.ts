import { errorBodyFromSpec } from "../core/error-shapes.js";
import type { MockApiDefinition } from "../core/mock-api.js";
import { erathosSpec } from "../generated/erathos/routes.js";
import { erathosResolvers } from "./resolvers.js";
import { createErathosState, type ErathosState } from "./state.js";

export type { ErathosState } from "./state.js";
export { erathosDemoKeys, erathosDemoWorkspaceId } from "./state.js";

/** Erathos: `{error:{code,message,request_id}}` errors. */
export const erathosMock: MockApiDefinition<ErathosState> = {
  spec: erathosSpec,
  createState: createErathosState,
  keys: (state) => state.keys,
  resolvers: erathosResolvers,
  errorBody: errorBodyFromSpec(erathosSpec),
  defaultRateLimit: { requests: 1_000, perSeconds: 60 },
};
