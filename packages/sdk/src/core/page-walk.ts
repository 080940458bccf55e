import { type APIResponse, apiResponse } from "./api-promise.js";
import { AbortError } from "./errors/AbortError.js";
import { KeysmithError } from "./errors/KeysmithError.js";
import { valueAt } from "./json-pointer.js";
import type { Page, PageCall, PaginationDefinition } from "./pagination.js";

/**
 * Walking a list page by page: loaded by the first iteration of a `PagePromise` (awaiting one gives the first
 * page alone and needs none of this).
 */
export async function* pageIterator<T, Item>(
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
    const page: APIResponse<T> = apiResponse(data as T, response);
    yield { ...page, items };
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

export async function* itemIterator<T, Item>(pages: AsyncIterable<Page<T, Item>>): AsyncGenerator<Item> {
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
