import { MockProblem } from "./mock-problem.js";

export interface Page<T> {
  readonly items: T[];
  readonly page: number;
  readonly size: number;
  readonly total: number;
  readonly totalPages: number;
}

/** One page of `items` (pages count from 1). A page past the end is a 404, as Django REST Framework answers. */
export function pageOf<T>(items: readonly T[], page: number, size: number): Page<T> {
  const totalPages = Math.max(1, Math.ceil(items.length / size));
  if (page > totalPages)
    throw new MockProblem(404, {
      code: "invalid_page",
      field: "page",
      message: `Invalid page ${page}: there are ${totalPages}`,
    });
  return { items: items.slice((page - 1) * size, page * size), page, size, total: items.length, totalPages };
}

/** The same URL with one query parameter changed, for `next`/`previous` links. */
export function withQuery(url: URL, name: string, value: number | string): string {
  const next = new URL(url);
  next.searchParams.set(name, String(value));
  return next.toString();
}
