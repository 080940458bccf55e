import type { ApiDefinition } from "./api-definition.js";
import type { ClientOptions } from "./client-options.js";
import { type Environment, readSetting } from "./environment.js";
import { InvalidCredentialError } from "./errors/InvalidCredentialError.js";
import { MissingCredentialError } from "./errors/MissingCredentialError.js";

/**
 * The key, from the `apiKey` option, then the API's environment variable. Blank counts as unset. A key that
 * cannot be right is refused here, naming where it came from and never echoing it. APIs whose security
 * allows anonymous calls (an empty requirement, or none) need no key.
 */
export function resolveApiKey(api: ApiDefinition, options: ClientOptions, env: Environment): string | undefined {
  const key = readSetting(options.apiKey, "apiKey", env, api.env.apiKey);
  if (!key) {
    if (api.security.every((requirement) => requirement.length > 0) && api.security.length > 0) {
      throw new MissingCredentialError(api.name, api.env.apiKey);
    }
    return undefined;
  }
  const problem =
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    /[\u0000-\u001f\u007f]/.test(key.value)
      ? "contains control characters (CR, LF…), which could inject headers"
      : /^(basic|bearer|token|api-key)\s/i.test(key.value)
        ? "starts with an auth scheme word; pass the key alone, the client adds the scheme"
        : /\s/.test(key.value)
          ? "contains white space"
          : undefined;
  if (problem) throw new InvalidCredentialError(api.name, key.source, problem);
  return key.value;
}
