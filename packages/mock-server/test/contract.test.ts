/**
 * The contract test: every operation of the four specs, through the standalone server, with a plain HTTP
 * client (fetch, not the SDK). Each answer's status must be one the spec documents for the operation, its
 * body must match that status's schema (checked here with a fresh ajv, independently of the server's own
 * check), and its headers must carry what the spec promises: a request id, RateLimit-* once the key is
 * known, Retry-After on 429. The success case runs for every operation; the documented errors run where
 * they can happen: 401 (no key) and 429 (injected) everywhere, 403, 404, 409 and 422 where they apply.
 */

import {
  demoErathosWorkspaceId,
  demoKeys,
  type MockApiName,
  type MockApiSpec,
  mockApis,
  type RouteSpec,
  type RunningMockServer,
  startMockServer,
} from "@keysmith/mock-server";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsImport from "ajv-formats";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";

const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (
  ajv: Ajv2020,
) => Ajv2020;

let server: RunningMockServer;
beforeAll(async () => {
  server = await startMockServer({ port: 0 });
});
afterEach(() => server.mock.reset());
afterAll(() => server.close());

const basic = (key: string) => `Basic ${btoa(`${key}:`)}`;
const AUTH: Record<MockApiName, string> = {
  epsilon3: basic(demoKeys.epsilon3.workspace),
  epoch: `token ${demoKeys.epoch.token}`,
  getkeymanager: `Bearer ${demoKeys.getkeymanager.production}`,
  erathos: `Api-Key ${demoKeys.erathos.key}`,
};
const BASE: Record<MockApiName, string> = {
  epsilon3: "/epsilon3",
  epoch: "/epoch/api/v1",
  getkeymanager: "/getkeymanager/api/v1",
  erathos: "/erathos/developers",
};

interface Call {
  readonly path?: Record<string, string | number>;
  readonly query?: Record<string, string | number | boolean | readonly string[]>;
  readonly body?: unknown;
  readonly authorization?: string | null;
}

const state = () => server.mock.apis;
const ws = demoErathosWorkspaceId;
const job = (n: number) => state().erathos.state.jobs[n]?._id ?? "";
const webhook = () => state().erathos.state.webhooks[0]?._id ?? "";
const procedure = () => state().epsilon3.state.procedures[0]?._id ?? "";
const run = (n = 0) => state().epsilon3.state.runs[n]?._id ?? "";
const ADA = "3a343c8a-38fe-4b6e-ad77-111111111111";
const FREE = "3a343c8a-38fe-4b6e-ad77-222222222222";
const CONTRACT_KEY = "6dabe9fa-3512-49b4-beb5-7f837b510ec3-1234";
const PRODUCT = { source: "internal", name: "Contract", description: "d", require_non_expired: 0, status: "active" };
const CONTRACT = {
  contract_key: "contract-2",
  contract_name: "Contract",
  contract_information: "i",
  product_id: 1,
  license_keys_quantity: 5,
  status: "active",
  can_get_info: 1,
  can_generate: 1,
  can_destroy: 1,
  can_destroy_all: 1,
};
const TELEMETRY = {
  data_type: "text",
  data_group: "g",
  text_data: "hi",
  product_id: 1,
  user_identifier: "u",
  license_key: ADA,
  activation_identifier: "ada-laptop",
  product_version: "3.2.0",
};

