import type { MockApiDefinition } from "../core/mock-api.js";
import type { RouteSpec } from "../core/mock-api-spec.js";
import type { AuthFailure, ProblemDetails } from "../core/mock-problem.js";
import { getKeyManagerSpec } from "../generated/getkeymanager/routes.js";
import { describedMockApi } from "../generic/described-api.js";
import { apiKeyResolvers } from "./api-keys.js";
import { catalogResolvers } from "./catalog.js";
import { licenseResolvers } from "./licenses.js";
import { signedEnvelope } from "./signed-envelope.js";
import { createGetKeyManagerState, type GetKeyManagerState } from "./state.js";
import { telemetryResolvers } from "./telemetry.js";

export { getKeyManagerDemoPublicKey } from "./demo-signing-keys.js";
export { getKeyManagerPublicKey } from "./signed-envelope.js";
export type { GetKeyManagerState } from "./state.js";
export { getKeyManagerDemoKeys } from "./state.js";

/**
 * The reference's key error codes (errors/response-examples.md), all answered with 401: 100 invalid, 101
 * inactive, 102 lacking the capability, 103 not from this IP address.
 */
const AUTH_CODES: Record<AuthFailure, number> = {
  missing: 100,
  malformed: 100,
  unknown: 100,
  wrong_environment: 100,
  inactive: 101,
  expired: 101,
  permission: 102,
};

/** The reference's messages for those codes. */
const AUTH_MESSAGES: Record<number, string> = {
  100: "Invalid API Key",
  101: "Inactive API Key",
  102: "The used API key doesn't have the required capability to access this endpoint",
};

/**
 * Operations whose reference documents a code of their own for a request that fails validation (answered
 * with HTTP 200, like every logical failure); other operations answer such requests with the modelled 422.
 */
const VALIDATION_CODES: Readonly<Record<string, { code: number; message: string; field?: string }>> = {
  createProduct: { code: 751, message: "Incorrect data found" },
  updateProduct: { code: 651, message: "Incorrect data found" },
  createContract: { code: 825, message: "Incorrect data found" },
  updateContract: { code: 825, message: "Incorrect data found" },
  activateLicense: { code: 215, message: "Identifier is required", field: "identifier" },
};

function validationCode(problem: ProblemDetails, route: RouteSpec | undefined) {
  const documented = route && problem.code === "invalid" ? VALIDATION_CODES[route.operationId] : undefined;
  return documented && (documented.field === undefined || problem.field === documented.field) ? documented : undefined;
}

/**
 * GetKeyManager, on the described-API core: every answer, failures included, is a signed envelope whose
 * `response.code` is authoritative; logical failures come with HTTP 200, key failures with 401 (codes 100–103).
 * Its RPC paths (`/create-product`, `/get-all-products`…) name no resource the core could keep, and every answer
 * is a code and message of its own, so each operation keeps its resolver: the license lifecycle, the catalog
 * (products, generators, contracts), telemetry and the modelled API-key administration.
 */
export const getKeyManagerMock: MockApiDefinition<GetKeyManagerState> = describedMockApi(getKeyManagerSpec, {
  createState: createGetKeyManagerState,
  keys: (state) => state.keys,
  resolvers: () => ({ ...licenseResolvers, ...catalogResolvers, ...telemetryResolvers, ...apiKeyResolvers }),
  errorStatus: (status, problem, route) => {
    if (problem.authFailure === "permission") return 401;
    return validationCode(problem, route) ? 200 : status;
  },
  errorBody: async (status, problem, _requestId, now, route) => {
    const validation = validationCode(problem, route);
    const authCode = problem.authFailure ? AUTH_CODES[problem.authFailure] : undefined;
    const code = validation?.code ?? authCode ?? problem.apiCode ?? (status === 429 ? 429 : status);
    const message = validation?.message ?? (authCode ? AUTH_MESSAGES[authCode] : undefined) ?? problem.message;
    const field = problem.field?.split(".")[0];
    const errors = validation || (status === 422 && field) ? { [field ?? "body"]: [problem.message] } : undefined;
    const envelope = await signedEnvelope({ code, message, ...(errors ? { errors } : {}), ...problem.extra }, now);
    // where the vendor SDKs read it
    return problem.retryAfter !== undefined ? { ...envelope, retry_after: problem.retryAfter } : envelope;
  },
  defaultRateLimit: { requests: 600, perSeconds: 60 },
});
