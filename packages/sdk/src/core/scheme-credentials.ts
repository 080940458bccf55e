import type { ApiDefinition, AuthScheme } from "./api-definition.js";
import { type Environment, readSetting } from "./environment.js";
import { InvalidCredentialError } from "./errors/InvalidCredentialError.js";
import { registerSecret } from "./redact.js";
import { type Found, type SchemeCredential, type SchemeCredentials, styleOf } from "./security.js";

/** The environment variables that can hold a scheme's credential (beyond the API's key), by kind. */
export function schemeVariables(scheme: AuthScheme): string[] {
  const base = "env" in scheme ? scheme.env : undefined;
  if (!base) return [];
  if (scheme.type === "basic") return [`${base}_USERNAME`, `${base}_PASSWORD`];
  if (scheme.type === "oauth2" && scheme.tokenUrl) return [`${base}_CLIENT_ID`, `${base}_CLIENT_SECRET`, base];
  return [base];
}

function describeNeed(name: string, scheme: AuthScheme): string {
  const variables = schemeVariables(scheme);
  const style = styleOf(scheme);
  const env = variables.length > 0 ? `, or set ${variables.join(" + ")}` : "";
  return `${style} (pass \`credentials: { ${JSON.stringify(name)}: … }\`${env})`;
}

function findSchemeCredential(
  api: ApiDefinition,
  name: string,
  scheme: AuthScheme,
  option: SchemeCredential | undefined,
  env: Environment,
  apiKey: Found | undefined,
): Found | undefined {
  if (scheme.type === "unsupported") return undefined;
  const where = `the \`credentials.${name}\` option`;
  if (typeof option === "function")
    return { kind: "secret", source: `the \`credentials.${name}\` function`, get: option };
  if (typeof option === "string" && option.trim()) return secret(api, where, option.trim());
  if (option && typeof option === "object") {
    if ("username" in option) {
      registerSecret(option.password);
      return { kind: "pair", source: where, username: checked(api, where, option.username), password: option.password };
    }
    if ("clientId" in option) {
      registerSecret(option.clientSecret);
      return {
        kind: "client",
        source: where,
        clientId: option.clientId,
        clientSecret: option.clientSecret,
        scopes: option.scopes,
      };
    }
  }
  const [first, second] = schemeVariables(scheme);
  if (scheme.type === "basic" && first && second) {
    const username = readSetting(undefined, first, env, first);
    const password = readSetting(undefined, second, env, second);
    if (username && password) {
      registerSecret(password.value);
      return { kind: "pair", source: `${first} + ${second}`, username: username.value, password: password.value };
    }
  } else if (scheme.type === "oauth2" && scheme.tokenUrl && first && second) {
    const clientId = readSetting(undefined, first, env, first);
    const clientSecret = readSetting(undefined, second, env, second);
    if (clientId && clientSecret) {
      registerSecret(clientSecret.value);
      return {
        kind: "client",
        source: `${first} + ${second}`,
        clientId: clientId.value,
        clientSecret: clientSecret.value,
        scopes: undefined,
      };
    }
  }
  const variable =
    scheme.type === "basic"
      ? undefined
      : scheme.type === "oauth2" && scheme.tokenUrl
        ? schemeVariables(scheme)[2]
        : first;
  const fromEnv = variable ? readSetting(undefined, variable, env, variable) : undefined;
  if (fromEnv) return secret(api, fromEnv.source, fromEnv.value);
  // the API's own key (option, variable or file) serves every scheme that takes one secret
  return apiKey;
}

function secret(api: ApiDefinition, source: string, value: string): Found {
  const key = checked(api, source, value);
  registerSecret(key);
  return { kind: "secret", source, get: () => key };
}

function checked(api: ApiDefinition, source: string, value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new InvalidCredentialError(
      api.name,
      source,
      "contains control characters (CR, LF…), which could inject headers",
    );
  }
  return value;
}

/**
 * The capability behind the `credentials` option: each scheme's credential from the option (by scheme name),
 * else its own variables, else the API's key. Passed in by the clients of APIs that need it.
 */
export const schemeCredentials: SchemeCredentials = { find: findSchemeCredential, describeNeed };
