import type { KeyRecord } from "../core/key-record.js";
import { KeyRing } from "../core/key-record.js";
import type { SeedMode } from "../core/mock-api.js";

export interface ApiKeyRecord extends KeyRecord {
  name: string;
  readonly environment: "production" | "staging" | "development";
  permissions: string[];
  rateLimit: { requests: number; perSeconds: number };
  readonly createdAt: string;
  customerId: number | null;
}

export interface License {
  license_key: string;
  product_id: number;
  status: "available" | "assigned" | "reserved" | "blocked";
  owner_name: string | null;
  owner_email: string | null;
  activation_limit: number;
  activations: string[];
  validity: number;
  assigned_at: string | null;
}

export interface TelemetryRecord {
  id: number;
  data_type: string;
  license_key: string;
  has_red_flags: boolean;
  recorded_at: string;
  [field: string]: unknown;
}

export interface GetKeyManagerState {
  readonly keys: KeyRing<ApiKeyRecord>;
  readonly products: { id: number; name: string; slug: string }[];
  readonly licenses: License[];
  readonly telemetry: TelemetryRecord[];
  nextId: number;
}

export const ALL_PERMISSIONS = [
  "license:read",
  "license:manage",
  "customer:read",
  "telemetry:read",
  "telemetry:write",
  "product:read",
  "api_key:manage",
];

/** Demo keys, one per environment, plus a production key that may only read licenses. */
export const getKeyManagerDemoKeys = {
  production: "gkm_live_demo5f2a9c1e7b3d4086a2c4e6f8",
  staging: "gkm_stg_demo8b1d3f5a7c9e2046b8d0f2a4",
  development: "gkm_dev_demo2c4e6a8b0d1f3a5c7e9b1d3f",
  readOnly: "gkm_live_read6e8a0c2e4b6d8f1a3c5e7a9b",
} as const;

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
    key("key_stg", getKeyManagerDemoKeys.staging, "Staging CI", "staging"),
    key("key_dev", getKeyManagerDemoKeys.development, "Local development", "development"),
    key("key_read", getKeyManagerDemoKeys.readOnly, "License dashboard (read only)", "production", ["license:read"]),
  ]);
  if (seed === "empty") return { keys, products: [], licenses: [], telemetry: [], nextId: 100 };
  return {
    keys,
    products: [
      { id: 1, name: "Acme Desktop", slug: "acme-desktop" },
      { id: 2, name: "Acme WordPress Plugin", slug: "acme-wp" },
    ],
    licenses: [
      license("ACME-1111-2222-3333", 1, "assigned", "Ada Lovelace", "ada@example.com", 2, ["ada-laptop"]),
      license("ACME-4444-5555-6666", 1, "available", null, null, 1, []),
      license("ACME-7777-8888-9999", 1, "available", null, null, 1, []),
      license("WPPL-0000-1111-2222", 2, "assigned", "Grace Hopper", "grace@example.com", 1, ["example.org"]),
      license("WPPL-3333-4444-5555", 2, "blocked", "Mallory", "mallory@example.com", 1, []),
    ],
    telemetry: [
      {
        id: 1,
        data_type: "numeric-single-value",
        data_group: "startup_ms",
        numeric_data_single_value: 812,
        license_key: "ACME-1111-2222-3333",
        activation_identifier: "ada-laptop",
        product_version: "3.2.0",
        has_red_flags: false,
        recorded_at: "2026-11-20T08:00:00.000Z",
      },
    ],
    nextId: 100,
  };
}

function license(
  license_key: string,
  product_id: number,
  status: License["status"],
  owner_name: string | null,
  owner_email: string | null,
  activation_limit: number,
  activations: string[],
): License {
  return {
    license_key,
    product_id,
    status,
    owner_name,
    owner_email,
    activation_limit,
    activations,
    validity: 365,
    assigned_at: status === "assigned" ? "2026-09-01T00:00:00.000Z" : null,
  };
}
