import { demoErathosWorkspaceId, demoKeys } from "@keysmith/mock-server";
import { Epoch, Epsilon3, Erathos, GetKeyManager } from "@keysmith/sdk";
import { describe, expect, test } from "vitest";
import { epochApi } from "../src/generated/epoch/api.js";
import { epsilon3Api } from "../src/generated/epsilon3/api.js";
import { erathosApi } from "../src/generated/erathos/api.js";
import { getKeyManagerApi } from "../src/generated/getkeymanager/api.js";
import { useMock } from "./support/use-mock.js";

const { mock } = useMock();

/** `[operationId, call, what the answer must show]`: one row per operation of each spec. */
type Row<C> = [string, (client: C) => Promise<unknown>, (result: unknown) => void];

/** A row whose check is typed by what the SDK method returns, so the table also tests the SDK's types. */
function row<C, R>(id: string, call: (client: C) => Promise<R>, check: (result: R) => void): Row<C> {
  return [id, call, check as (result: unknown) => void];
}

const epsilon3 = () => new Epsilon3({ apiKey: demoKeys.epsilon3.workspace });
const procedureId = () => mock.apis.epsilon3.state.procedures[0]?._id ?? "";
const runId = () => mock.apis.epsilon3.state.runs[0]?._id ?? "";

const epsilon3Rows: Row<Epsilon3>[] = [
  row(
    "listProcedures",
    (c) => c.procedures.list(),
    (r) => expect(r.data).toHaveLength(3),
  ),
  row(
    "getProcedure",
    (c) => c.procedures.get({ procedureId: procedureId() }),
    (r) => expect(r.code).toBe("OPS-101"),
  ),
  row(
    "startRun",
    (c) => c.runs.start({ procedure_id: procedureId() }),
    (r) => expect(r.run_id).toMatch(/^[0-9A-Za-z]{22}$/),
  ),
  row(
    "listRuns",
    (c) => c.runs.list({ "run-state": ["running", "paused"], limit: 1 }),
    (r) => {
      expect(r.data).toHaveLength(1);
      expect(r.pagination.next_page_token).toEqual(expect.any(String));
    },
  ),
  row(
    "getRun",
    (c) => c.runs.get({ runId: runId() }),
    (r) => expect(r.state).toBe("running"),
  ),
  row(
    "endRun",
    (c) => c.runs.end({ runId: runId(), status: "abort" }),
    (r) => expect([r.state, r.status]).toEqual(["completed", "abort"]),
  ),
  row(
    "getRunMetadata",
    (c) => c.runs.getMetadata({ runId: runId() }),
    (r) => expect(r).toEqual({ operator: "demo" }),
  ),
  row(
    "updateRunMetadata",
    (c) => c.runs.updateMetadata({ runId: runId(), body: { ticket: "OPS-1", operator: null } }),
    (r) => expect(r).toEqual({ ticket: "OPS-1" }),
  ),
  row(
    "listDictionaries",
    (c) => c.dictionaries.list(),
    (r) => expect(r.map((d: { name: string }) => d.name)).toEqual(["Flight", "Ground"]),
  ),
  row(
    "createDictionary",
    (c) => c.dictionaries.create({ name: "Payload" }),
    (r) => expect(r).toEqual({ id: 3 }),
  ),
  row(
    "listTelemetryParameters",
    (c) => c.telemetry.listParameters({ dictionary_id: 1 }),
    (r) => expect(r.data).toHaveLength(2),
  ),
  row(
    "createTelemetryParameter",
    (c) => c.telemetry.createParameter({ name: "temp_c", type: "float", dictionary_id: 2 }),
    (r) => expect(r.name).toBe("temp_c"),
  ),
  row(
    "bulkUpsertTelemetryParameters",
    (c) =>
      c.telemetry.bulkUpsertParameters({
        body: [
          { name: "battery_voltage", type: "float", dictionary_id: 1, description: "updated" },
          { name: "rssi", type: "int", dictionary_id: 2 },
        ],
      }),
    (r) => expect(r).toEqual({ created: 1, updated: 1 }),
  ),
  row(
    "listCommands",
    (c) => c.commands.list(),
    (r) => expect(r.data).toHaveLength(2),
  ),
  row(
    "createCommand",
    (c) => c.commands.create({ name: "safe_mode", dictionary_id: 1 }),
    (r) => expect(r.name).toBe("safe_mode"),
  ),
];

