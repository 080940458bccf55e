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
  getkeymanager: "/getkeymanager/production/api/v1",
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
  listTelemetryParameters: () => ({ query: { dictionary_id: 1 } }),
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
  verifyLicense: () => ({ body: { license_key: "ACME-1111-2222-3333", identifier: "ada-laptop" } }),
  activateLicense: () => ({ body: { license_key: "ACME-1111-2222-3333", identifier: "ada-desktop" } }),
  deactivateLicense: () => ({ body: { license_key: "ACME-1111-2222-3333", identifier: "ada-laptop" } }),
  getLicenseKeyDetails: () => ({ body: { license_key: "WPPL-0000-1111-2222" } }),
  listLicenseKeys: () => ({ query: { product_id: 1, per_page: 2 } }),
  createLicenseKeys: () => ({ body: { license_keys: ["CONTRACT-1"], product_id: 1 } }),
  assignLicenseKey: () => ({ body: { product_id: 1, owner_email: "c@example.com" } }),
  sendTelemetryData: () => ({ body: { data_type: "text", text_data: "hi", license_key: "ACME-1111-2222-3333" } }),
  getTelemetryData: () => ({ query: { has_red_flags: false } }),
  listProducts: () => ({}),
  listApiKeys: () => ({}),
  getCurrentApiKey: () => ({}),
  createApiKey: () => ({ body: { name: "Contract", environment: "staging", permissions: ["license:read"] } }),
  regenerateApiKey: () => ({ path: { key_id: "key_dev" } }),
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
  activateLicense: () => ({ body: { license_key: "ACME-1111-2222-3333", identifier: "ada-laptop" } }),
  assignLicenseKey: () => ({ body: { product_id: 2, owner_email: "c@example.com" } }),
  createApiKey: () => ({ body: { name: "Staging CI", environment: "staging", permissions: ["license:read"] } }),
  runJob: () => ({ path: { workspace_id: ws, job_id: job(2) } }),
  createVariable: () => ({ path: { workspace_id: ws }, body: { name: "DBT_ACCOUNT", value: "1" } }),
  createSecret: () => ({ path: { workspace_id: ws }, body: { name: "DBT_TOKEN", value: "1" } }),
};

/** Documented 404s of operations whose path does not name the missing thing. */
const NOT_FOUND_BY_BODY: Record<string, () => Call> = {
  listEvents: () => ({ query: { page: 99 } }),
  verifyLicense: () => ({ body: { license_key: "NOPE-0000", identifier: "x" } }),
  activateLicense: () => ({ body: { license_key: "NOPE-0000", identifier: "x" } }),
  deactivateLicense: () => ({ body: { license_key: "ACME-1111-2222-3333", identifier: "never-activated" } }),
  getLicenseKeyDetails: () => ({ body: { license_key: "NOPE-0000" } }),
  createLicenseKeys: () => ({ body: { license_keys: ["XXXX-0001"], product_id: 99 } }),
  assignLicenseKey: () => ({ body: { product_id: 99, owner_email: "c@example.com" } }),
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

async function expectContract(api: MockApiName, route: RouteSpec, call: Call, want: number): Promise<void> {
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
  const validate = validatorFor(spec, route, String(want));
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

    test("401 without a key, in the API's shape", async () => {
      await expectContract(api, route, { ...SUCCESS[operationId]?.(), authorization: null }, 401);
    });

    test("429 with Retry-After and RateLimit-*", async () => {
      server.mock.inject({ api, operationId, status: 429, times: 1 });
      await expectContract(api, route, SUCCESS[operationId]?.() ?? {}, 429);
    });

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
      test("422 for a body of the wrong type", async () => {
        const base = SUCCESS[operationId]?.() ?? {};
        await expectContract(
          api,
          route,
          { ...base, body: Array.isArray(base.body) ? { not: "a list" } : ["not", "an", "object"] },
          422,
        );
      });
    }

    if (
      documented(403) &&
      (api === "getkeymanager"
        ? route.permission && route.permission !== "license:read"
        : api === "erathos" && pathNames.includes("workspace_id"))
    ) {
      test("403 for a key that may not", async () => {
        const base = SUCCESS[operationId]?.() ?? {};
        const call =
          api === "getkeymanager"
            ? { ...base, authorization: `Bearer ${demoKeys.getkeymanager.readOnly}` }
            : { ...base, path: { ...base.path, workspace_id: state().erathos.state.workspaces[1]?._id ?? "" } };
        await expectContract(api, route, call, 403);
      });
    }
  });
});
