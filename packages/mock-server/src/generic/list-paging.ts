import type { MockApiSpec, RouteSpec } from "../core/mock-api-spec.js";
import { bodySchema, listShapeOf, NEXT_CURSOR_FIELDS, NEXT_LINK_FIELDS, type Paging, pagingOf } from "./resources.js";
import { objectShape, resolveSchema, type Schema, typeOf } from "./schema-walk.js";

/**
 * How a client walks a list operation's pages: the parameter that picks a page, and JSON pointers to where an
 * answer keeps its items and the way to the next page. The same reading of the description the mock pages by,
 * so a generated client and the mock agree on every list.
 */
export interface ListPaging {
  readonly style: "page" | "offset" | "cursor";
  readonly param: string;
  readonly sizeParam?: string;
  /** The items (`/results`), or "" when the answer is the array itself. */
  readonly items: string;
  /** A link to the next page (a URL or a page number). */
  readonly next?: string;
  /** The next page's cursor. */
  readonly nextCursor?: string;
}

/**
 * How `route` pages, or undefined when it does not: `x-keysmith-pagination`'s style, parameters and pointers
 * where the operation and its answer have them, else detected from the operation's parameters (page and size,
 * offset and limit, a cursor) and its answer (an array, or an envelope with one, and its usual link names).
 */
export function listPagingOf(spec: MockApiSpec, route: RouteSpec): ListPaging | undefined {
  const paging = pagingOf(spec, route);
  if (paging.style === "none") return undefined;
  const answer = resolveSchema(spec.schemas, bodySchema(route));
  const declared = (name: string) => {
    const pointer = spec.pagination?.[name];
    return typeof pointer === "string" && schemaAt(spec, answer, pointer) !== undefined ? pointer : undefined;
  };
  const shape = listShapeOf(spec, route)?.shape;
  const items = declared("items") ?? (shape ? (shape.kind === "array" ? "" : `/${shape.itemsField}`) : undefined);
  if (items === undefined) return undefined;
  const fields = objectShape(spec.schemas, answer)?.properties ?? {};
  const named = (names: readonly string[], types: readonly string[]) => {
    const found = names.find((name) => types.includes(String(typeOf(fields[name]))));
    return found === undefined ? undefined : `/${found}`;
  };
  const next = declared("next") ?? named(NEXT_LINK_FIELDS, ["string", "integer", "number"]);
  const nextCursor =
    paging.style === "cursor" ? (declared("nextCursor") ?? named(NEXT_CURSOR_FIELDS, ["string"])) : undefined;
  const size = sizeParamOf(paging);
  return {
    style: paging.style,
    param: paramOf(paging),
    ...(size ? { sizeParam: size } : {}),
    items,
    ...(next ? { next } : {}),
    ...(nextCursor ? { nextCursor } : {}),
  };
}

function paramOf(paging: Exclude<Paging, { style: "none" }>): string {
  return paging.style === "page"
    ? paging.pageParam
    : paging.style === "offset"
      ? paging.offsetParam
      : paging.cursorParam;
}

function sizeParamOf(paging: Exclude<Paging, { style: "none" }>): string | undefined {
  return paging.style === "page" ? paging.sizeParam : paging.limitParam;
}

/** The schema a JSON pointer reaches inside `schema`, through object properties. */
function schemaAt(spec: MockApiSpec, schema: Schema | undefined, pointer: string): Schema | undefined {
  let current = schema;
  for (const segment of pointer.split("/").slice(1)) {
    const name = segment.replaceAll("~1", "/").replaceAll("~0", "~");
    current = objectShape(spec.schemas, current)?.properties[name];
    if (!current) return undefined;
  }
  return current;
}
