import { randomSecret } from "../core/ids.js";
import type { Resolver, ResolverResult } from "../core/mock-api.js";
import { MockProblem } from "../core/mock-problem.js";
import { pageOf } from "../core/paginate.js";
import { getKeyManagerSpec } from "../generated/getkeymanager/routes.js";
import { signedEnvelope } from "./signed-envelope.js";
import type { ApiKeyRecord, GetKeyManagerState, License } from "./state.js";

type R = Resolver<GetKeyManagerState>;
type Body = Record<string, unknown>;

const ok = async (data: unknown, now: Date, message = "Success", status?: number): Promise<ResolverResult> => ({
  ...(status ? { status } : {}),
  body: await signedEnvelope({ code: 200, message, data }, now),
});

const fail = (status: number, apiCode: number, message: string, field?: string): MockProblem =>
  new MockProblem(status, { code: String(apiCode), apiCode, message, ...(field ? { field } : {}) });

const findLicense = (state: GetKeyManagerState, licenseKey: unknown): License => {
  const license = state.licenses.find((candidate) => candidate.license_key === licenseKey);
  if (!license) throw fail(404, 210, "Invalid license key", "license_key");
  return license;
};

const requireProduct = (state: GetKeyManagerState, productId: unknown): void => {
  if (!state.products.some((product) => product.id === productId))
    throw fail(404, 404, `Product ${productId} does not exist`, "product_id");
};

/** How the admin portal shows a key: never its secret, only its prefix and last four characters. */
export function publicKeyView(key: ApiKeyRecord, now: Date) {
  const expired = key.expiresAt !== undefined && Date.parse(key.expiresAt) <= now.getTime();
  return {
    id: key.id,
    name: key.name,
    environment: key.environment,
    permissions: key.permissions,
    rate_limit: { requests: key.rateLimit.requests, per_seconds: key.rateLimit.perSeconds },
    status: key.status === "inactive" ? "inactive" : expired ? "expired" : "active",
    expires_at: key.expiresAt ?? null,
    last_used_at: key.lastUsedAt ?? null,
    created_at: key.createdAt,
    customer_id: key.customerId,
    key_hint: `${key.secret.slice(0, key.secret.indexOf("_", 4) + 1)}…${key.secret.slice(-4)}`,
  };
}

const keyPrefix = (environment: string): string =>
  getKeyManagerSpec.servers.find((server) => server.environment === environment)?.keyPrefix ?? "gkm_";

const findKey = (state: GetKeyManagerState, id: unknown): ApiKeyRecord => {
  const key = state.keys.all().find((candidate) => candidate.id === id);
  if (!key) throw fail(404, 404, `API key ${id} does not exist`, "key_id");
  return key;
};

