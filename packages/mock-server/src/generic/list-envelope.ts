import { setAtPointer } from "../core/json-pointer.js";
import type { MockApiSpec, RouteSpec } from "../core/mock-api-spec.js";
import type { PageLink, PageWindow } from "./page-window.js";
import { bodySchema, NEXT_CURSOR_FIELDS, NEXT_LINK_FIELDS } from "./resources.js";
import { objectShape, resolveSchema, typeOf } from "./schema-walk.js";

/** A field of the envelope that carries a link: a URL where its schema is a string, a page number where a number. */
interface LinkField {
  readonly name: string;
  readonly isNumber: boolean;
  readonly nullable: boolean;
}

/** A field of the envelope that carries the next page's cursor. */
interface CursorField {
  readonly name: string;
  readonly nullable: boolean;
  readonly required: boolean;
}

/** A place `x-keysmith-pagination` points to for a link, inside the envelope (`/pagination/next`). */
type LinkPointer =
  | { readonly link: "next" | "previous"; readonly top: LinkField }
  | { readonly link: "next" | "previous"; readonly at: string };

/**
 * Where a list operation's envelope keeps its counts, links and cursor, read once from its answer's schema and
 * `x-keysmith-pagination`: filling an envelope is then a few assignments, in the order they were always made
 * (the order the answer's JSON keys come in).
 */
export interface EnvelopePlan {
  readonly countFields: readonly string[];
  readonly moreFields: readonly string[];
  readonly nextFields: readonly LinkField[];
  readonly previousFields: readonly LinkField[];
  readonly cursorFields: readonly CursorField[];
  /** `x-keysmith-pagination`'s pointers to the page's figures, where the answer's schema has their place. */
  readonly figures: readonly { readonly name: keyof typeof FIGURES; readonly at: string }[];
  readonly linkPointers: readonly LinkPointer[];
}

/** The page's figures `x-keysmith-pagination` may point to, and where a `PageWindow` keeps each. */
const FIGURES = {
  count: "total",
  totalPages: "totalPages",
  currentPage: "page",
  pageSize: "size",
  nextCursor: "nextCursor",
} as const satisfies Record<string, keyof PageWindow>;

const COUNT_FIELDS = ["count", "total", "total_count", "totalCount", "total_results", "totalResults"];
const MORE_FIELDS = ["has_more", "hasMore", "has_next", "hasNext"];
const PREVIOUS_FIELDS = ["previous", "previous_page", "prev"];

/**
 * Reads where `route`'s envelope keeps its counts, links and cursor: at the pointers `x-keysmith-pagination`
 * gives (`next`, `previous`, `nextCursor`, `count`, `totalPages`, `currentPage`, `pageSize`), else at the usual
 * names. A link is a URL where its schema is a string and a page number where it is an integer.
 */
export function envelopePlan(spec: MockApiSpec, route: RouteSpec): EnvelopePlan {
  const shape = objectShape(spec.schemas, resolveSchema(spec.schemas, bodySchema(route)));
  const fields = shape?.properties ?? {};
  const nullable = (name: string) => {
    const property = fields[name];
    const types = Array.isArray(property?.type) ? property.type : [property?.type];
    return types.includes("null") || property?.nullable === true;
  };
  const isNumber = (name: string) => typeOf(fields[name]) === "integer" || typeOf(fields[name]) === "number";
  const linkField = (name: string): LinkField => ({ name, isNumber: isNumber(name), nullable: nullable(name) });
  const links = (names: readonly string[]) =>
    names.filter((name) => name in fields && (typeOf(fields[name]) === "string" || isNumber(name))).map(linkField);
  const pointers = spec.pagination ?? {};
  const pointer = (name: string) => (typeof pointers[name] === "string" ? (pointers[name] as string) : undefined);
  const figures: EnvelopePlan["figures"][number][] = [];
  for (const name of Object.keys(FIGURES) as (keyof typeof FIGURES)[]) {
    const at = pointer(name);
    // only where the answer's schema has the pointer's place: an unpaged list of the same API has no `pagination`
    if (at && (shape === undefined || (at.split("/")[1] ?? "") in fields)) figures.push({ name, at });
  }
  const linkPointers: LinkPointer[] = [];
  for (const link of ["next", "previous"] as const) {
    const at = pointer(link);
    if (!at) continue;
    linkPointers.push(at.slice(1).includes("/") ? { link, at } : { link, top: linkField(at.replace(/^\//, "")) });
  }
  return {
    countFields: COUNT_FIELDS.filter(isNumber),
    moreFields: MORE_FIELDS.filter((name) => typeOf(fields[name]) === "boolean"),
    nextFields: links(NEXT_LINK_FIELDS),
    previousFields: links(PREVIOUS_FIELDS),
    cursorFields: NEXT_CURSOR_FIELDS.filter((name) => name in fields && typeOf(fields[name]) === "string").map(
      (name) => ({ name, nullable: nullable(name), required: shape?.required.includes(name) === true }),
    ),
    figures,
    linkPointers,
  };
}

/** Sets an envelope's counts, links and cursor for one page, as `plan` reads the answer's schema. */
export function fillEnvelope(plan: EnvelopePlan, envelope: Record<string, unknown>, page: PageWindow): void {
  for (const name of plan.countFields) envelope[name] = page.total;
  for (const name of plan.moreFields) envelope[name] = page.next !== null;
  for (const field of plan.nextFields) setLink(envelope, field, page.next);
  for (const field of plan.previousFields) setLink(envelope, field, page.previous);
  for (const { name, nullable, required } of plan.cursorFields) {
    if (page.nextCursor !== null) envelope[name] = page.nextCursor;
    else if (nullable) envelope[name] = null;
    // a cursor the schema requires and does not let be null is empty on the last page (as Slack's is)
    else if (required) envelope[name] = "";
    else delete envelope[name];
  }
  for (const { name, at } of plan.figures) {
    const value = page[FIGURES[name]];
    if (value !== undefined) setAtPointer(envelope, at, value);
  }
  for (const pointer of plan.linkPointers) {
    const link = pointer.link === "next" ? page.next : page.previous;
    if ("top" in pointer) setLink(envelope, pointer.top, link);
    else setAtPointer(envelope, pointer.at, link?.url ?? null);
  }
}

function setLink(envelope: Record<string, unknown>, field: LinkField, link: PageLink | null): void {
  const value = link === null ? null : field.isNumber ? (link.page ?? null) : link.url;
  if (value !== null) envelope[field.name] = value;
  else if (field.nullable) envelope[field.name] = null;
  else delete envelope[field.name];
}
