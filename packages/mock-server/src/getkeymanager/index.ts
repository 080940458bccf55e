import type { MockApiDefinition } from "../core/mock-api.js";
import type { AuthFailure } from "../core/mock-problem.js";
import { getKeyManagerSpec } from "../generated/getkeymanager/routes.js";
import { getKeyManagerResolvers } from "./resolvers.js";
import { signedEnvelope } from "./signed-envelope.js";
import { createGetKeyManagerState, type GetKeyManagerState } from "./state.js";

export { getKeyManagerDemoPublicKey } from "./demo-signing-keys.js";
export { getKeyManagerPublicKey } from "./signed-envelope.js";
export type { GetKeyManagerState } from "./state.js";
export { getKeyManagerDemoKeys } from "./state.js";

/** GetKeyManager's documented key error codes: 100 invalid, 101 inactive, 102 missing permission. */
const AUTH_CODES: Record<AuthFailure, number> = {
  missing: 100,
  malformed: 100,
  unknown: 100,
  wrong_environment: 100,
  inactive: 101,
  expired: 101,
  permission: 102,
};

const TROUBLESHOOTING: Partial<Record<AuthFailure, string>> = {
  inactive: "Verify that the key is Active and hasn't Expired.",
  expired: "Verify that the key is Active and hasn't Expired.",
  wrong_environment: "Ensure the key is being used against the correct environment endpoint.",
  permission: "Ensure the key has the specific permission required for the endpoint you are calling.",
};

/** GetKeyManager: every answer, errors included, is a signed `response` envelope whose `code` is authoritative. */
export const getKeyManagerMock: MockApiDefinition<GetKeyManagerState> = {
  spec: getKeyManagerSpec,
  createState: createGetKeyManagerState,
  keys: (state) => state.keys,
  resolvers: getKeyManagerResolvers,
  errorBody: (status, problem, _requestId, now) => {
    const hint = problem.authFailure ? TROUBLESHOOTING[problem.authFailure] : undefined;
    const code = problem.authFailure
      ? AUTH_CODES[problem.authFailure]
      : status === 429
        ? 150
        : (problem.apiCode ?? status);
    return signedEnvelope(
      {
        code,
        message: hint ? `${problem.message}. ${hint}` : problem.message,
        ...(problem.field ? { errors: { [problem.field]: [problem.message] } } : {}),
        ...(problem.retryAfter !== undefined ? { retry_after: problem.retryAfter } : {}),
      },
      now,
    );
  },
  defaultRateLimit: { requests: 600, perSeconds: 60 },
};
