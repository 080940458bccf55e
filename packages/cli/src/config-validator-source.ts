import { createRequire } from "node:module";
import configSchema from "../keysmith.config.schema.json";

/** Where the compiled config validator lives, relative to packages/cli/src. */
export const CONFIG_VALIDATOR_FILES = {
  code: "generated/config-validator.js",
  types: "generated/config-validator.d.ts",
} as const;

/**
 * keysmith.config.schema.json compiled by ajv into a standalone validator, ahead of time: loading ajv and
 * compiling the schema took about 90 ms of every `keysmith generate`, most of a run with nothing to do. The
 * same options as a run-time compile (every error, not only the first), so errors read the same. ajv's ES
 * module output still `require`s its runtime helpers (the length of a string in characters), so the module
 * makes itself a `require`. `config-validator.test.ts` checks the files are what ajv compiles today.
 */
export function configValidatorSource(): { readonly code: string; readonly types: string } {
  const require = createRequire(import.meta.url);
  const Ajv = require("ajv") as typeof import("ajv").default;
  const standalone = (require("ajv/dist/standalone") as typeof import("ajv/dist/standalone")).default;
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true, esm: true } });
  const compiled = standalone(ajv, ajv.compile(configSchema));
  const header = [
    "// Generated from packages/cli/keysmith.config.schema.json by ajv's standalone compiler",
    "// (packages/cli/src/config-validator-source.ts). Do not edit: run `npx tsx scripts/write-config-validator.ts`.",
  ];
  return {
    code: [
      ...header,
      'import { createRequire } from "node:module";',
      "const require = createRequire(import.meta.url);",
      compiled,
      "",
    ].join("\n"),
    types: [
      ...header,
      'import type { ErrorObject } from "ajv";',
      "",
      "/** Checks a value against keysmith.config.schema.json; `errors` lists every problem of the last call. */",
      "export declare const validate: ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };",
      "export default validate;",
      "",
    ].join("\n"),
  };
}
