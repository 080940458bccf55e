import { setAtPointer } from "../core/json-pointer.js";
import type { MockApiSpec, ParameterSpec, RouteSpec } from "../core/mock-api-spec.js";
import { MockProblem } from "../core/mock-problem.js";
import { withQuery } from "../core/paginate.js";
import type { Item } from "./item-store.js";
import { bodySchema, type ListPlan, NEXT_CURSOR_FIELDS, NEXT_LINK_FIELDS } from "./resources.js";
import { objectShape, resolveSchema, type Schema, typeOf } from "./schema-walk.js";

/** Where one page starts and ends, and how to ask for the next and previous ones. */
interface PageWindow {
  readonly start: number;
  readonly size: number;
  readonly total: number;
  /** Page numbers, for page-style lists. */
  readonly page?: number;
  readonly totalPages?: number;
  readonly next: { readonly url: string; readonly page?: number } | null;
  readonly previous: { readonly url: string; readonly page?: number } | null;
  readonly nextCursor: string | null;
}

/**
 * The items a list request keeps: those its filter parameters match (`x-keysmith-filter`, or a query
 * parameter named like a scalar property of the items), in the order `x-keysmith-sort` gives.
 */
export function filterAndSort(
  spec: MockApiSpec,
  route: RouteSpec,
  itemSchema: Schema | undefined,
  query: Readonly<Record<string, unknown>>,
  paging: ListPlan["paging"],
  items: readonly Item[],
): Item[] {
  const pagingParams = new Set(Object.values(paging).filter((value) => typeof value === "string"));
  const properties = objectShape(spec.schemas, itemSchema)?.properties ?? {};
  let kept = [...items];
  for (const param of route.parameters) {
    if (param.in !== "query" || pagingParams.has(param.name) || param.name === route.sort?.param) continue;
    const value = query[param.name];
    if (value === undefined) continue;
    const filter = filterOf(param, properties);
    if (filter) kept = kept.filter((item) => matches(item[filter.field], filter.op, value));
  }
  const sortParam = route.sort?.param;
  const order = (sortParam === undefined ? undefined : query[sortParam]) ?? route.sort?.default;
  if (typeof order === "string" && order !== "") {
    const descending = order.startsWith("-");
    const field = order.replace(/^[-+]/, "");
    kept.sort((a, b) => compare(a[field], b[field]) * (descending ? -1 : 1));
  }
  return kept;
}

function filterOf(
  param: ParameterSpec,
  properties: Readonly<Record<string, Schema>>,
): { field: string; op: FilterOp } | undefined {
  if (param.filter) return param.filter;
  const property = properties[param.name];
  const type = typeOf(property);
  return property && (type === "string" || type === "integer" || type === "number" || type === "boolean")
    ? { field: param.name, op: "eq" }
    : undefined;
}

type FilterOp = NonNullable<ParameterSpec["filter"]>["op"];

function matches(actual: unknown, op: FilterOp, wanted: unknown): boolean {
  // a list of values (an array parameter, `?state=a&state=b`) keeps the items matching any of them
  if (Array.isArray(wanted)) return wanted.some((one) => matches(actual, op, one));
  if (op === "eq") return actual === wanted || String(actual) === String(wanted);
  // `has`: a list field holds the value; `contains`: a text field holds it
  if (op === "has") return Array.isArray(actual) && actual.some((one) => matches(one, "eq", wanted));
  if (op === "contains") return typeof actual === "string" && actual.includes(String(wanted));
  if (actual === undefined || actual === null) return false;
  const order = compare(actual, wanted);
  return op === "gt" ? order > 0 : op === "gte" ? order >= 0 : op === "lt" ? order < 0 : order <= 0;
}

/** Numbers by value, instants (ISO 8601 strings) by time, anything else as text. */
function compare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const instant = /^\d{4}-\d{2}-\d{2}/;
  if (typeof a === "string" && typeof b === "string" && instant.test(a) && instant.test(b)) {
    return Date.parse(a) - Date.parse(b);
  }
  return String(a ?? "").localeCompare(String(b ?? ""));
}

