import { uuidFor } from "../core/ids.js";
import { done, type Fields, failure, type GkmResolver, shownAs, text, timestamp } from "./answers.js";
import type { GetKeyManagerState, License, Product } from "./state.js";

const DAY_MS = 86_400_000;

const NOT_FOUND: Record<number, string> = {
  210: "Invalid license key",
  801: "Invalid or already assigned license key",
  851: "License key not found",
  952: "License key not found",
};

export function findLicense(state: GetKeyManagerState, licenseKey: unknown, code = 210): License {
  const license = state.licenses.find((candidate) => candidate.license_key === licenseKey);
  if (!license) throw failure(code, NOT_FOUND[code] ?? "Invalid license key");
  return license;
}

export function findProduct(state: GetKeyManagerState, id: unknown): Product | undefined {
  return state.products.find((product) => product.id === Number(id));
}

/** When a key assigned at `assigned_at` for `validity` days expires; never for a validity of 0. */
function expiresAt(license: License): Date | undefined {
  if (!license.assigned_at || license.validity <= 0) return undefined;
  const assigned = Date.parse(`${license.assigned_at.replace(" ", "T").replace(/Z?$/, "Z")}`);
  return Number.isNaN(assigned) ? undefined : new Date(assigned + license.validity * DAY_MS);
}

/** A license key as `get-license-keys` lists it. */
export const licenseView = (license: License) => shownAs("LicenseKey", license);

function assignedView(license: License, identifier?: string) {
  return { ...shownAs("AssignedLicenseKey", license), meta_data: metaOf(license, identifier) };
}

const metaOf = (license: License, identifier?: string) =>
  license.meta
    .filter((meta) => identifier === undefined || meta.identifier === identifier)
    .map(({ key, value }) => ({ key, value }));

/** An unassigned key of a product, or undefined when none is left. */
export function newLicense(state: GetKeyManagerState, productId: number, key: string, input: Fields, now: Date) {
  const license: License = {
    id: state.nextId++,
    product_id: productId,
    license_key: key,
    owner_name: text(input, "owner_name") ?? null,
    owner_email: text(input, "owner_email") ?? null,
    activation_limit: Number(input.activation_limit ?? 1),
    validity: Number(input.validity ?? 365),
    assigned_at: text(input, "assigned_at") ?? null,
    status: (text(input, "status") as License["status"] | undefined) ?? "available",
    contract_id: null,
    created_at: timestamp(now),
    updated_at: timestamp(now),
    activations: [],
    meta: [],
  };
  state.licenses.push(license);
  return license;
}

function assign(license: License, name: string | undefined, email: string | undefined, now: Date): void {
  license.status = "assigned";
  license.owner_name = name ?? license.owner_name;
  license.owner_email = email ?? license.owner_email;
  license.assigned_at = timestamp(now).slice(0, 19).replace("T", " ");
  license.updated_at = timestamp(now);
}

function activate(license: License, identifier: string, now: Date): void {
  if (license.status === "blocked") throw failure(210, "Invalid license key");
  if (license.activations.includes(identifier)) throw failure(301, "License key already active");
  if (license.activations.length >= license.activation_limit && license.activation_limit > 0) {
    throw failure(302, "Activation limit reached");
  }
  license.activations.push(identifier);
  license.updated_at = timestamp(now);
}

function activeOn(license: License, identifier: string): void {
  if (!license.activations.includes(identifier)) {
    throw failure(202, "No activation found for this license key/identifier combination");
  }
}

/** Assigns `quantity` available keys of a product, generating the missing ones when asked to. */
function randomAssign(state: GetKeyManagerState, input: Fields, now: Date): License[] {
  const productId = Number(input.product_id);
  if (!findProduct(state, productId)) throw failure(805, "Product not found");
  const quantity = Number(input.quantity);
  const available = state.licenses.filter(
    (license) => license.product_id === productId && license.status === "available",
  );
  if (available.length < quantity) {
    if (Number(input.generate) !== 1) {
      throw failure(802, "Insufficient license keys", { available_quantity: available.length });
    }
    const generator = state.generators.find(
      (candidate) => candidate.product_id === productId && candidate.status === 1,
    );
    if (!generator) throw failure(806, "Generator not found");
    while (available.length < quantity) {
      const settings = { activation_limit: generator.activation_limit, validity: generator.validity };
      available.push(newLicense(state, productId, uuidFor("generated", state.nextId), settings, now));
    }
  }
  const chosen = available.slice(0, quantity);
  for (const license of chosen) assign(license, text(input, "owner_name"), text(input, "owner_email"), now);
  return chosen;
}

