import type { ApiDefinition } from "./api-definition.js";
import { type Environment, readSetting } from "./environment.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";

export interface Expiry {
  readonly at: Date;
  /** Where it came from, for messages: an option's or variable's name, or the key's JWT claim. */
  readonly source: string;
}

/**
 * When the credential expires: the `expiresAt` option, else the API's `…_EXPIRES_AT` variable (ISO 8601),
 * else the `exp` claim of a key that is a JWT; undefined when nothing says.
 */
export function findExpiry(
  api: ApiDefinition,
  expiresAt: Date | string | number | undefined,
  env: Environment,
  key: string | undefined,
): Expiry | undefined {
  const fail = (source: string) =>
    new ConfigurationError(`${api.name}: ${source} is not a date; use ISO 8601, such as 2027-01-31T00:00:00Z.`);
  if (expiresAt instanceof Date || typeof expiresAt === "number") {
    const at = new Date(expiresAt);
    if (Number.isNaN(at.getTime())) throw fail("the `expiresAt` option");
    return { at, source: "the `expiresAt` option" };
  }
  const setting = readSetting(expiresAt, "expiresAt", env, api.env.apiKeyExpiresAt);
  if (setting) {
    const at = new Date(setting.value);
    if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(setting.value)) throw fail(setting.source);
    return { at, source: setting.source };
  }
  const exp = key === undefined ? undefined : jwtExpiry(key);
  return exp === undefined ? undefined : { at: new Date(exp * 1000), source: "the key's JWT `exp` claim" };
}

/** The `exp` claim (seconds) of a JWT, or undefined for anything that is not one. */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const json = atob(
      parts[1]
        .replace(/-/g, "+")
        .replace(/_/g, "/")
        .padEnd(Math.ceil(parts[1].length / 4) * 4, "="),
    );
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp : undefined;
  } catch {
    return undefined;
  }
}