/** A request that succeeds, per operation. */
const SUCCESS: Record<string, () => Call> = {
  listProcedures: () => ({}),
  getProcedure: () => ({ path: { procedureId: procedure() } }),
  startRun: () => ({ body: { procedure_id: procedure(), variables: { operator: "contract" } } }),
  listRuns: () => ({ query: { "run-state": ["running", "paused"], limit: 1 } }),
  getRun: () => ({ path: { runId: run() } }),
  endRun: () => ({ path: { runId: run() }, body: { status: "success" } }),
  getRunMetadata: () => ({ path: { runId: run() } }),
  updateRunMetadata: () => ({ path: { runId: run() }, body: { ticket: "OPS-1" } }),
  listDictionaries: () => ({}),
  createDictionary: () => ({ body: { name: "Contract" } }),
  listTelemetryParameters: () => ({}),
  listParts: () => ({}),
  getPart: () => ({ path: { partId: "vnWtKWleNWiuSQbBPNdE5F" }, query: { revisionId: "B" } }),
  listInventory: () => ({}),
  getInventoryItem: () => ({ path: { itemId: state().epsilon3.state.inventory[0]?.id ?? "" } }),
  search: () => ({ query: { limit: 2 }, body: { query: "test" } }),
  createTelemetryParameter: () => ({ body: { name: "temp_c", type: "float", dictionary_id: 1 } }),
  bulkUpsertTelemetryParameters: () => ({ body: [{ name: "rssi", type: "int", dictionary_id: 2 }] }),
  listCommands: () => ({}),
  createCommand: () => ({ body: { name: "safe_mode", dictionary_id: 1 } }),
  listEvents: () => ({ query: { page_size: 2 } }),
  createEvent: () => ({
    body: {
      title: "Contract",
      start: "2027-03-01T17:00:00Z",
      end: "2027-03-01T18:00:00Z",
      timezone: "UTC",
      location_type: "virtual",
      team_id: 1,
    },
  }),
  getEvent: () => ({ path: { event_id: 1 } }),
  updateEvent: () => ({ path: { event_id: 1 }, body: { title: "Renamed" } }),
  deleteEvent: () => ({ path: { event_id: 2 } }),
  listEventSessions: () => ({ path: { event_id: 3 } }),
  listGuests: () => ({ path: { event_id: 1 } }),
  inviteGuest: () => ({ path: { event_id: 1 }, body: { user_id: 4, rsvp_status: "going" } }),
  checkInGuest: () => ({ path: { event_id: 1 }, body: { user_id: 3 } }),
  listResponses: () => ({ path: { event_id: 1 } }),
  listTeams: () => ({}),
  listUsers: () => ({ query: { role: "employee" } }),
  verifyLicense: () => ({ body: { license_key: ADA, identifier: "ada-laptop" } }),
  activateLicense: () => ({ body: { license_key: ADA, identifier: "ada-desktop" } }),
  deactivateLicense: () => ({ body: { license_key: ADA, identifier: "ada-laptop" } }),
  getLicenseKeyDetails: () => ({ body: { license_key: ADA, identifier: "ada-laptop" } }),
  listLicenseKeys: () => ({ query: { product_id: 1, page: 1, items_per_page: 2 } }),
  createLicenseKeys: () => ({
    body: { license_keys: ["CONTRACT-1"], product_id: 1, activation_limit: 1, validity: 30, status: "available" },
  }),
  updateLicenseKey: () => ({
    body: { license_key: FREE, product_id: 1, activation_limit: 2, validity: 30, status: "reserved" },
  }),
  deleteLicenseKey: () => ({ body: { license_key: FREE } }),
  assignLicenseKey: () => ({ body: { license_key: FREE, owner_name: "C", email: "c@example.com" } }),
  assignAndActivateLicenseKey: () => ({
    body: { license_key: FREE, identifier: "c.example.com", owner_email: "c@example.com", owner_name: "C" },
  }),
  randomAssignLicenseKeys: () => ({ body: { product_id: 1, owner_email: "c@example.com", quantity: 1, generate: 0 } }),
  randomAssignLicenseKeysQueued: () => ({
    body: {
      product_id: 1,
      owner_email: "c@example.com",
      quantity: 1,
      generate: 0,
      webhook_url: "https://x.example/h",
      identifier: "order-1",
    },
  }),
  accessDownloadables: () => ({ body: { license_key: ADA, identifier: "ada-laptop" } }),
  getAvailableLicenseKeysCount: () => ({ query: { product_id: 1 } }),
  createLicenseKeyMeta: () => ({ body: { license_key: ADA, identifier: "ada-laptop", key: "k", value: "v" } }),
  updateLicenseKeyMeta: () => ({ body: { license_key: ADA, identifier: "ada-laptop", key: "seat", value: "2" } }),
  deleteLicenseKeyMeta: () => ({ body: { license_key: ADA, identifier: "ada-laptop", key: "seat" } }),
  listProducts: () => ({}),
  createProduct: () => ({ body: PRODUCT }),
  updateProduct: () => ({ body: { product_id: 2, ...PRODUCT } }),
  deleteProduct: () => ({ body: { product_id: 2 } }),
  createProductMeta: () => ({ body: { product_id: 1, key: "k", value: "v" } }),
  updateProductMeta: () => ({ body: { product_id: 1, key: "edition", value: "v" } }),
  deleteProductMeta: () => ({ body: { product_id: 1, key: "edition" } }),
  getProductChangelog: () => ({ path: { slug: "acme-desktop" } }),
  listGenerators: () => ({}),
  generateLicenseKeys: () => ({ body: { generator_id: 1, quantity: 2 } }),
  sendTelemetryData: () => ({ body: TELEMETRY }),
  getTelemetryData: () => ({ query: { has_red_flags: 0 } }),
  listContracts: () => ({}),
  createContract: () => ({ body: CONTRACT }),
  updateContract: () => ({ body: { contract_id: 1, ...CONTRACT } }),
  deleteContract: () => ({ body: { contract_id: 1 } }),
  getContractInfo: () => ({}),
  generateContractLicenseKeys: () => ({ body: { contract_uuid: CONTRACT_KEY, quantity: 1 } }),
  destroyContractLicenseKey: () => {
    const license = state().getkeymanager.state.licenses[0];
    if (license) license.contract_id = 1;
    return { body: { license_key: ADA } };
  },
  destroyAllContractLicenseKeys: () => {
    const contract = state().getkeymanager.state.contracts[0];
    if (contract) contract.can_destroy_all = 1;
    const license = state().getkeymanager.state.licenses[1];
    if (license) license.contract_id = 1;
    return { body: { contract_uuid: CONTRACT_KEY } };
  },
  listApiKeys: () => ({}),
  getCurrentApiKey: () => ({}),
  createApiKey: () => ({ body: { name: "Contract", environment: "staging", permissions: ["license:read"] } }),
  regenerateApiKey: () => ({ path: { key_id: "key_stg" } }),
  revokeApiKey: () => ({ path: { key_id: "key_stg" } }),
  listWorkspaces: () => ({}),
  listJobs: () => ({ path: { workspace_id: ws } }),
  getJob: () => ({ path: { workspace_id: ws, job_id: job(0) } }),
  runJob: () => ({ path: { workspace_id: ws, job_id: job(0) }, body: { force_history: true } }),
  getExecution: () => ({
    path: { workspace_id: ws, job_id: job(0), execution_id: state().erathos.state.executions[0]?._id ?? "" },
  }),
  listWebhooks: () => ({ path: { workspace_id: ws } }),
  createWebhook: () => ({
    path: { workspace_id: ws },
    body: { description: "c", is_active: true, method: "POST", url: "https://x.example/h", rules: [], jobs: [job(0)] },
  }),
  getWebhook: () => ({ path: { workspace_id: ws, webhook_id: webhook() } }),
  updateWebhook: () => ({ path: { workspace_id: ws, webhook_id: webhook() }, body: { is_active: false } }),
  deleteWebhook: () => ({ path: { workspace_id: ws, webhook_id: webhook() } }),
  listVariables: () => ({ path: { workspace_id: ws } }),
  createVariable: () => ({ path: { workspace_id: ws }, body: { name: "REGION", value: "eu" } }),
  listSecrets: () => ({ path: { workspace_id: ws } }),
  createSecret: () => ({ path: { workspace_id: ws }, body: { name: "TOKEN", value: "s" } }),
};

