import type { KeyRecord } from "../core/key-record.js";
import { KeyRing } from "../core/key-record.js";
import type { SeedMode } from "../core/mock-api.js";
import { getKeyManagerSpec } from "../generated/getkeymanager/routes.js";

/** An API key as the admin portal models it (environment, permissions, rate limit): Keysmith's model. */
export interface ApiKeyRecord extends KeyRecord {
  name: string;
  readonly environment: "production" | "staging" | "development";
  permissions: string[];
  rateLimit: { requests: number; perSeconds: number };
  readonly createdAt: string;
  customerId: number | null;
}

export interface MetaEntry {
  key: string;
  value: string;
}

/** Metadata of a license key for one identifier (`create-license-key-meta`). */
export interface LicenseMeta extends MetaEntry {
  id: number;
  identifier: string;
}

export interface License {
  id: number;
  product_id: number;
  license_key: string;
  owner_name: string | null;
  owner_email: string | null;
  activation_limit: number;
  validity: number;
  assigned_at: string | null;
  status: "available" | "assigned" | "reserved" | "blocked";
  contract_id: number | null;
  created_at: string;
  updated_at: string;
  /** The identifiers (domains, hardware ids) the key is active on. */
  activations: string[];
  meta: LicenseMeta[];
}

export interface Product {
  id: number;
  slug: string;
  external_reference: string;
  source: string;
  name: string;
  post_url: string;
  description: string;
  status: string;
  require_non_expired: 0 | 1;
  created_at: string;
  updated_at: string;
  meta_data: MetaEntry[];
}

export interface Generator {
  id: number;
  product_id: number;
  method: string;
  prefix: string;
  suffix: string;
  function_name: string;
  number_of_chunks: number;
  chunk_length: number;
  activation_limit: number;
  validity: number;
  status: 0 | 1;
  charset: string;
  created_at: string;
  updated_at: string;
}

export interface Downloadable {
  id: number;
  product_id: number;
  numeric_version: number;
  version: string;
  update_summary: string;
  changelog: string;
  published: 0 | 1;
  release_date: string;
  download_counter: number;
}

