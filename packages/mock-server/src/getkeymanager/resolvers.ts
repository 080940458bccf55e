import type { GkmResolver } from "./answers.js";
import { apiKeyResolvers } from "./api-keys.js";
import { catalogResolvers } from "./catalog.js";
import { licenseResolvers } from "./licenses.js";
import { telemetryResolvers } from "./telemetry.js";

/** One resolver per operation of specs/getkeymanager.openapi.yaml. */
export const getKeyManagerResolvers: Record<string, GkmResolver> = {
  ...licenseResolvers,
  ...catalogResolvers,
  ...telemetryResolvers,
  ...apiKeyResolvers,
};
