import { basename } from "node:path";
import type { MockApiSpec, MockRealtimeSpec } from "@keysmith/mock-server";
import { mockApiSpecOf } from "./generator/emit-mock.js";
import { mockRealtimeSpecOf } from "./generator/emit-realtime.js";
import { loadSpec } from "./generator/load-spec.js";
import { buildModel } from "./generator/model.js";
import { prepareSpec } from "./generator/prepare-spec.js";
import { portableRelative } from "./generator/targets.js";
import { validateSpec } from "./generator/validate-spec.js";
import { upgradeSchemas } from "./json-schema-2020.js";

/** A description read for the mock: what it mocks, and what had to change on the way (to tell the user). */
export interface LoadedMockSpec {
  readonly spec: MockApiSpec;
  readonly warnings: readonly string[];
}

/**
 * Reads a description as `keysmith generate` does (YAML or JSON, Swagger 2.0 converted, split files bundled,
 * validated) and turns it into what the mock serves. The API is named from the file (`tasks.openapi.yaml` →
 * `tasks`) unless `name` says otherwise; it is the first segment of its paths on the standalone server.
 */
export async function loadMockSpec(file: string, cwd: string, name?: string): Promise<LoadedMockSpec> {
  const shown = portableRelative(cwd, file);
  const loaded = await loadSpec(file, shown);
  const { spec, warnings } = await prepareSpec(loaded, file);
  validateSpec(spec, { requireSource: false });
  const apiName = name ?? nameFromFile(file);
  const upgraded = { ...spec, document: upgradeSchemas(spec.document) };
  const model = buildModel(upgraded, apiName);
  return {
    spec: mockApiSpecOf(model, upgraded.document) as unknown as MockApiSpec,
    warnings: [...warnings, ...model.warnings].map((warning) => `${shown}: ${warning}`),
  };
}

function nameFromFile(file: string): string {
  const stem = basename(file)
    .replace(/\.(ya?ml|json)$/i, "")
    .replace(/\.(openapi|swagger|oas)$/i, "")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "");
  return stem || "api";
}

/** Reads an AsyncAPI 3 description of an API's Socket.IO side for the mock (its channels, events and schemas). */
export async function loadMockRealtimeSpec(file: string, cwd: string): Promise<MockRealtimeSpec> {
  const loaded = await loadSpec(file, portableRelative(cwd, file));
  return mockRealtimeSpecOf(loaded) as unknown as MockRealtimeSpec;
}