export interface Contract {
  id: number;
  name: string;
  information: string;
  contract_key: string;
  license_keys_quantity: number;
  product_id: number;
  can_get_info: 0 | 1;
  can_generate: 0 | 1;
  can_destroy: 0 | 1;
  can_destroy_all: 0 | 1;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface TelemetryRecord {
  id: number;
  user_identifier: string | null;
  license_key: string | null;
  activation_identifier: string | null;
  product_id: number | null;
  product_version: string | null;
  data_type: string;
  data_group: string;
  data: string;
  is_correct_format: 0 | 1;
  license_key_exists: 0 | 1;
  product_exists: 0 | 1;
  product_version_exists: 0 | 1;
  has_red_flags: 0 | 1;
  created_at: string;
  updated_at: string;
}

export interface GetKeyManagerState {
  readonly keys: KeyRing<ApiKeyRecord>;
  readonly products: Product[];
  readonly licenses: License[];
  readonly generators: Generator[];
  readonly downloadables: Downloadable[];
  readonly contracts: Contract[];
  readonly telemetry: TelemetryRecord[];
  nextId: number;
}

/** Every permission the description names (its `Permission` enum): what a demo key holds unless told. */
const ALL_PERMISSIONS = permissionNames(getKeyManagerSpec.schemas.Permission);

function permissionNames(schema: unknown): string[] {
  const names = (schema as { readonly enum?: unknown } | undefined)?.enum;
  if (!Array.isArray(names))
    throw new TypeError("getkeymanager: the description's Permission schema names no permissions");
  return names.map(String);
}

/**
 * Demo keys in the documented formats: UUIDs, as in the reference's examples, and the `km_live_` form the
 * portal's logging page shows. `readOnly` may only read licenses; `staging` is a key the portal model
 * scopes to its Staging environment (shown by the modelled `/api-keys`; the API itself does not tell).
 */
export const getKeyManagerDemoKeys = {
  production: "6f1c2a7e-3b9d-4e5f-8a21-c4d6e8f0a2b4",
  live: "km_live_demo5f2a9c1e7b3d4086a2c4e6f8",
  staging: "0b8d3e5f-7a9c-41e2-b4d6-f8a0c2e4a6b8",
  readOnly: "9e8a0c2e-4b6d-4f1a-83c5-e7a9b1d3f5c7",
} as const;

const SEEDED = "2026-10-01T09:00:00.000000Z";

export function createGetKeyManagerState(seed: SeedMode): GetKeyManagerState {
  const key = (
    id: string,
    secret: string,
    name: string,
    environment: ApiKeyRecord["environment"],
    permissions = ALL_PERMISSIONS,
  ): ApiKeyRecord => ({
    id,
    secret,
    label: name,
    name,
    status: "active",
    environment,
    permissions: [...permissions],
    rateLimit: { requests: 600, perSeconds: 60 },
    createdAt: "2026-10-01T09:00:00.000Z",
    customerId: null,
  });
  const keys = new KeyRing<ApiKeyRecord>([
    key("key_prod", getKeyManagerDemoKeys.production, "Main Website Integration", "production"),
    key("key_live", getKeyManagerDemoKeys.live, "Desktop app activation", "production"),
    key("key_stg", getKeyManagerDemoKeys.staging, "Staging CI", "staging"),
    key("key_read", getKeyManagerDemoKeys.readOnly, "License dashboard (read only)", "production", ["license:read"]),
  ]);
  const empty = { keys, products: [], licenses: [], generators: [], downloadables: [], contracts: [], telemetry: [] };
  if (seed === "empty") return { ...empty, nextId: 100 };
  return {
    keys,
    products: [
      product(1, "Acme Desktop", "The Acme desktop app.", [{ key: "edition", value: "pro" }]),
      product(2, "Acme WordPress Plugin", "The Acme plugin for WordPress sites.", []),
    ],
    licenses: [
      license(1, "3a343c8a-38fe-4b6e-ad77-111111111111", 1, "assigned", "Ada Lovelace", "ada@example.com", 2, [
        "ada-laptop",
      ]),
      license(2, "3a343c8a-38fe-4b6e-ad77-222222222222", 1, "available", null, null, 1, []),
      license(3, "3a343c8a-38fe-4b6e-ad77-333333333333", 1, "available", null, null, 1, []),
      license(4, "CUSTOM-91536fe6-aabf-4ac1-8a60-627830c718b0", 2, "assigned", "Grace Hopper", "grace@example.com", 1, [
        "example.org",
      ]),
      license(5, "3a343c8a-38fe-4b6e-ad77-555555555555", 2, "blocked", "Mallory", "mallory@example.com", 1, []),
    ],
    generators: [
      {
        id: 1,
        product_id: 1,
        method: "uuid",
        prefix: "",
        suffix: "",
        function_name: "",
        number_of_chunks: 4,
        chunk_length: 4,
        activation_limit: 1,
        validity: 365,
        status: 1,
        charset: "0123456789ABCDEF",
        created_at: SEEDED,
        updated_at: SEEDED,
      },
    ],
    downloadables: [
      {
        id: 1,
        product_id: 1,
        numeric_version: 320,
        version: "3.2.0",
        update_summary: "Faster start-up",
        changelog: "Start-up is twice as fast; fixed the settings dialog.",
        published: 1,
        release_date: "2026-11-01 00:00:00",
        download_counter: 0,
      },
    ],
    contracts: [
      {
        id: 1,
        name: "Reseller Europe",
        information: "Yearly quota for the European reseller",
        contract_key: "6dabe9fa-3512-49b4-beb5-7f837b510ec3-1234",
        license_keys_quantity: 50,
        product_id: 1,
        can_get_info: 1,
        can_generate: 1,
        can_destroy: 1,
        can_destroy_all: 0,
        status: "active",
        created_at: SEEDED,
        updated_at: SEEDED,
      },
    ],
    telemetry: [
      {
        id: 1,
        user_identifier: "user-ada",
        license_key: "3a343c8a-38fe-4b6e-ad77-111111111111",
        activation_identifier: "ada-laptop",
        product_id: 1,
        product_version: "3.2.0",
        data_type: "numeric-single-value",
        data_group: "startup_ms",
        data: "812",
        is_correct_format: 1,
        license_key_exists: 1,
        product_exists: 1,
        product_version_exists: 1,
        has_red_flags: 0,
        created_at: "2026-11-20T08:00:00.000000Z",
        updated_at: "2026-11-20T08:00:00.000000Z",
      },
    ],
    nextId: 100,
  };
}

function product(id: number, name: string, description: string, meta: MetaEntry[]): Product {
  return {
    id,
    slug: slugOf(name),
    external_reference: "",
    source: "internal",
    name,
    post_url: "",
    description,
    status: "active",
    require_non_expired: 0,
    created_at: SEEDED,
    updated_at: SEEDED,
    meta_data: meta,
  };
}

/** A product's slug for its public changelog URL (Keysmith's model: the reference shows none). */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function license(
  id: number,
  license_key: string,
  product_id: number,
  status: License["status"],
  owner_name: string | null,
  owner_email: string | null,
  activation_limit: number,
  activations: string[],
): License {
  return {
    id,
    product_id,
    license_key,
    owner_name,
    owner_email,
    activation_limit,
    validity: 365,
    assigned_at: status === "available" ? null : "2026-09-01 00:00:00",
    status,
    contract_id: null,
    created_at: SEEDED,
    updated_at: SEEDED,
    activations,
    meta: id === 1 ? [{ id: 1, identifier: "ada-laptop", key: "seat", value: "1" }] : [],
  };
}
