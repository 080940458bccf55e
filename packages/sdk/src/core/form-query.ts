import { ConfigurationError } from "./errors/ConfigurationError.js";

/**
 * A query string in OpenAPI's default style, `form` + explode: a list repeats the parameter, an object's
 * fields become parameters of their own, dates are ISO 8601, `undefined` and `null` are left out. A value
 * the style cannot write (an object in a list) is a `ConfigurationError` naming the parameter. Parameters
 * in other styles go through `serializeQuery`, which clients whose API has them carry.
 */
export function formQuery(query: Readonly<Record<string, unknown>>, where: string): string {
  const parts: string[] = [];
  for (const name in query) formQueryPart(name, query[name], where, parts);
  return parts.join("&");
}

/** One parameter in `form` + explode, appended to `parts`; `encode` writes a scalar's text. */
export function formQueryPart(
  name: string,
  value: unknown,
  where: string,
  parts: string[],
  encode: (text: string) => string = encodeURIComponent,
): void {
  if (value === undefined || value === null) return;
  const key = encodeURIComponent(name);
  if (Array.isArray(value)) {
    for (const item of value) parts.push(`${key}=${queryScalar(item, name, "form", where, encode)}`);
  } else if (typeof value === "object" && !(value instanceof Date)) {
    for (const [field, item] of Object.entries(value)) {
      if (item !== undefined)
        parts.push(`${encodeURIComponent(field)}=${queryScalar(item, name, "form", where, encode)}`);
    }
  } else parts.push(`${key}=${queryScalar(value, name, "form", where, encode)}`);
}

/** A scalar's text in a query string (a date as ISO 8601); a nested value is refused, naming the parameter. */
export function queryScalar(
  item: unknown,
  name: string,
  style: string,
  where: string,
  encode: (text: string) => string,
): string {
  if (item !== null && typeof item === "object" && !(item instanceof Date)) {
    throw new ConfigurationError(
      `${where}: the parameter \`${name}\` holds a nested value its ${style} style cannot write`,
    );
  }
  return encode(item instanceof Date ? item.toISOString() : String(item));
}
