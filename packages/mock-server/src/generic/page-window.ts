import { MockProblem } from "../core/mock-problem.js";
import { withQuery } from "../core/paginate.js";
import type { Paging } from "./resources.js";

/** Where one page starts and ends, and how to ask for the next and previous ones. */
export interface PageWindow {
  readonly start: number;
  readonly size: number;
  readonly total: number;
  /** Page numbers, for page-style lists. */
  readonly page: number | undefined;
  readonly totalPages: number | undefined;
  readonly next: PageLink | null;
  readonly previous: PageLink | null;
  readonly nextCursor: string | null;
}

export interface PageLink {
  readonly url: string;
  readonly page?: number;
}

/**
 * The page a list request asks for, of `total` items, paged as `paging` says; a page holds no more items than
 * the list's schema allows (`maxItems`). A page past the last is a 404 where `pastLastPageNotFound`
 * (`x-keysmith-pagination`'s `pastLastPage: not-found`). Every list request runs it: it makes no closures
 * (under tsx, which keeps function names, each one costs a `defineProperty`).
 */
export function pageWindow(
  paging: Paging,
  pastLastPageNotFound: boolean,
  query: Readonly<Record<string, unknown>>,
  url: URL,
  total: number,
  maxItems: number,
): PageWindow {
  if (paging.style === "page") {
    const size = pageSize(query, paging.sizeParam, paging.defaultSize, maxItems);
    const page = Math.max(1, queryNumber(query, paging.pageParam, 1));
    const totalPages = Math.max(1, Math.ceil(total / size));
    if (page > totalPages && pastLastPageNotFound) {
      throw new MockProblem(404, {
        code: "invalid_page",
        field: paging.pageParam,
        message: `Invalid page ${page}: there are ${totalPages}`,
      });
    }
    return {
      start: (page - 1) * size,
      size,
      total,
      page,
      totalPages,
      next: page < totalPages ? pageLink(url, paging.pageParam, page + 1) : null,
      previous: page > 1 ? pageLink(url, paging.pageParam, page - 1) : null,
      nextCursor: null,
    };
  }
  if (paging.style === "offset") {
    const size = pageSize(query, paging.limitParam, paging.defaultSize, maxItems);
    const start = Math.max(0, queryNumber(query, paging.offsetParam, 0));
    return {
      start,
      size,
      total,
      page: undefined,
      totalPages: undefined,
      next: start + size < total ? { url: withQuery(url, paging.offsetParam, start + size) } : null,
      previous: start > 0 ? { url: withQuery(url, paging.offsetParam, Math.max(0, start - size)) } : null,
      nextCursor: null,
    };
  }
  if (paging.style === "cursor") {
    const size = pageSize(query, paging.limitParam, paging.defaultSize, maxItems);
    const cursor = query[paging.cursorParam];
    const start = cursor === undefined ? 0 : decodeCursor(String(cursor), paging.cursorParam);
    const nextCursor = start + size < total ? encodeCursor(start + size) : null;
    return {
      start,
      size,
      total,
      page: undefined,
      totalPages: undefined,
      next: nextCursor === null ? null : { url: withQuery(url, paging.cursorParam, nextCursor) },
      previous: null,
      nextCursor,
    };
  }
  return {
    start: 0,
    size: Math.min(total, maxItems),
    total,
    page: undefined,
    totalPages: undefined,
    next: null,
    previous: null,
    nextCursor: null,
  };
}

/** A whole number from the query (truncated), or `fallback` where it is absent or not a finite number. */
function queryNumber(query: Readonly<Record<string, unknown>>, name: string | undefined, fallback: number): number {
  const value = name === undefined ? undefined : query[name];
  const parsed = typeof value === "number" ? value : Number(value);
  return value === undefined || !Number.isFinite(parsed) ? fallback : Math.trunc(parsed);
}

/** The page size asked for, from 1 to the most the list's schema allows. */
function pageSize(
  query: Readonly<Record<string, unknown>>,
  name: string | undefined,
  fallback: number,
  maxItems: number,
): number {
  return Math.max(1, Math.min(maxItems, queryNumber(query, name, fallback)));
}

function pageLink(url: URL, param: string, page: number): PageLink {
  return { url: withQuery(url, param, page), page };
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