/** Requests that meet a documented 409, per operation. */
const CONFLICT: Record<string, () => Call> = {
  createDictionary: () => ({ body: { name: "Flight" } }),
  endRun: () => ({ path: { runId: run(1) }, body: {} }),
  createTelemetryParameter: () => ({ body: { name: "battery_voltage", type: "float", dictionary_id: 1 } }),
  createCommand: () => ({ body: { name: "set_mode", dictionary_id: 1 } }),
  inviteGuest: () => ({ path: { event_id: 1 }, body: { user_id: 1 } }),
  checkInGuest: () => ({ path: { event_id: 1 }, body: { user_id: 1 } }),
  runJob: () => ({ path: { workspace_id: ws, job_id: job(2) } }),
  createVariable: () => ({ path: { workspace_id: ws }, body: { name: "DBT_ACCOUNT", value: "1" } }),
  createSecret: () => ({ path: { workspace_id: ws }, body: { name: "DBT_TOKEN", value: "1" } }),
};

/**
 * Requests that meet a documented failure code, answered with 200 (`x-keysmith-result-code`), per operation:
 * `[call, code]`.
 */
const RESULT_FAILURE: Record<string, () => [Call, number]> = {
  verifyLicense: () => [{ body: { license_key: "NOPE-0000", identifier: "x" } }, 210],
  activateLicense: () => [{ body: { license_key: ADA, identifier: "ada-laptop" } }, 301],
  deactivateLicense: () => [{ body: { license_key: ADA, identifier: "never-activated" } }, 401],
  getLicenseKeyDetails: () => [{ body: { license_key: ADA, identifier: "elsewhere" } }, 202],
  assignLicenseKey: () => [{ body: { license_key: ADA } }, 801],
  randomAssignLicenseKeys: () => [
    { body: { product_id: 1, owner_email: "c@example.com", quantity: 9, generate: 0 } },
    802,
  ],
  getAvailableLicenseKeysCount: () => [{ query: { product_id: 99 } }, 740],
  updateProductMeta: () => [{ body: { product_id: 1, key: "nope", value: "v" } }, 372],
  updateProduct: () => [{ body: { product_id: 99, ...PRODUCT } }, 651],
  createProduct: () => [{ body: { ...PRODUCT, status: "unknown" } }, 751],
  sendTelemetryData: () => [{ body: { data_type: "text", data_group: "g" } }, 831],
  createContract: () => [{ body: { ...CONTRACT, contract_key: CONTRACT_KEY } }, 825],
  deleteContract: () => [{ body: { contract_id: 99 } }, 844],
  deleteProduct: () => [{ body: { product_id: 99 } }, 551],
  deleteLicenseKey: () => [{ body: { license_key: "NOPE" } }, 851],
  createLicenseKeys: () => [
    { body: { license_keys: ["X-1"], product_id: 99, activation_limit: 1, validity: 1, status: "available" } },
    901,
  ],
  generateContractLicenseKeys: () => [{ body: { contract_uuid: "nope", quantity: 1 } }, 1200],
  getProductChangelog: () => [{ path: { slug: "nope" } }, 551],
};

