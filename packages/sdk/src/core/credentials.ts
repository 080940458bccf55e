import type { ApiDefinition } from "./api-definition.js";
import type { ClientOptions } from "./client-options.js";
import { type Environment, readVariable } from "./environment.js";
import { InvalidCredentialError } from "./errors/InvalidCredentialError.js";
import { MissingCredentialError } from "./errors/MissingCredentialError.js";

/** Does the API accept requests without any credential (an empty security requirement, or none at all)? */
export function credentialOptional(api: ApiDefinition): boolean {
  return api.security.length === 0 || api.security.some((requirement) => requirement.length === 0);
}

/**
 * The key, from the `apiKey` option, then the API's environment variable. Blank counts as unset. A key that
 * cannot be right is refused here, naming where it came from and never echoing it.
 */
export function resolveApiKey(api: ApiDefinition, options: ClientOptions, env: Environment): string | undefined {
  const fromOption = options.apiKey?.trim() ? options.apiKey : undefined;
  const fromEnv = fromOption === undefined ? readVariable(env, api.env.apiKey) : undefined;
  const key = fromOption ?? fromEnv;
  if (key === undefined) {
    if (credentialOptional(api)) return undefined;
    throw new MissingCredentialError(api.name, api.env.apiKey);
  }
  const source = fromOption !== undefined ? "the `apiKey` option" : api.env.apiKey;
  const problem = credentialProblem(key.trim());
  if (problem) throw new InvalidCredentialError(api.name, source, problem);
  return key.trim();
}

const SCHEME_PREFIX = /^(basic|bearer|token|api-key)\s/i;

function credentialProblem(key: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(key)) return "contains control characters (CR, LF…), which could inject headers";
  if (SCHEME_PREFIX.test(key)) return "starts with an auth scheme word; pass the key alone, the client adds the scheme";
  if (/\s/.test(key)) return "contains white space";
  return undefined;
}
