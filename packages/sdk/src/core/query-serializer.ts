import { formQueryPart, queryScalar } from "./form-query.js";

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
 * Parameters without a style of their own are `form`, exploded (`formQuery`). A value the style cannot write
 * (an object in a list) is a `ConfigurationError` naming the parameter.
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
    const scalar = (item: unknown) => queryScalar(item, name, style, where, encode);
    if (content) parts.push(`${key}=${encodeURIComponent(JSON.stringify(value))}`);
    else if (style === "deepObject") deep(key, value, parts, encode);
    // exploded: a list repeats the parameter in `form` only; an object's fields are spread in any style
    else if (explode && (style === "form" || isFields(value))) formQueryPart(name, value, where, parts, encode);
    else if (Array.isArray(value)) parts.push(`${key}=${value.map(scalar).join(DELIMITERS[style] ?? ",")}`);
    else if (isFields(value)) {
      const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
      parts.push(`${key}=${entries.flatMap(([field, item]) => [encode(field), scalar(item)]).join(",")}`);
    } else parts.push(`${key}=${scalar(value)}`);
  }
  return parts.join("&");
}

function isFields(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
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
