/**
 * GetKeyManager: assign a license key to a customer, activate it on a machine, read it back, send telemetry
 * from it, and see a logical failure (reported by the API with HTTP 200 and a code) arrive as a typed error.
 *
 *   GETKEYMANAGER_API_KEY=<your key> npx tsx examples/getkeymanager.ts
 *   GETKEYMANAGER_BASE_URL=https://licenses.example.com/api/v1 …   (a self-hosted installation)
 */
import { ConflictError, GetKeyManager } from "@keysmith/sdk";
import { isMain, type Log } from "./log.js";

export async function getKeyManagerExample(log: Log = console.log): Promise<void> {
  const gkm = new GetKeyManager(); // GETKEYMANAGER_API_KEY; GETKEYMANAGER_PUBLIC_KEY to verify signatures
  log(`GetKeyManager: calling ${gkm.baseUrl} with the key from ${gkm.credentials.status().source}`);

  const { products } = (await gkm.products.list()).response;
  const product = products[0];
  if (!product) throw new Error("no product to license");
  const { count } = (await gkm.licenses.availableCount({ product_id: product.id })).response;
  log(`GetKeyManager: "${product.name}" has ${count} license key(s) available`);

  const assigned = await gkm.licenses.randomAssign({
    product_id: product.id,
    owner_name: "Build Farm",
    owner_email: "builds@example.com",
    quantity: 1,
    generate: 1,
  });
  const license = assigned.response.license_keys[0];
  if (!license) throw new Error("no license key was assigned");
  await gkm.licenses.activate({ license_key: license.license_key, identifier: "build-agent-7" });
  const details = await gkm.licenses.getDetails({ license_key: license.license_key, identifier: "build-agent-7" });
  log(
    `GetKeyManager: ${license.license_key} assigned to ${details.response.licenseKey.owner_email} and active on build-agent-7 (signatures ${process.env.GETKEYMANAGER_PUBLIC_KEY ? "verified" : "not checked"})`,
  );

  try {
    await gkm.licenses.activate({ license_key: license.license_key, identifier: "build-agent-7" });
  } catch (error) {
    // GetKeyManager answers this with HTTP 200 and code 301; the SDK throws it as the error it is
    if (!(error instanceof ConflictError)) throw error;
    log(`GetKeyManager: activating twice → ${error.name}, status ${error.status}, code ${error.code}`);
  }

  const sent = await gkm.telemetry.send({
    data_type: "numeric-single-value",
    data_group: "startup_ms",
    numeric_data_single_value: 640,
    product_id: product.id,
    user_identifier: "build-farm",
    license_key: license.license_key,
    activation_identifier: "build-agent-7",
    product_version: "3.2.0",
  });
  const { data } = (await gkm.telemetry.list({ data_group: "startup_ms" })).response;
  log(`GetKeyManager: telemetry ${sent.response.message.toLowerCase()}; ${data.length} startup_ms record(s)`);
}

if (isMain(import.meta.url)) await getKeyManagerExample();
