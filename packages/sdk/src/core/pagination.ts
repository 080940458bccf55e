import { type APIPromise, type APIResponse, apiPromise, apiResponse } from "./api-promise.js";
import { AbortError } from "./errors/AbortError.js";
import { KeysmithError } from "./errors/KeysmithError.js";
import { valueAt } from "./json-pointer.js";

/**
 * How a list operation pages, from the description's `x-keysmith-pagination` or detected from the operation's
 * parameters and answer (as the mock detects it): the parameter that picks the page, and JSON pointers to where
 * an answer keeps its items and the way to the next page.
 */
export interface PaginationDefinition {
  readonly style: "page" | "offset" | "cursor";
  /** The query parameter that picks the page: its number, its offset, or the cursor. */
  readonly param: string;
  /** The query parameter for the page's size, where the list has one. */
  readonly sizeParam?: string;
  /** The items in an answer (`/results`; empty when the answer is the array itself). */
  readonly items: string;
  /** A link to the next page (a URL or a page number), null or absent on the last one. */
  readonly next?: string;
  /** The cursor of the next page, null, empty or absent on the last one. */
  readonly nextCursor?: string;
}

/** One page of a list: its answer as `withResponse()` gives it, and its items. */
export interface Page<T, Item> extends APIResponse<T> {
  readonly items: readonly Item[];
}

/**
 * What a paginated list method returns: a promise of its first page, as every method's is, that is also an
 * async iterable over every item of every page; `pages()` iterates the pages with their responses. Each page
 * is one call of the method, with its retries, timeout and signal; iterating stops at the last page, never
 * asks for a page twice, and stops asking as soon as the caller's signal aborts.
 *
 * @example
 * for await (const event of epoch.events.list({ page_size: 50 })) console.log(event.title);
 * for await (const page of epoch.events.list().pages()) console.log(page.items.length, page.requestId);
 */
export interface PagePromise<T, Item> extends APIPromise<T>, AsyncIterable<Item> {
  pages(): AsyncIterable<Page<T, Item>>;
}

type PageCall = (input: Record<string, unknown>) => Promise<{ data: unknown; response: Response }>;

/**
 * The first page's call (already under way) as a `PagePromise`: iterating reuses it for page one, then calls
 * `fetchPage` with the input the previous page points to.
 */
export function pagePromise<T, Item>(
  where: string,
  pagination: PaginationDefinition,
  input: Record<string, unknown>,
  first: Promise<{ data: unknown; response: Response }>,
  fetchPage: PageCall,
  signal: AbortSignal | undefined,
): PagePromise<T, Item> {
  const promise = apiPromise(first as Promise<{ data: T; response: Response }>) as PagePromise<T, Item>;
  promise.pages = () => ({
    [Symbol.asyncIterator]: () => pageIterator<T, Item>(where, pagination, input, first, fetchPage, signal),
  });
  promise[Symbol.asyncIterator] = () => itemIterator(promise.pages());
  return promise;
}

async function* pageIterator<T, Item>(
  where: string,
  pagination: PaginationDefinition,
  input: Record<string, unknown>,
  first: Promise<{ data: unknown; response: Response }>,
  fetchPage: PageCall,
  signal: AbortSignal | undefined,
): AsyncGenerator<Page<T, Item>> {
  let request = input;
  let answer = first;
  const asked = new Set<string>([pageKey(pagination, request)]);
  for (;;) {
    const { data, response } = await answer;
    const items = itemsOf<Item>(where, pagination, data);
    yield { ...apiResponse(data as T, response), items };
    const next = nextInput(pagination, request, data, items.length);
    if (!next) return;
    const key = pageKey(pagination, next);
    // a server that points back at a page already read would loop forever: stop there
    if (asked.has(key)) return;
    asked.add(key);
    if (signal?.aborted) throw new AbortError(`${where} aborted between pages`, { cause: signal.reason });
    request = next;
    answer = fetchPage(request);
  }
}

async function* itemIterator<T, Item>(pages: AsyncIterable<Page<T, Item>>): AsyncGenerator<Item> {
  for await (const page of pages) yield* page.items;
}

function itemsOf<Item>(where: string, pagination: PaginationDefinition, data: unknown): readonly Item[] {
  const items = pagination.items === "" ? data : valueAt(data, pagination.items);
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) {
    throw new KeysmithError(`${where}: the answer's ${pagination.items || "body"} is not a list of items`);
  }
  return items as Item[];
}

/** The input of the page after this one, or undefined when this one is the last. */
function nextInput(
  pagination: PaginationDefinition,
  request: Record<string, unknown>,
  data: unknown,
  count: number,
): Record<string, unknown> | undefined {
  const { param } = pagination;
  const link = pagination.next === undefined ? undefined : valueAt(data, pagination.next);
  const fromLink = typeof link === "string" && link !== "" ? queryValueOf(link, param) : undefined;
  const size = pagination.sizeParam === undefined ? undefined : Number(request[pagination.sizeParam]);
  // without a link or a count, a page shorter than the size asked for (or empty) is the last
  const full = count > 0 && !(size !== undefined && Number.isFinite(size) && count < size);
  if (pagination.style === "cursor") {
    const cursor = pagination.nextCursor === undefined ? fromLink : valueAt(data, pagination.nextCursor);
    if (cursor === undefined || cursor === null || cursor === "" || count === 0) return undefined;
    return { ...request, [param]: cursor };
  }
  if (pagination.next !== undefined) {
    if (link === undefined || link === null || link === "" || link === false) return undefined;
  } else if (!full) {
    return undefined;
  }
  if (pagination.style === "offset") {
    return { ...request, [param]: fromLink ?? (Number(request[param] ?? 0) || 0) + count };
  }
  const numbered = typeof link === "number" ? link : fromLink;
  return { ...request, [param]: numbered ?? (Number(request[param] ?? 1) || 1) + 1 };
}

/** A query parameter of a link (absolute or relative), as a number where it is one. */
function queryValueOf(link: string, name: string): string | number | undefined {
  let value: string | null;
  try {
    value = new URL(link, "http://link.invalid").searchParams.get(name);
  } catch {
    return undefined;
  }
  if (value === null) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

function pageKey(pagination: PaginationDefinition, input: Record<string, unknown>): string {
  return String(input[pagination.param] ?? "");
}