/** Documented 404s of operations whose path does not name the missing thing. */
const NOT_FOUND_BY_BODY: Record<string, () => Call> = {
  listEvents: () => ({ query: { page: 99 } }),
  createTelemetryParameter: () => ({ body: { name: "t", type: "int", dictionary_id: 99 } }),
  createCommand: () => ({ body: { name: "c", dictionary_id: 99 } }),
  bulkUpsertTelemetryParameters: () => ({ body: [{ name: "t", type: "int", dictionary_id: 99 }] }),
  startRun: () => ({ body: { procedure_id: "0000000000000000000000" } }),
  listWorkspaces: () => ({ query: { page: 99 } }),
  listTeams: () => ({ query: { page: 99 } }),
  listUsers: () => ({ query: { page: 99 } }),
};

const MISSING_ID: Record<string, string | number> = {
  procedureId: "0000000000000000000000",
  runId: "0000000000000000000000",
  partId: "0000000000000000000000",
  itemId: "0000000000000000000000",
  event_id: 999,
  key_id: "key_missing",
  workspace_id: "00000000-0000-4000-8000-000000000000",
  job_id: "00000000-0000-4000-8000-000000000000",
  execution_id: "00000000-0000-4000-8000-000000000000",
  webhook_id: "00000000-0000-4000-8000-000000000000",
};

