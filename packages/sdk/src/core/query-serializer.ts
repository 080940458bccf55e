import { ConfigurationError } from "./errors/ConfigurationError.js";

/** OpenAPI's serialisation of one query parameter (`style`, `explode`, `allowReserved`, `content`). */
export interface QueryStyle {
  readonly style?: string;
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
  readonly content?: string;
}

const DELIMITERS: Readonly<Record<string, string>> = { form: ",", spaceDelimited: "%20", pipeDelimited: "|" };

/**
 * A query string as OpenAPI's parameter styles write it: `form` (exploded: repeated, or an object's fields
 * spread; not exploded: comma-separated), `spaceDelimited`, `pipeDelimited`, `deepObject` (`name[key]=value`,
 * nesting allowed), `content`-typed parameters as JSON, reserved characters kept where `allowReserved` says.
 * Parameters without a style of their own are `form`, exploded. A value the style cannot write (an object in a
 * list) is a `ConfigurationError` naming the parameter.
 */
export function serializeQuery(
  query: Record<string, unknown>,
  styles: Readonly<Record<string, QueryStyle>> = {},
  where = "query",
): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const { style = "form", explode = true, allowReserved = false, content } = styles[name] ?? {};
    const encode = (text: string) =>
      allowReserved ? encodeURI(text).replace(/[&=#]/g, encodeURIComponent) : encodeURIComponent(text);
    const key = encodeURIComponent(name);
    const scalar = (item: unknown): string => {
      if (item !== null && typeof item === "object" && !(item instanceof Date)) {
        throw new ConfigurationError(
          `${where}: the parameter \`${name}\` holds a nested value its ${style} style cannot write`,
        );
      }
      return encode(item instanceof Date ? item.toISOString() : String(item));
    };
    if (content) parts.push(`${key}=${encodeURIComponent(JSON.stringify(value))}`);
    else if (style === "deepObject") deep(key, value, parts, encode);
    else if (Array.isArray(value)) {
      if (explode && style === "form") for (const item of value) parts.push(`${key}=${scalar(item)}`);
      else parts.push(`${key}=${value.map(scalar).join(DELIMITERS[style] ?? ",")}`);
    } else if (typeof value === "object" && !(value instanceof Date)) {
      const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
      if (explode) for (const [field, item] of entries) parts.push(`${encodeURIComponent(field)}=${scalar(item)}`);
      else parts.push(`${key}=${entries.flatMap(([field, item]) => [encode(field), scalar(item)]).join(",")}`);
    } else parts.push(`${key}=${scalar(value)}`);
  }
  return parts.join("&");
}

function deep(prefix: string, value: unknown, parts: string[], encode: (text: string) => string): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) deep(`${prefix}[${index}]`, item, parts, encode);
  } else if (typeof value === "object" && !(value instanceof Date)) {
    for (const [field, item] of Object.entries(value))
      deep(`${prefix}[${encodeURIComponent(field)}]`, item, parts, encode);
  } else parts.push(`${prefix}=${encode(value instanceof Date ? value.toISOString() : String(value))}`);
}