export const licenseResolvers: Record<string, GkmResolver> = {
  verifyLicense: ({ state, body, now }) => {
    const input = body as Fields;
    const license = findLicense(state, input.license_key);
    if (license.status === "available" || license.status === "reserved") {
      throw failure(201, "This license key is not assigned");
    }
    if (license.status === "blocked") throw failure(204, "License key is suspended");
    const expiry = expiresAt(license);
    if (expiry && expiry.getTime() <= now.getTime()) throw failure(205, "License key has expired");
    activeOn(license, String(input.identifier));
    return done(now, 200, "Valid license key");
  },

  activateLicense: ({ state, body, now }) => {
    const input = body as Fields;
    activate(findLicense(state, input.license_key), String(input.identifier), now);
    return done(now, 300, "License key activated");
  },

  deactivateLicense: ({ state, body, now }) => {
    const input = body as Fields;
    const license = findLicense(state, input.license_key);
    const index = license.activations.indexOf(String(input.identifier));
    if (index === -1) throw failure(401, "License key already inactive");
    license.activations.splice(index, 1);
    // the reference prints this code as a string
    return done(now, "400", "License key deactivated");
  },

  getLicenseKeyDetails: ({ state, body, now }) => {
    const input = body as Fields;
    const license = findLicense(state, input.license_key);
    const identifier = String(input.identifier);
    activeOn(license, identifier);
    const product = findProduct(state, license.product_id);
    const expiry = expiresAt(license);
    return done(now, 500, "Active license key found", {
      licenseKey: {
        ...shownAs("LicenseKeyDetails", license),
        meta_data: metaOf(license, identifier),
        expires_at: expiry ? expiry.toISOString().slice(0, 19).replace("T", " ") : false,
      },
      product: product ? shownAs("ProductSummary", product) : null,
    });
  },

  listLicenseKeys: ({ state, query, now }) => {
    const all = state.licenses
      .filter((license) => query.product_id === undefined || license.product_id === query.product_id)
      .filter((license) => query.status === undefined || license.status === query.status);
    const size = query.items_per_page === undefined ? all.length : Number(query.items_per_page);
    const start = query.page === undefined ? 0 : (Number(query.page) - 1) * size;
    return done(now, 730, "License keys", { license_keys: all.slice(start, start + size).map(licenseView) });
  },

  createLicenseKeys: ({ state, body, now }) => {
    const input = body as Fields;
    if (!findProduct(state, input.product_id)) {
      throw failure(901, "Incorrect data found", { errors: { product_id: ["The selected product id is invalid."] } });
    }
    let created = 0;
    let duplicate = 0;
    for (const key of input.license_keys as string[]) {
      if (state.licenses.some((license) => license.license_key === key)) duplicate += 1;
      else {
        newLicense(state, Number(input.product_id), key, input, now);
        created += 1;
      }
    }
    return done(now, 900, "License keys creation result", { created, duplicate });
  },

  updateLicenseKey: ({ state, body, now }) => {
    const input = body as Fields;
    const license = findLicense(state, input.license_key, 952);
    Object.assign(license, {
      product_id: Number(input.product_id),
      activation_limit: Number(input.activation_limit),
      validity: Number(input.validity),
      status: String(input.status),
      updated_at: timestamp(now),
    });
    if (text(input, "owner_name") !== undefined) license.owner_name = text(input, "owner_name") ?? null;
    if (text(input, "owner_email") !== undefined) license.owner_email = text(input, "owner_email") ?? null;
    if (text(input, "assigned_at") !== undefined) license.assigned_at = text(input, "assigned_at") ?? null;
    return done(now, 950, "License keys updated");
  },

  deleteLicenseKey: ({ state, body, now }) => {
    const license = findLicense(state, (body as Fields).license_key, 851);
    state.licenses.splice(state.licenses.indexOf(license), 1);
    return done(now, 850, "License key deleted");
  },

  assignLicenseKey: ({ state, body, now }) => {
    const input = body as Fields;
    const license = findLicense(state, input.license_key, 801);
    if (license.status !== "available") throw failure(801, "Invalid or already assigned license key");
    assign(license, text(input, "owner_name"), text(input, "email"), now);
    return done(now, 800, "License key assigned");
  },

  assignAndActivateLicenseKey: ({ state, body, now }) => {
    const input = body as Fields;
    const license = findLicense(state, input.license_key, 801);
    if (license.status !== "available") throw failure(801, "Invalid or already assigned license key");
    activate(license, String(input.identifier), now);
    assign(license, text(input, "owner_name"), text(input, "owner_email"), now);
    return done(now, 300, "License key activated");
  },

  randomAssignLicenseKeys: ({ state, body, now }) =>
    done(now, 803, "License keys assigned", {
      license_keys: randomAssign(state, body as Fields, now).map((license) => assignedView(license)),
    }),

  randomAssignLicenseKeysQueued: ({ state, body, now }) => {
    const input = body as Fields;
    if (!findProduct(state, input.product_id)) throw failure(805, "Product not found");
    if (
      Number(input.generate) === 1 &&
      !state.generators.some((generator) => generator.product_id === Number(input.product_id))
    ) {
      throw failure(806, "Generator not found");
    }
    return done(now, 807, "Request Queued");
  },

  accessDownloadables: ({ state, body, now, url }) => {
    const input = body as Fields;
    const license = findLicense(state, input.license_key);
    const identifier = String(input.identifier);
    activeOn(license, identifier);
    const base = url.href.replace(/\/access-downloadables.*$/, "");
    const encoded = encodeURIComponent(btoa(identifier));
    return done(now, 600, "Downloads", {
      downloadables: state.downloadables
        .filter((download) => download.product_id === license.product_id && download.published === 1)
        .map((download) => ({
          ...download,
          url: `${base}/download/${encodeURIComponent(license.license_key)}/${encoded}/${download.numeric_version}`,
        })),
    });
  },

  getAvailableLicenseKeysCount: ({ state, query, now }) => {
    if (!findProduct(state, query.product_id)) throw failure(740, "Product doesn't exist");
    const count = state.licenses.filter(
      (license) => license.product_id === query.product_id && license.status === "available",
    ).length;
    return done(now, 741, "Available license keys count", { count });
  },

  createLicenseKeyMeta: ({ state, body, now }) => {
    const input = body as Fields;
    const license = findLicense(state, input.license_key);
    if (license.status !== "assigned") throw failure(201, "This license key is not assigned");
    const identifier = String(input.identifier);
    const existing = license.meta.find((meta) => meta.identifier === identifier && meta.key === input.key);
    const meta = existing ?? { id: state.nextId++, identifier, key: String(input.key), value: "" };
    meta.value = String(input.value);
    if (!existing) license.meta.push(meta);
    return done(now, 453, "Metadata created", { meta_id: meta.id });
  },

  updateLicenseKeyMeta: ({ state, body, now }) => {
    const input = body as Fields;
    const license = findLicense(state, input.license_key);
    if (license.status !== "assigned") throw failure(201, "This license key is not assigned");
    const meta = license.meta.find((entry) => entry.identifier === input.identifier && entry.key === input.key);
    if (!meta) throw failure(352, "Meta key doesn't exist");
    meta.value = String(input.value);
    return done(now, 353, "Metadata updated", { meta_id: meta.id });
  },

  deleteLicenseKeyMeta: ({ state, body, now }) => {
    const input = body as Fields;
    const license = findLicense(state, input.license_key);
    if (license.status !== "assigned") throw failure(201, "This license key is not assigned");
    const index = license.meta.findIndex((entry) => entry.identifier === input.identifier && entry.key === input.key);
    if (index === -1) throw failure(251, "Meta key doesn't exist");
    license.meta.splice(index, 1);
    return done(now, 252, "Metadata deleted");
  },
};

export { assignedView };