function urlOf(api: MockApiName, route: RouteSpec, call: Call): string {
  const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(String(call.path?.[name] ?? "")),
  );
  const url = new URL(server.url + BASE[api] + path);
  for (const [name, value] of Object.entries(call.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
  }
  return url.href;
}

const validators = new Map<string, ValidateFunction | null>();
function validatorFor(spec: MockApiSpec, route: RouteSpec, status: string): ValidateFunction | null {
  const key = `${spec.name} ${route.operationId} ${status}`;
  if (!validators.has(key)) {
    const schema = route.responses[status];
    if (schema === null || schema === undefined) validators.set(key, null);
    else {
      const ajv = addFormats(new Ajv2020({ strict: false }));
      const rewrite = (node: unknown): unknown =>
        Array.isArray(node)
          ? node.map(rewrite)
          : node && typeof node === "object"
            ? Object.fromEntries(
                Object.entries(node).map(([k, v]) => [
                  k,
                  k === "$ref" && typeof v === "string" ? v.replace("#/components/schemas/", "#/$defs/") : rewrite(v),
                ]),
              )
            : node;
      validators.set(key, ajv.compile({ ...(rewrite(schema) as object), $defs: rewrite(spec.schemas) as object }));
    }
  }
  return validators.get(key) ?? null;
}

/** A 2xx body whose result code is not a success code of the operation (`x-keysmith-result-code`). */
function resultFailureCode(spec: MockApiSpec, route: RouteSpec, status: number, body: unknown): string | undefined {
  const success = route.successCodes ?? spec.resultCode?.success;
  if (!spec.resultCode || !success || status < 200 || status > 299) return undefined;
  let node = body;
  for (const token of spec.resultCode.code.split("/").slice(1)) {
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[token] : undefined;
  }
  return node !== undefined && !success.includes(String(node)) ? String(node) : undefined;
}

function failureValidator(spec: MockApiSpec): ValidateFunction {
  const ref = spec.resultCode?.failure ?? "";
  return validatorFor(
    spec,
    { operationId: "(failure)", responses: { failure: { $ref: ref } } } as never,
    "failure",
  ) as ValidateFunction;
}

async function expectContract(
  api: MockApiName,
  route: RouteSpec,
  call: Call,
  want: number,
  wantCode?: number,
): Promise<void> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const authorization = call.authorization === undefined ? AUTH[api] : call.authorization;
  if (authorization !== null) headers.Authorization = authorization;
  const response = await fetch(urlOf(api, route, call), {
    method: route.method.toUpperCase(),
    headers,
    ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
  });
  const text = await response.text();
  const label = `${route.operationId} → ${response.status}: ${text.slice(0, 300)}`;
  expect(response.status, label).toBe(want);
  const spec = mockApis[api].spec;
  expect(Object.keys(route.responses), label).toContain(String(want));
  const failureCode = text ? resultFailureCode(spec, route, response.status, JSON.parse(text)) : undefined;
  expect(failureCode, label).toBe(wantCode === undefined ? undefined : String(wantCode));
  if (failureCode !== undefined) expect(route.failureCodes, label).toContain(failureCode);
  const validate = failureCode !== undefined ? failureValidator(spec) : validatorFor(spec, route, String(want));
  if (validate) {
    expect(response.headers.get("content-type"), label).toBe("application/json");
    const valid = validate(JSON.parse(text));
    expect(valid, `${label}\n${JSON.stringify(validate.errors)}`).toBe(true);
  } else {
    expect(text, label).toBe("");
  }
  expect(response.headers.get("x-request-id"), label).toMatch(/^req_/);
  if (want !== 401 && want !== 403) expect(response.headers.get("ratelimit-limit"), label).toMatch(/^\d+$/);
  if (want === 429) expect(Number(response.headers.get("retry-after")), label).toBeGreaterThan(0);
}