/** One page of `all`, in the list's shape (an array, or an envelope with its counts and links), paged as planned. */
export function listBody(
  spec: MockApiSpec,
  route: RouteSpec,
  list: ListPlan | undefined,
  query: Readonly<Record<string, unknown>>,
  url: URL,
  all: readonly unknown[],
  envelopeBase: () => unknown,
): unknown {
  const window = pageWindow(spec, list, query, url, all.length, maxItemsOf(spec, route, list));
  const items = all.slice(window.start, window.start + window.size);
  if (!list || list.shape.kind === "array") return items;
  const envelope = asObject(envelopeBase());
  envelope[list.shape.itemsField] = items;
  fillEnvelope(spec, route, envelope, window);
  return envelope;
}

/** The `maxItems` of the list's array (the whole answer, or the envelope's items field), if it has one. */
function maxItemsOf(spec: MockApiSpec, route: RouteSpec, list: ListPlan | undefined): number {
  const answer = resolveSchema(spec.schemas, bodySchema(route));
  const array =
    list?.shape.kind === "envelope" ? objectShape(spec.schemas, answer)?.properties[list.shape.itemsField] : answer;
  return typeof array?.maxItems === "number" ? array.maxItems : Number.POSITIVE_INFINITY;
}

function pageWindow(
  spec: MockApiSpec,
  list: ListPlan | undefined,
  query: Readonly<Record<string, unknown>>,
  url: URL,
  total: number,
  maxItems: number,
): PageWindow {
  const paging = list?.paging ?? { style: "none" };
  const number = (name: string | undefined, fallback: number) => {
    const value = name === undefined ? undefined : query[name];
    const parsed = typeof value === "number" ? value : Number(value);
    return value === undefined || !Number.isFinite(parsed) ? fallback : Math.trunc(parsed);
  };
  // a page holds no more items than the list's schema allows
  const sized = (name: string | undefined, fallback: number) => Math.max(1, Math.min(maxItems, number(name, fallback)));
  const none = { next: null, previous: null, nextCursor: null };
  if (paging.style === "page") {
    const size = sized(paging.sizeParam, paging.defaultSize);
    const page = Math.max(1, number(paging.pageParam, 1));
    const totalPages = Math.max(1, Math.ceil(total / size));
    if (page > totalPages && spec.pagination?.pastLastPage === "not-found") {
      throw new MockProblem(404, {
        code: "invalid_page",
        field: paging.pageParam,
        message: `Invalid page ${page}: there are ${totalPages}`,
      });
    }
    const link = (to: number) => ({ url: withQuery(url, paging.pageParam, to), page: to });
    return {
      ...none,
      start: (page - 1) * size,
      size,
      total,
      page,
      totalPages,
      next: page < totalPages ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
    };
  }
  if (paging.style === "offset") {
    const size = sized(paging.limitParam, paging.defaultSize);
    const start = Math.max(0, number(paging.offsetParam, 0));
    return {
      ...none,
      start,
      size,
      total,
      next: start + size < total ? { url: withQuery(url, paging.offsetParam, start + size) } : null,
      previous: start > 0 ? { url: withQuery(url, paging.offsetParam, Math.max(0, start - size)) } : null,
    };
  }
  if (paging.style === "cursor") {
    const size = sized(paging.limitParam, paging.defaultSize);
    const cursor = query[paging.cursorParam];
    const start = cursor === undefined ? 0 : decodeCursor(String(cursor), paging.cursorParam);
    const nextCursor = start + size < total ? encodeCursor(start + size) : null;
    return {
      ...none,
      start,
      size,
      total,
      nextCursor,
      next: nextCursor === null ? null : { url: withQuery(url, paging.cursorParam, nextCursor) },
    };
  }
  return { ...none, start: 0, size: Math.min(total, maxItems), total };
}

