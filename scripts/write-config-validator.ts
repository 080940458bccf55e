// Writes packages/cli/src/generated/config-validator.{js,d.ts}: keysmith.config.schema.json compiled by ajv.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_VALIDATOR_FILES, configValidatorSource } from "../packages/cli/src/config-validator-source.js";

const source = configValidatorSource();
const dir = join(import.meta.dirname, "..", "packages", "cli", "src");
writeFileSync(join(dir, CONFIG_VALIDATOR_FILES.code), source.code);
writeFileSync(join(dir, CONFIG_VALIDATOR_FILES.types), source.types);
process.stdout.write(`wrote ${Object.values(CONFIG_VALIDATOR_FILES).join(" and ")} under packages/cli/src\n`);