describe.each(Object.keys(mockApis) as MockApiName[])("%s", (api) => {
  const { operations } = mockApis[api].spec;

  test("every operation has a success case here", () => {
    expect(operations.filter((op) => !SUCCESS[op.operationId]).map((op) => op.operationId)).toEqual([]);
  });

  describe.each(operations.map((route) => [route.operationId, route] as const))("%s", (operationId, route) => {
    const documented = (status: number) => route.responses[String(status)] !== undefined;

    test(`success: ${route.successStatus}`, async () => {
      await expectContract(api, route, SUCCESS[operationId]?.() ?? {}, route.successStatus);
    });

    const open = route.security !== undefined && route.security.length === 0;
    if (!open) {
      test("401 without a key, in the API's shape", async () => {
        await expectContract(api, route, { ...SUCCESS[operationId]?.(), authorization: null }, 401);
      });
    }

    if (documented(429)) {
      test("429 with Retry-After and RateLimit-*", async () => {
        server.mock.inject({ api, operationId, status: 429, times: 1 });
        await expectContract(api, route, SUCCESS[operationId]?.() ?? {}, 429);
      });
    }

    if (RESULT_FAILURE[operationId]) {
      test("a documented failure code, answered with 200", async () => {
        const [call, code] = RESULT_FAILURE[operationId]?.() ?? [{}, 0];
        await expectContract(api, route, call, 200, code);
      });
    }

    const pathNames = Array.from(route.path.matchAll(/\{([^}]+)\}/g), (match) => match[1] ?? "");
    if (documented(404) && (pathNames.length > 0 || NOT_FOUND_BY_BODY[operationId])) {
      test("404 for something that does not exist", async () => {
        const base = SUCCESS[operationId]?.() ?? {};
        const last = pathNames.at(-1);
        const call = NOT_FOUND_BY_BODY[operationId]?.() ?? {
          ...base,
          path: { ...base.path, ...(last ? { [last]: MISSING_ID[last] ?? "x" } : {}) },
        };
        await expectContract(api, route, call, 404);
      });
    }

    if (documented(409) && CONFLICT[operationId]) {
      test("409 for a conflict", async () => {
        await expectContract(api, route, CONFLICT[operationId]?.() ?? {}, 409);
      });
    }

    if (documented(422) && route.requestBody?.required) {
      test("422 for a body of the wrong type (or the operation's own documented code for it)", async () => {
        const base = SUCCESS[operationId]?.() ?? {};
        const call = { ...base, body: Array.isArray(base.body) ? { not: "a list" } : ["not", "an", "object"] };
        const ownCode = { createProduct: 751, updateProduct: 651, createContract: 825, updateContract: 825 }[
          operationId as "createProduct"
        ];
        await expectContract(api, route, call, ownCode ? 200 : 422, ownCode);
      });
    }

    if (documented(403) && api === "erathos" && pathNames.includes("workspace_id")) {
      test("403 for a key that may not", async () => {
        const base = SUCCESS[operationId]?.() ?? {};
        const call = { ...base, path: { ...base.path, workspace_id: state().erathos.state.workspaces[1]?._id ?? "" } };
        await expectContract(api, route, call, 403);
      });
    }

    if (api === "getkeymanager" && route.permission && route.permission !== "license:read") {
      test("401 with code 102 for a key without the capability", async () => {
        const base = SUCCESS[operationId]?.() ?? {};
        const call = { ...base, authorization: `Bearer ${demoKeys.getkeymanager.readOnly}` };
        await expectContract(api, route, call, 401);
      });
    }
  });
});
