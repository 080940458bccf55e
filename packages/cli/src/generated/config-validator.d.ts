// Generated from packages/cli/keysmith.config.schema.json by ajv's standalone compiler
// (packages/cli/src/config-validator-source.ts). Do not edit: run `npx tsx scripts/write-config-validator.ts`.
import type { ErrorObject } from "ajv";

/** Checks a value against keysmith.config.schema.json; `errors` lists every problem of the last call. */
export declare const validate: ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };
export default validate;
