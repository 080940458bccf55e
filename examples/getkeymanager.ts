/**
 * GetKeyManager: activate a license key on a machine, send telemetry from it, and rotate an API key.
 *
 *   GETKEYMANAGER_API_KEY=gkm_live_… npx tsx examples/getkeymanager.ts
 *   GETKEYMANAGER_ENVIRONMENT=staging GETKEYMANAGER_API_KEY=gkm_stg_… npx tsx examples/getkeymanager.ts
 */
import { GetKeyManager } from "@keysmith/sdk";
import { isMain, type Log } from "./log.js";

export async function getKeyManagerExample(log: Log = console.log): Promise<void> {
  const gkm = new GetKeyManager(); // GETKEYMANAGER_API_KEY, GETKEYMANAGER_ENVIRONMENT (production by default)
  const status = gkm.credentials.status();
  log(`GetKeyManager: targeting ${gkm.environment} at ${gkm.baseUrl} with the key from ${status.source}`);
  const permissions = await gkm.credentials.refreshPermissions();
  log(
    `GetKeyManager: the key may ${permissions.join(", ")}; signatures ${process.env.GETKEYMANAGER_PUBLIC_KEY ? "verified" : "not checked"}`,
  );

  const available = await gkm.licenses.list({ status: "available", per_page: 5 });
  const license = available.response.data?.items[0];
  if (!license) throw new Error("no available license key to activate");
  const activation = await gkm.licenses.activate({ license_key: license.license_key, identifier: "build-agent-7" });
  log(
    `GetKeyManager: ${license.license_key} active on build-agent-7, ${activation.response.data?.activations_left} activation(s) left`,
  );

  await gkm.telemetry.send({
    data_type: "numeric-single-value",
    data_group: "startup_ms",
    numeric_data_single_value: 640,
    license_key: license.license_key,
    activation_identifier: "build-agent-7",
  });
  const flagged = await gkm.telemetry.list({ has_red_flags: true });
  log(`GetKeyManager: telemetry sent; ${flagged.response.data?.length ?? 0} data point(s) carry red flags`);

  const created = await gkm.apiKeys.create({
    name: "Nightly export",
    environment: "production",
    permissions: ["license:read"],
  });
  const key = created.response.data;
  if (!key) throw new Error("the API did not return the new key");
  const rotated = await gkm.apiKeys.regenerate({ key_id: key.id });
  log(
    `GetKeyManager: created key ${key.key_hint}, regenerated as ${rotated.response.data?.key_hint} (same permissions: ${rotated.response.data?.permissions.join(", ")})`,
  );
}

if (isMain(import.meta.url)) await getKeyManagerExample();