/**
 * Sets an envelope's counts, links and cursor: at the pointers `x-keysmith-pagination` gives (`next`,
 * `previous`, `nextCursor`, `count`, `totalPages`, `currentPage`, `pageSize`), else at the usual names. A link
 * is a URL where its schema is a string and a page number where it is an integer.
 */
function fillEnvelope(spec: MockApiSpec, route: RouteSpec, envelope: Record<string, unknown>, page: PageWindow): void {
  const shape = objectShape(spec.schemas, resolveSchema(spec.schemas, bodySchema(route)));
  const fields = shape?.properties ?? {};
  const nullable = (name: string) => {
    const property = fields[name];
    const types = Array.isArray(property?.type) ? property.type : [property?.type];
    return types.includes("null") || property?.nullable === true;
  };
  const required = (name: string) => shape?.required.includes(name) === true;
  const isNumber = (name: string) => typeOf(fields[name]) === "integer" || typeOf(fields[name]) === "number";
  const setLink = (name: string, link: PageWindow["next"]) => {
    const value = link === null ? null : isNumber(name) ? (link.page ?? null) : link.url;
    if (value !== null) envelope[name] = value;
    else if (nullable(name)) envelope[name] = null;
    else delete envelope[name];
  };
  for (const name of ["count", "total", "total_count", "totalCount", "total_results", "totalResults"]) {
    if (isNumber(name)) envelope[name] = page.total;
  }
  for (const name of ["has_more", "hasMore", "has_next", "hasNext"]) {
    if (typeOf(fields[name]) === "boolean") envelope[name] = page.next !== null;
  }
  for (const name of NEXT_LINK_FIELDS) {
    if (name in fields && (typeOf(fields[name]) === "string" || isNumber(name))) setLink(name, page.next);
  }
  for (const name of ["previous", "previous_page", "prev"]) {
    if (name in fields && (typeOf(fields[name]) === "string" || isNumber(name))) setLink(name, page.previous);
  }
  for (const name of NEXT_CURSOR_FIELDS) {
    if (name in fields && typeOf(fields[name]) === "string") {
      if (page.nextCursor !== null) envelope[name] = page.nextCursor;
      else if (nullable(name)) envelope[name] = null;
      // a cursor the schema requires and does not let be null is empty on the last page (as Slack's is)
      else if (required(name)) envelope[name] = "";
      else delete envelope[name];
    }
  }
  const pointers = spec.pagination ?? {};
  const pointer = (name: string) => (typeof pointers[name] === "string" ? (pointers[name] as string) : undefined);
  const topField = (at: string) => at.replace(/^\//, "");
  const values: [string, unknown][] = [
    ["count", page.total],
    ["totalPages", page.totalPages],
    ["currentPage", page.page],
    ["pageSize", page.size],
    ["nextCursor", page.nextCursor],
  ];
  for (const [name, value] of values) {
    const at = pointer(name);
    // only where the answer's schema has the pointer's place: an unpaged list of the same API has no `pagination`
    if (at && value !== undefined && (shape === undefined || (at.split("/")[1] ?? "") in fields)) {
      setAtPointer(envelope, at, value);
    }
  }
  for (const [name, link] of [
    ["next", page.next],
    ["previous", page.previous],
  ] as const) {
    const at = pointer(name);
    if (!at) continue;
    if (!at.slice(1).includes("/")) setLink(topField(at), link);
    else setAtPointer(envelope, at, link?.url ?? null);
  }
}

function encodeCursor(offset: number): string {
  return btoa(`offset:${offset}`).replace(/=+$/, "");
}

function decodeCursor(cursor: string, param: string): number {
  let offset = Number.NaN;
  try {
    const match = /^offset:(\d+)$/.exec(atob(cursor));
    offset = match ? Number(match[1]) : Number.NaN;
  } catch {
    offset = Number.NaN;
  }
  if (!Number.isSafeInteger(offset)) {
    throw new MockProblem(422, { code: "invalid", field: param, message: `${param}: not a cursor this mock issued` });
  }
  return offset;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? { ...(value as Record<string, unknown>) }
    : {};
}