const epoch = () => new Epoch({ apiKey: demoKeys.epoch.token, serverVariables: { subdomain: "acme" } });
const epochRows: Row<Epoch>[] = [
  row(
    "listEvents",
    (c) => c.events.list({ page_size: 2 }),
    (r) => {
      expect(r.count).toBe(3);
      expect(r.next).toBe("https://acme.epochapp.com/api/v1/events/?page_size=2&page=2");
    },
  ),
  row(
    "createEvent",
    (c) =>
      c.events.create({
        title: "Offsite",
        start: "2027-03-01T17:00:00Z",
        end: "2027-03-01T20:00:00Z",
        timezone: "Europe/Paris",
        location_type: "in_person",
        team_id: 2,
      }),
    (r) => expect([r.id, r.session_count]).toEqual([100, 1]),
  ),
  row(
    "getEvent",
    (c) => c.events.get({ event_id: 1 }),
    (r) => expect(r.estimated_attendees).toBe(1),
  ),
  row(
    "updateEvent",
    (c) => c.events.update({ event_id: 1, start: "2026-12-04T17:00:00Z", end: "2026-12-04T18:00:00Z" }),
    (r) => expect(r.estimated_attendees).toBe(0),
  ),
  row(
    "deleteEvent",
    (c) => c.events.delete({ event_id: 2 }),
    (r) => expect(r).toBeUndefined(),
  ),
  row(
    "listEventSessions",
    (c) => c.events.listSessions({ event_id: 3 }),
    (r) => expect(r.count).toBe(4),
  ),
  row(
    "listGuests",
    (c) => c.guests.list({ event_id: 1, rsvp_status: "going" }),
    (r) => expect(r.results).toHaveLength(1),
  ),
  row(
    "inviteGuest",
    (c) => c.guests.invite({ event_id: 2, user_id: 4, rsvp_status: "going" }),
    (r) => expect([r.rsvp_status, r.waitlist_position]).toEqual(["waitlisted", 1]),
  ),
  row(
    "checkInGuest",
    (c) => c.checkIns.create({ event_id: 1, user_id: 3 }),
    (r) => expect(r.checked_in_at).toEqual(expect.any(String)),
  ),
  row(
    "listResponses",
    (c) => c.responses.list({ event_id: 1 }),
    (r) => expect(r.results[0]?.kind).toBe("feedback"),
  ),
  row(
    "listTeams",
    (c) => c.teams.list(),
    (r) => expect(r.count).toBe(2),
  ),
  row(
    "listUsers",
    (c) => c.users.list({ role: "employee" }),
    (r) => expect(r.count).toBe(2),
  ),
];

const gkm = () => new GetKeyManager({ apiKey: demoKeys.getkeymanager.production });
const gkmRows: Row<GetKeyManager>[] = [
  row(
    "verifyLicense",
    (c) => c.licenses.verify({ license_key: "ACME-1111-2222-3333", identifier: "ada-laptop" }),
    (r) => expect(r.response.code).toBe(200),
  ),
  row(
    "activateLicense",
    (c) => c.licenses.activate({ license_key: "ACME-1111-2222-3333", identifier: "ada-desktop" }),
    (r) => expect(r.response.data?.activations_left).toBe(0),
  ),
  row(
    "deactivateLicense",
    (c) => c.licenses.deactivate({ license_key: "ACME-1111-2222-3333", identifier: "ada-laptop" }),
    (r) => expect(r.response.data?.activations_left).toBe(2),
  ),
  row(
    "getLicenseKeyDetails",
    (c) => c.licenses.getDetails({ license_key: "WPPL-0000-1111-2222" }),
    (r) => expect(r.response.data?.owner_name).toBe("Grace Hopper"),
  ),
  row(
    "listLicenseKeys",
    (c) => c.licenses.list({ product_id: 1, per_page: 2 }),
    (r) => expect([r.response.data?.total, r.response.data?.items.length]).toEqual([3, 2]),
  ),
  row(
    "createLicenseKeys",
    (c) => c.licenses.create({ license_keys: ["NEW-0001", "ACME-1111-2222-3333"], product_id: 1 }),
    (r) => expect(r.response.data).toEqual({ created: 1, duplicate: ["ACME-1111-2222-3333"] }),
  ),
  row(
    "assignLicenseKey",
    (c) => c.licenses.assign({ product_id: 1, owner_email: "new@example.com" }),
    (r) => expect(r.response.data?.status).toBe("assigned"),
  ),
  row(
    "sendTelemetryData",
    (c) =>
      c.telemetry.send({
        data_type: "text",
        text_data: "hello",
        license_key: "ACME-1111-2222-3333",
        activation_identifier: "unknown-box",
      }),
    (r) => expect(r.response.data?.has_red_flags).toBe(true),
  ),
  row(
    "getTelemetryData",
    (c) => c.telemetry.list({ has_red_flags: false }),
    (r) => expect(r.response.data).toHaveLength(1),
  ),
  row(
    "getCurrentApiKey",
    (c) => c.apiKeys.current(),
    (r) => expect(r.response.data?.permissions).toContain("api_key:manage"),
  ),
  row(
    "listProducts",
    (c) => c.products.list(),
    (r) => expect(r.response.data).toHaveLength(2),
  ),
  row(
    "listApiKeys",
    (c) => c.apiKeys.list(),
    (r) => {
      expect(r.response.data).toHaveLength(4);
      expect(JSON.stringify(r)).not.toContain(demoKeys.getkeymanager.staging);
    },
  ),
  row(
    "createApiKey",
    (c) => c.apiKeys.create({ name: "CI", environment: "staging", permissions: ["license:read"] }),
    (r) => expect(r.response.data?.secret).toMatch(/^gkm_stg_[0-9A-Za-z]{28}$/),
  ),
  row(
    "regenerateApiKey",
    (c) => c.apiKeys.regenerate({ key_id: "key_dev" }),
    (r) => expect(r.response.data?.secret).toMatch(/^gkm_dev_/),
  ),
  row(
    "revokeApiKey",
    (c) => c.apiKeys.revoke({ key_id: "key_stg" }),
    (r) => expect(r.response.data?.status).toBe("inactive"),
  ),
];

