import { done, type Fields, failure, type GkmResolver, text, timestamp } from "./answers.js";
import type { TelemetryRecord } from "./state.js";

/** The fields a well-formed record carries, and what its value must be for each `data_type`. */
const REQUIRED = [
  "user_identifier",
  "license_key",
  "activation_identifier",
  "product_version",
  "data_type",
  "data_group",
];
const VALUE_FIELDS: Record<string, readonly string[]> = {
  "numeric-single-value": ["numeric_data_single_value"],
  "numeric-xy-axis": ["numeric_data_x", "numeric_data_y"],
  text: ["text_data"],
};

const flag = (value: boolean): 0 | 1 => (value ? 1 : 0);

export const telemetryResolvers: Record<string, GkmResolver> = {
  /**
   * Records every telemetry value, as the reference says, even a malformed one: that is saved with its
   * flags set and answered with code 831 and the fields at fault (as the documented example does).
   */
  sendTelemetryData: ({ state, body, now }) => {
    const input = body as Fields;
    const errors: Record<string, string[]> = {};
    for (const field of REQUIRED) {
      if (text(input, field) === undefined) errors[field] = [`The ${field.replaceAll("_", " ")} field is required.`];
    }
    for (const field of VALUE_FIELDS[String(input.data_type)] ?? []) {
      if (text(input, field) === undefined) errors[field] = [`The ${field.replaceAll("_", " ")} field is required.`];
    }
    const productId = input.product_id === undefined ? null : Number(input.product_id);
    const product = state.products.find((candidate) => candidate.id === productId);
    if (productId !== null && !product) errors.product_id = ["The selected product id is invalid."];
    const license = state.licenses.find((candidate) => candidate.license_key === input.license_key);
    const version = text(input, "product_version");
    const versionExists = state.downloadables.some(
      (download) => download.product_id === productId && download.version === version,
    );
    const correct = Object.keys(errors).length === 0;
    const value = (VALUE_FIELDS[String(input.data_type)] ?? []).map((field) => text(input, field) ?? "").join(",");
    const record: TelemetryRecord = {
      id: state.nextId++,
      user_identifier: text(input, "user_identifier") ?? null,
      license_key: text(input, "license_key") ?? null,
      activation_identifier: text(input, "activation_identifier") ?? null,
      product_id: productId,
      product_version: version ?? null,
      data_type: String(input.data_type),
      data_group: String(input.data_group),
      data: value,
      is_correct_format: flag(correct),
      license_key_exists: flag(license !== undefined),
      product_exists: flag(product !== undefined),
      product_version_exists: flag(versionExists),
      has_red_flags: flag(!correct || !license || !product || !versionExists),
      created_at: timestamp(now),
      updated_at: timestamp(now),
    };
    state.telemetry.push(record);
    if (!correct) throw failure(831, "Incorrect format data saved", { errors });
    return done(now, 830, "Correct format data saved", { errors: [] });
  },

  getTelemetryData: ({ state, query, now }) => {
    const filters = Object.entries(query).filter(([, value]) => value !== undefined);
    const data = state.telemetry.filter((record) =>
      filters.every(([name, value]) => String((record as unknown as Fields)[name]) === String(value)),
    );
    return done(now, 970, "Telemetry data found", { data });
  },
};
