import { type APIPromise, type APIResponse, apiPromise } from "./api-promise.js";
import { lazyModule } from "./lazy-module.js";

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

export type PageCall = (input: Record<string, unknown>) => Promise<{ data: unknown; response: Response }>;

/**
 * The first page's call (already under way) as a `PagePromise`: iterating reuses it for page one, then calls
 * `fetchPage` with the input the previous page points to. The walk's code loads on the first iteration,
 * within `timeout`.
 */
export function pagePromise<T, Item>(
  where: string,
  pagination: PaginationDefinition,
  input: Record<string, unknown>,
  first: Promise<{ data: unknown; response: Response }>,
  fetchPage: PageCall,
  signal: AbortSignal | undefined,
  timeout: number,
): PagePromise<T, Item> {
  const promise = apiPromise(first as Promise<{ data: T; response: Response }>) as PagePromise<T, Item>;
  promise.pages = () => ({
    [Symbol.asyncIterator]: () =>
      deferredIterator(async () =>
        (await loadPageWalk(timeout)).pageIterator<T, Item>(where, pagination, input, first, fetchPage, signal),
      ),
  });
  promise[Symbol.asyncIterator] = () =>
    deferredIterator(async () => (await loadPageWalk(timeout)).itemIterator(promise.pages()));
  return promise;
}

const loadPageWalk = lazyModule(() => import("./page-walk.js"), "the SDK's pagination code");

/** An async iterator made on its first `next()` (after a load); `return()` before that has nothing to end. */
function deferredIterator<T>(make: () => Promise<AsyncIterator<T>>): AsyncIterator<T> {
  let made: Promise<AsyncIterator<T>> | undefined;
  return {
    next: () => {
      made ??= make();
      return made.then((iterator) => iterator.next());
    },
    return: async (value?: unknown) => {
      const iterator = made && (await made);
      return iterator?.return ? iterator.return(value) : { done: true, value: undefined };
    },
  };
}