const erathos = () =>
  new Erathos({ apiKey: demoKeys.erathos.key, env: { ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId } });
const job = (n: number) => mock.apis.erathos.state.jobs[n]?._id ?? "";
const erathosRows: Row<Erathos>[] = [
  row(
    "listWorkspaces",
    (c) => c.workspaces.list(),
    (r) => expect(r.results.map((w: { name: string }) => w.name)).toEqual(["Analytics"]),
  ),
  row(
    "listJobs",
    (c) => c.jobs.list({ page_size: 3 }),
    (r) => expect([r.count, r.total_pages, r.next_page]).toEqual([4, 2, 2]),
  ),
  row(
    "getJob",
    (c) => c.jobs.get({ job_id: job(0) }),
    (r) => expect(r.table_name).toBe("contacts"),
  ),
  row(
    "runJob",
    (c) => c.jobs.run({ job_id: job(0), force_history: true }),
    (r) => expect(r.status).toBe("QUEUED"),
  ),
  row(
    "getExecution",
    (c) => c.jobs.getExecution({ job_id: job(0), execution_id: mock.apis.erathos.state.executions[0]?._id ?? "" }),
    (r) => expect(r.rows).toBe(1204),
  ),
  row(
    "listWebhooks",
    (c) => c.webhooks.list({ method: "POST" }),
    (r) => expect(r.count).toBe(1),
  ),
  row(
    "createWebhook",
    (c) =>
      c.webhooks.create({
        description: "big loads",
        is_active: true,
        method: "POST",
        url: "https://hooks.example.com/x",
        rules: [{ variable_name: "ROWS", operation: "GREATER_THAN", value: "1000" }],
        jobs: [job(0)],
      }),
    (r) => expect(r._id).toEqual(expect.any(String)),
  ),
  row(
    "getWebhook",
    (c) => c.webhooks.get({ webhook_id: mock.apis.erathos.state.webhooks[0]?._id ?? "" }),
    (r) => expect(r.method).toBe("POST"),
  ),
  row(
    "updateWebhook",
    (c) => c.webhooks.update({ webhook_id: mock.apis.erathos.state.webhooks[0]?._id ?? "", is_active: false }),
    (r) => expect(r.is_active).toBe(false),
  ),
  row(
    "deleteWebhook",
    (c) => c.webhooks.delete({ webhook_id: mock.apis.erathos.state.webhooks[0]?._id ?? "" }),
    (r) => expect(r).toBeUndefined(),
  ),
  row(
    "listVariables",
    (c) => c.variables.list(),
    (r) => expect(r.results[0]?.name).toBe("DBT_ACCOUNT"),
  ),
  row(
    "createVariable",
    (c) => c.variables.create({ name: "REGION", value: "eu" }),
    (r) => expect(r.value).toBe("eu"),
  ),
  row(
    "listSecrets",
    (c) => c.secrets.list(),
    (r) => expect(r.results[0]?.value).toBe("********"),
  ),
  row(
    "createSecret",
    (c) => c.secrets.create({ name: "TOKEN", value: "s3cret" }),
    (r) => expect(r.value).toBe("********"),
  ),
];

describe.each([
  ["Epsilon3", epsilon3Api, epsilon3Rows, epsilon3],
  ["Epoch", epochApi, epochRows, epoch],
  ["GetKeyManager", getKeyManagerApi, gkmRows, gkm],
  ["Erathos", erathosApi, erathosRows, erathos],
] as const)("%s", (_name, api, rows, client) => {
  test("every operation of the spec has a row here", () => {
    expect(rows.map(([id]) => id).sort()).toEqual(Object.keys(api.operations).sort());
  });

  test.each(rows as Row<unknown>[])("%s", async (_id, call, check) => {
    check(await call((client as () => unknown)()));
  });
});
