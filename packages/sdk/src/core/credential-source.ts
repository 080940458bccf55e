import type { ApiDefinition } from "./api-definition.js";
import { type Environment, readSetting } from "./environment.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";

/** A key as given: the value, or a function called before each request so a rotated key is picked up. */
export type ApiKeyOption = string | (() => string | Promise<string>);

export type CredentialSource =
  | { readonly kind: "value"; readonly name: string; readonly value: string }
  | { readonly kind: "function"; readonly name: string; readonly get: () => string | Promise<string> };

/**
 * Where the key comes from, in this order: the `apiKey` option (a value, or a function), the API's
 * environment variable, then `<VARIABLE>_FILE`, a path whose trimmed content is the key (as container
 * secrets are mounted). Blank counts as unset. Undefined when there is none.
 */
export function findCredentialSource(
  api: ApiDefinition,
  option: ApiKeyOption | undefined,
  env: Environment,
): CredentialSource | undefined {
  if (typeof option === "function") return { kind: "function", name: "the `apiKey` function", get: option };
  const setting = readSetting(option, "apiKey", env, api.env.apiKey);
  if (setting) return { kind: "value", name: setting.source, value: setting.value };
  const fileVariable = `${api.env.apiKey}_FILE`;
  const path = readSetting(undefined, fileVariable, env, fileVariable)?.value;
  if (path === undefined) return undefined;
  const value = readTextFile(path, api.name, fileVariable).trim();
  return value ? { kind: "value", name: `${fileVariable} (${path})`, value } : undefined;
}

/** A key file larger than this is not a key file (a key is at most `MAX_KEY_LENGTH` characters). */
const MAX_KEY_FILE_BYTES = 64 * 1024;

function readTextFile(path: string, apiName: string, variable: string): string {
  const fs = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process?.getBuiltinModule?.(
    "fs",
  ) as { readFileSync(path: string, encoding: "utf8"): string; statSync(path: string): { size: number } } | undefined;
  if (!fs) throw new ConfigurationError(`${apiName}: ${variable} names a file, but files cannot be read here.`);
  try {
    const { size } = fs.statSync(path);
    if (size > MAX_KEY_FILE_BYTES) {
      throw new ConfigurationError(
        `${apiName}: the key file ${path} named by ${variable} is ${size} bytes; a key file holds one key (at most ${MAX_KEY_FILE_BYTES} bytes).`,
      );
    }
    return fs.readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    const code = (error as { code?: string }).code ?? "unreadable";
    throw new ConfigurationError(`${apiName}: cannot read the key file ${path} named by ${variable} (${code}).`);
  }
}