export const getKeyManagerResolvers: Record<string, R> = {
  verifyLicense: ({ state, body, now }) => {
    const input = body as Body;
    const license = findLicense(state, input.license_key);
    if (license.status === "blocked") throw fail(422, 211, "License key is blocked", "license_key");
    if (!license.activations.includes(String(input.identifier))) {
      throw fail(422, 212, `License key is not active on ${input.identifier}`, "identifier");
    }
    return ok(license, now, "License key is valid");
  },

  activateLicense: ({ state, body, now }) => {
    const input = body as Body;
    const license = findLicense(state, input.license_key);
    const identifier = String(input.identifier);
    if (license.status === "blocked") throw fail(422, 211, "License key is blocked", "license_key");
    if (license.activations.includes(identifier))
      throw fail(409, 301, `License key is already active on ${identifier}`);
    if (license.activations.length >= license.activation_limit) {
      throw fail(409, 302, `Activation limit of ${license.activation_limit} reached`);
    }
    license.activations.push(identifier);
    const activationsLeft = license.activation_limit - license.activations.length;
    return ok(
      { license_key: license.license_key, identifier, activations_left: activationsLeft },
      now,
      "License key activated",
    );
  },

  deactivateLicense: ({ state, body, now }) => {
    const input = body as Body;
    const license = findLicense(state, input.license_key);
    const identifier = String(input.identifier);
    const index = license.activations.indexOf(identifier);
    if (index === -1) throw fail(404, 404, `License key is not active on ${identifier}`, "identifier");
    license.activations.splice(index, 1);
    const activationsLeft = license.activation_limit - license.activations.length;
    return ok(
      { license_key: license.license_key, identifier, activations_left: activationsLeft },
      now,
      "License key deactivated",
    );
  },

  getLicenseKeyDetails: ({ state, body, now }) => ok(findLicense(state, (body as Body).license_key), now),

  listLicenseKeys: ({ state, query, now }) => {
    const licenses = state.licenses
      .filter((license) => query.product_id === undefined || license.product_id === query.product_id)
      .filter((license) => query.status === undefined || license.status === query.status);
    const page = pageOf(licenses, Number(query.page ?? 1), Number(query.per_page ?? 20));
    return ok({ items: page.items, total: page.total, page: page.page, per_page: page.size }, now);
  },

  createLicenseKeys: ({ state, body, now }) => {
    const input = body as Body;
    requireProduct(state, input.product_id);
    const duplicate: string[] = [];
    let created = 0;
    for (const licenseKey of input.license_keys as string[]) {
      if (state.licenses.some((license) => license.license_key === licenseKey)) {
        duplicate.push(licenseKey);
        continue;
      }
      state.licenses.push({
        license_key: licenseKey,
        product_id: Number(input.product_id),
        status: (input.status as License["status"] | undefined) ?? "available",
        owner_name: null,
        owner_email: null,
        activation_limit: Number(input.activation_limit ?? 1),
        activations: [],
        validity: Number(input.validity ?? 0),
        assigned_at: null,
      });
      created += 1;
    }
    return ok({ created, duplicate }, now, `${created} license key(s) created`);
  },

  assignLicenseKey: ({ state, body, now }) => {
    const input = body as Body;
    requireProduct(state, input.product_id);
    const license = state.licenses.find(
      (candidate) => candidate.product_id === input.product_id && candidate.status === "available",
    );
    if (!license) throw fail(409, 409, `No available license key for product ${input.product_id}`);
    license.status = "assigned";
    license.owner_email = String(input.owner_email);
    license.owner_name = typeof input.owner_name === "string" ? input.owner_name : null;
    license.assigned_at = now.toISOString();
    return ok(license, now, "License key assigned");
  },

  sendTelemetryData: ({ state, body, now }) => {
    const input = body as Body;
    const license = state.licenses.find((candidate) => candidate.license_key === input.license_key);
    if (!license) throw fail(422, 210, "Invalid license key", "license_key");
    // Red flags: a blocked license still reporting, or an installation the license was never activated on.
    const identifier = input.activation_identifier;
    const hasRedFlags =
      license.status === "blocked" || (typeof identifier === "string" && !license.activations.includes(identifier));
    const record = {
      ...input,
      id: state.nextId++,
      license_key: license.license_key,
      data_type: String(input.data_type),
      has_red_flags: hasRedFlags,
      recorded_at: now.toISOString(),
    };
    state.telemetry.push(record);
    return ok(record, now, "Telemetry recorded");
  },

  getTelemetryData: ({ state, query, now }) =>
    ok(
      state.telemetry
        .filter((record) => query.has_red_flags === undefined || record.has_red_flags === query.has_red_flags)
        .filter((record) => query.license_key === undefined || record.license_key === query.license_key),
      now,
    ),

  listProducts: ({ state, now }) => ok(state.products, now),

  getCurrentApiKey: ({ state, key, now }) => {
    const current = state.keys.all().find((candidate) => candidate.id === key.id);
    if (!current) throw fail(401, 100, "Invalid API key");
    return ok(publicKeyView(current, now), now);
  },

  listApiKeys: ({ state, now }) =>
    ok(
      state.keys.all().map((key) => publicKeyView(key, now)),
      now,
    ),

  createApiKey: ({ state, body, now }) => {
    const input = body as Body;
    const environment = input.environment as ApiKeyRecord["environment"];
    const name = String(input.name);
    if (state.keys.all().some((key) => key.name === name && key.environment === environment)) {
      throw fail(409, 409, `An API key named "${name}" already exists in ${environment}`);
    }
    const rateLimit = input.rate_limit as { requests: number; per_seconds: number } | undefined;
    const key = state.keys.add({
      id: `key_${(state.nextId++).toString(36)}`,
      secret: keyPrefix(environment) + randomSecret(28),
      label: name,
      name,
      status: "active",
      environment,
      permissions: [...(input.permissions as string[])],
      rateLimit: rateLimit
        ? { requests: rateLimit.requests, perSeconds: rateLimit.per_seconds }
        : { requests: 600, perSeconds: 60 },
      createdAt: now.toISOString(),
      customerId: (input.customer_id as number | undefined) ?? null,
      expiresAt: typeof input.expires_at === "string" ? input.expires_at : undefined,
    });
    return ok(
      { ...publicKeyView(key, now), secret: key.secret },
      now,
      "API key created; copy it now, it is shown only once",
      201,
    );
  },

  regenerateApiKey: ({ state, params, now }) => {
    const key = findKey(state, params.key_id);
    if (key.status === "inactive") throw fail(409, 409, `API key ${key.id} is revoked; create a new one`);
    state.keys.rotate(key, keyPrefix(key.environment) + randomSecret(28));
    return ok(
      { ...publicKeyView(key, now), secret: key.secret },
      now,
      "API key regenerated; the old key no longer works",
    );
  },

  revokeApiKey: ({ state, params, now }) => {
    const key = findKey(state, params.key_id);
    key.status = "inactive";
    return ok(publicKeyView(key, now), now, "API key revoked");
  },
};
