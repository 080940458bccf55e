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
    (c) => c.telemetry.listParameters(),
    (r) => expect(r.map((parameter) => parameter.name)).toEqual(["battery_voltage", "mode", "antenna_deployed"]),
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
    (r) => expect(r).toHaveLength(2),
  ),
  row(
    "createCommand",
    (c) => c.commands.create({ name: "safe_mode", dictionary_id: 1 }),
    (r) => expect(r.name).toBe("safe_mode"),
  ),
  row(
    "listParts",
    (c) => c.builds.listParts(),
    (r) => expect(r.parts[0]).toMatchObject({ id: "vnWtKWleNWiuSQbBPNdE5F", part_number: "P-1", tracking: "serial" }),
  ),
  row(
    "getPart",
    (c) => c.builds.getPart({ partId: "vnWtKWleNWiuSQbBPNdE5F", revisionId: "B" }),
    (r) => expect([r.revision, r.details[0]?.name]).toEqual(["B", "External Id"]),
  ),
  row(
    "listInventory",
    (c) => c.builds.listInventory(),
    (r) => expect(r.inventory.map((item) => item.part_number)).toEqual(["P-1", "BAT-12"]),
  ),
  row(
    "getInventoryItem",
    (c) => c.builds.getInventoryItem({ itemId: mock.apis.epsilon3.state.inventory[1]?.id ?? "" }),
    (r) => expect(r.quantity).toBe(24),
  ),
  row(
    "search",
    (c) => c.search.search({ query: "pre-launch", limit: 2 }),
    (r) => {
      expect(r.data.map((hit) => hit.resource_type)).toEqual(["procedure", "run"]);
      expect(r.pagination).toEqual({ next_page_token: expect.any(String), limit: 2 });
    },
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
const ADA = "3a343c8a-38fe-4b6e-ad77-111111111111";
const FREE = "3a343c8a-38fe-4b6e-ad77-222222222222";
const CONTRACT = "6dabe9fa-3512-49b4-beb5-7f837b510ec3-1234";
const product = {
  source: "internal",
  name: "Acme CLI",
  description: "The CLI",
  require_non_expired: 0,
  status: "active",
} as const;
const contract = {
  contract_key: "reseller-2",
  contract_name: "Reseller Asia",
  contract_information: "Quota",
  product_id: 1,
  license_keys_quantity: 10,
  status: "active",
  can_get_info: 1,
  can_generate: 1,
  can_destroy: 1,
  can_destroy_all: 1,
} as const;
const gkmRows: Row<GetKeyManager>[] = [
  row(
    "verifyLicense",
    (c) => c.licenses.verify({ license_key: ADA, identifier: "ada-laptop" }),
    (r) => expect(r.response.code).toBe(200),
  ),
  row(
    "activateLicense",
    (c) => c.licenses.activate({ license_key: ADA, identifier: "ada-desktop" }),
    (r) => expect([r.response.code, r.response.message]).toEqual([300, "License key activated"]),
  ),
  row(
    "deactivateLicense",
    (c) => c.licenses.deactivate({ license_key: ADA, identifier: "ada-laptop" }),
    (r) => expect(r.response.code).toBe("400"),
  ),
  row(
    "getLicenseKeyDetails",
    (c) => c.licenses.getDetails({ license_key: ADA, identifier: "ada-laptop" }),
    (r) => {
      expect(r.response.licenseKey.owner_name).toBe("Ada Lovelace");
      expect(r.response.licenseKey.meta_data).toEqual([{ key: "seat", value: "1" }]);
      expect(r.response.product.name).toBe("Acme Desktop");
    },
  ),
  row(
    "listLicenseKeys",
    (c) => c.licenses.list({ product_id: 1, page: 1, items_per_page: 2 }),
    (r) => expect(r.response.license_keys.map((key) => key.license_key)).toEqual([ADA, FREE]),
  ),
  row(
    "createLicenseKeys",
    (c) =>
      c.licenses.create({
        license_keys: ["NEW-0001", ADA],
        product_id: 1,
        activation_limit: 1,
        validity: 365,
        status: "available",
      }),
    (r) => expect([r.response.created, r.response.duplicate]).toEqual([1, 1]),
  ),
  row(
    "updateLicenseKey",
    (c) =>
      c.licenses.update({ license_key: FREE, product_id: 2, activation_limit: 3, validity: 30, status: "reserved" }),
    (r) => expect(r.response.code).toBe(950),
  ),
  row(
    "deleteLicenseKey",
    (c) => c.licenses.delete({ license_key: FREE }),
    (r) => expect(r.response.code).toBe(850),
  ),
  row(
    "assignLicenseKey",
    (c) => c.licenses.assign({ license_key: FREE, owner_name: "Alan", email: "alan@example.com" }),
    (r) => expect(r.response.code).toBe(800),
  ),
  row(
    "assignAndActivateLicenseKey",
    (c) =>
      c.licenses.assignAndActivate({
        license_key: FREE,
        identifier: "alan.example.com",
        owner_email: "alan@example.com",
        owner_name: "Alan",
      }),
    (r) => expect(r.response.code).toBe(300),
  ),
  row(
    "randomAssignLicenseKeys",
    (c) => c.licenses.randomAssign({ product_id: 1, owner_email: "team@example.com", quantity: 3, generate: 1 }),
    (r) => {
      expect(r.response.license_keys).toHaveLength(3);
      expect(r.response.license_keys.every((key) => key.owner_email === "team@example.com")).toBe(true);
    },
  ),
  row(
    "randomAssignLicenseKeysQueued",
    (c) =>
      c.licenses.randomAssignQueued({
        product_id: 1,
        owner_email: "team@example.com",
        quantity: 1,
        generate: 0,
        webhook_url: "https://shop.example.com/hooks/keys",
        identifier: "order-77",
      }),
    (r) => expect(r.response.code).toBe(807),
  ),
  row(
    "accessDownloadables",
    (c) => c.licenses.downloadables({ license_key: ADA, identifier: "ada-laptop" }),
    (r) => expect(r.response.downloadables[0]?.version).toBe("3.2.0"),
  ),
  row(
    "getAvailableLicenseKeysCount",
    (c) => c.licenses.availableCount({ product_id: 1 }),
    (r) => expect(r.response.count).toBe(2),
  ),
  row(
    "createLicenseKeyMeta",
    (c) => c.licenses.createMeta({ license_key: ADA, identifier: "ada-laptop", key: "plan", value: "pro" }),
    (r) => expect(r.response.meta_id).toEqual(expect.any(Number)),
  ),
  row(
    "updateLicenseKeyMeta",
    (c) => c.licenses.updateMeta({ license_key: ADA, identifier: "ada-laptop", key: "seat", value: "2" }),
    (r) => expect(r.response.meta_id).toBe(1),
  ),
  row(
    "deleteLicenseKeyMeta",
    (c) => c.licenses.deleteMeta({ license_key: ADA, identifier: "ada-laptop", key: "seat" }),
    (r) => expect(r.response.code).toBe(252),
  ),
  row(
    "listProducts",
    (c) => c.products.list(),
    (r) => expect(r.response.products.map((p) => p.name)).toEqual(["Acme Desktop", "Acme WordPress Plugin"]),
  ),
  row(
    "createProduct",
    (c) => c.products.create(product),
    (r) => expect(r.response.product_id).toBe(100),
  ),
  row(
    "updateProduct",
    (c) => c.products.update({ product_id: 2, ...product }),
    (r) => expect(r.response.code).toBe(650),
  ),
  row(
    "deleteProduct",
    (c) => c.products.delete({ product_id: 2 }),
    (r) => expect(r.response.code).toBe(550),
  ),
  row(
    "createProductMeta",
    (c) => c.products.createMeta({ product_id: 1, key: "channel", value: "stable" }),
    (r) => expect(r.response.code).toBe(273),
  ),
  row(
    "updateProductMeta",
    (c) => c.products.updateMeta({ product_id: 1, key: "edition", value: "team" }),
    (r) => expect(r.response.code).toBe(373),
  ),
  row(
    "deleteProductMeta",
    (c) => c.products.deleteMeta({ product_id: 1, key: "edition" }),
    (r) => expect(r.response.code).toBe(482),
  ),
  row(
    "getProductChangelog",
    (c) => c.products.changelog({ slug: "acme-desktop" }),
    (r) => expect([r.response.code, r.response.changelog[0]?.version]).toEqual([1600, "3.2.0"]),
  ),
  row(
    "listGenerators",
    (c) => c.generators.list(),
    (r) => expect(r.response.products[0]?.method).toBe("uuid"),
  ),
  row(
    "generateLicenseKeys",
    (c) => c.generators.generate({ generator_id: 1, quantity: 2 }),
    (r) => expect(r.response.licenseKeys).toHaveLength(2),
  ),
  row(
    "sendTelemetryData",
    (c) =>
      c.telemetry.send({
        data_type: "text",
        data_group: "crash",
        text_data: "segfault",
        product_id: 1,
        user_identifier: "user-ada",
        license_key: ADA,
        activation_identifier: "ada-laptop",
        product_version: "3.2.0",
      }),
    (r) => expect(r.response.code).toBe(830),
  ),
  row(
    "getTelemetryData",
    (c) => c.telemetry.list({ has_red_flags: 0 }),
    (r) => expect(r.response.data).toHaveLength(1),
  ),
  row(
    "listContracts",
    (c) => c.contracts.list(),
    (r) => expect(r.response.contracts[0]?.contract_key).toBe(CONTRACT),
  ),
  row(
    "createContract",
    (c) => c.contracts.create(contract),
    (r) => expect(r.response.contract.product_id).toBe("1"),
  ),
  row(
    "updateContract",
    (c) => c.contracts.update({ contract_id: 1, ...contract }),
    (r) => expect(r.response.contract.name).toBe("Reseller Asia"),
  ),
  row(
    "deleteContract",
    (c) => c.contracts.delete({ contract_id: 1 }),
    (r) => expect(r.response.code).toBe(843),
  ),
  row(
    "getContractInfo",
    (c) => c.contracts.getInfo(),
    (r) => expect(r.response.code).toBe(1204),
  ),
  row(
    "generateContractLicenseKeys",
    (c) => c.contracts.generate({ contract_uuid: CONTRACT, quantity: 2 }),
    (r) => expect(r.response.code).toBe(1300),
  ),
  row(
    "destroyContractLicenseKey",
    async (c) => {
      await c.contracts.generate({ contract_uuid: CONTRACT, quantity: 1 });
      const key = mock.apis.getkeymanager.state.licenses.find((license) => license.contract_id === 1);
      return c.contracts.destroy({ license_key: key?.license_key ?? "" });
    },
    (r) => expect(r.response.code).toBe(1400),
  ),
  row(
    "destroyAllContractLicenseKeys",
    async (c) => {
      await c.contracts.create(contract);
      await c.contracts.generate({ contract_uuid: "reseller-2", quantity: 2 });
      return c.contracts.destroyAll({ contract_uuid: "reseller-2" });
    },
    (r) => expect(r.response.code).toBe(1500),
  ),
  row(
    "getCurrentApiKey",
    (c) => c.apiKeys.current(),
    (r) => expect(r.response.api_key.permissions).toContain("api_key:manage"),
  ),
  row(
    "listApiKeys",
    (c) => c.apiKeys.list(),
    (r) => {
      expect(r.response.api_keys).toHaveLength(4);
      expect(JSON.stringify(r)).not.toContain(demoKeys.getkeymanager.staging);
    },
  ),
  row(
    "createApiKey",
    (c) => c.apiKeys.create({ name: "CI", environment: "staging", permissions: ["license:read"] }),
    (r) => expect(r.response.api_key.secret).toMatch(/^km_live_[0-9A-Za-z]{32}$/),
  ),
  row(
    "regenerateApiKey",
    (c) => c.apiKeys.regenerate({ key_id: "key_stg" }),
    (r) => expect(r.response.api_key.secret).not.toBe(demoKeys.getkeymanager.staging),
  ),
  row(
    "revokeApiKey",
    (c) => c.apiKeys.revoke({ key_id: "key_stg" }),
    (r) => expect(r.response.api_key.status).toBe("inactive"),
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
        header: null,
        body: null,
        jobs: [job(0)],
      }),
    (r) => expect([r.header, r.body, r.rules]).toEqual([null, null, []]),
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
