import type { MockApiSpec, ParameterSpec, RouteSpec } from "../core/mock-api-spec.js";
import type { Item } from "./item-store.js";
import { type EnvelopePlan, envelopePlan, fillEnvelope } from "./list-envelope.js";
import { pageWindow } from "./page-window.js";
import { bodySchema, type ListPlan, type Paging } from "./resources.js";
import { objectShape, resolveSchema, type Schema, typeOf } from "./schema-walk.js";

type FilterOp = NonNullable<ParameterSpec["filter"]>["op"];

/** A query parameter that keeps the items whose `field` compares to its value by `op`. */
interface QueryFilter {
  readonly param: string;
  readonly field: string;
  readonly op: FilterOp;
}

/**
 * What a list operation's answers need from its description, read once per operation rather than on every
 * request: its shape and paging, the most items a page may hold, its filters and order, and where an envelope
 * keeps its counts and links.
 */
export interface ListAnswerPlan {
  readonly list: ListPlan | undefined;
  readonly paging: Paging;
  /** `x-keysmith-pagination`'s `pastLastPage: not-found`: a page past the last is a 404. */
  readonly pastLastPageNotFound: boolean;
  /** The `maxItems` of the list's array (the whole answer, or the envelope's items field), if it has one. */
  readonly maxItems: number;
  readonly filters: readonly QueryFilter[];
  readonly sort: RouteSpec["sort"];
  /** Where the envelope keeps its counts, links and cursor; undefined for an array answer. */
  readonly envelope: EnvelopePlan | undefined;
}

/**
 * Reads how `route` answers as a list of items of `itemSchema`: filters are its query parameters that are neither
 * paging nor sort parameters, with `x-keysmith-filter` or named like a scalar property of the items.
 */
export function listAnswerPlan(
  spec: MockApiSpec,
  route: RouteSpec,
  list: ListPlan | undefined,
  itemSchema: Schema | undefined,
): ListAnswerPlan {
  const paging: Paging = list?.paging ?? { style: "none" };
  const pagingParams = new Set(Object.values(paging).filter((value) => typeof value === "string"));
  const properties = objectShape(spec.schemas, itemSchema)?.properties ?? {};
  const filters: QueryFilter[] = [];
  for (const param of route.parameters) {
    if (param.in !== "query" || pagingParams.has(param.name) || param.name === route.sort?.param) continue;
    const filter = filterOf(param, properties);
    if (filter) filters.push({ param: param.name, ...filter });
  }
  return {
    list,
    paging,
    pastLastPageNotFound: spec.pagination?.pastLastPage === "not-found",
    maxItems: maxItemsOf(spec, route, list),
    filters,
    sort: route.sort,
    envelope: list?.shape.kind === "envelope" ? envelopePlan(spec, route) : undefined,
  };
}

/**
 * The items a list request keeps: those its filter parameters match, in the order `x-keysmith-sort` gives.
 * `items` itself when no filter or order applies (it is never changed).
 */
export function filterAndSort(
  plan: ListAnswerPlan,
  query: Readonly<Record<string, unknown>>,
  items: readonly Item[],
): readonly Item[] {
  let kept = items;
  for (const { param, field, op } of plan.filters) {
    const value = query[param];
    if (value !== undefined) kept = kept.filter((item) => matches(item[field], op, value));
  }
  const sortParam = plan.sort?.param;
  const order = (sortParam === undefined ? undefined : query[sortParam]) ?? plan.sort?.default;
  if (typeof order === "string" && order !== "") {
    const descending = order.startsWith("-");
    const field = order.replace(/^[-+]/, "");
    // sorted in a copy: `items` may be the API's own state
    kept = [...kept].sort((a, b) => compare(a[field], b[field]) * (descending ? -1 : 1));
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

const INSTANT = /^\d{4}-\d{2}-\d{2}/;

/** Numbers by value, instants (ISO 8601 strings) by time, anything else as text. */
function compare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string" && INSTANT.test(a) && INSTANT.test(b)) {
    return Date.parse(a) - Date.parse(b);
  }
  return String(a ?? "").localeCompare(String(b ?? ""));
}

/** One page of `all`, in the list's shape (an array, or an envelope with its counts and links), paged as planned. */
export function listBody(
  plan: ListAnswerPlan,
  query: Readonly<Record<string, unknown>>,
  url: URL,
  all: readonly unknown[],
  envelopeBase: () => unknown,
): unknown {
  const window = pageWindow(plan.paging, plan.pastLastPageNotFound, query, url, all.length, plan.maxItems);
  const items = all.slice(window.start, window.start + window.size);
  const { list, envelope: fields } = plan;
  if (!list || list.shape.kind === "array" || !fields) return items;
  const envelope = asObject(envelopeBase());
  envelope[list.shape.itemsField] = items;
  fillEnvelope(fields, envelope, window);
  return envelope;
}

/** The `maxItems` of the list's array (the whole answer, or the envelope's items field), if it has one. */
function maxItemsOf(spec: MockApiSpec, route: RouteSpec, list: ListPlan | undefined): number {
  const answer = resolveSchema(spec.schemas, bodySchema(route));
  const array =
    list?.shape.kind === "envelope" ? objectShape(spec.schemas, answer)?.properties[list.shape.itemsField] : answer;
  return typeof array?.maxItems === "number" ? array.maxItems : Number.POSITIVE_INFINITY;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? { ...(value as Record<string, unknown>) }
    : {};
}
