import { type ListPaging, listPagingOf, type MockApiSpec } from "@keysmith/mock-server/paging";
import { mockApiSpecOf } from "./emit-mock.js";
import type { ApiModel } from "./model.js";
import type { Json } from "./openapi-shapes.js";

/**
 * How each list operation pages, read the way the mock pages it (`@keysmith/mock-server/paging`): GET lists
 * whose parameters and answer show a page, an offset or a cursor, and every `x-keysmith-paginated` operation.
 * A paginated operation the reading finds no way to page is named in a warning, and generated without.
 */
export function pagingByOperation(
  model: ApiModel,
  document: Json,
  warn: (line: string) => void,
): Map<string, ListPaging> {
  const spec = mockApiSpecOf(model, document) as unknown as MockApiSpec;
  const flagged = new Set(model.operations.filter((op) => op.paginated).map((op) => op.operationId));
  const paging = new Map<string, ListPaging>();
  for (const route of spec.operations) {
    if (route.method !== "get" && !flagged.has(route.operationId)) continue;
    const found = listPagingOf(spec, route);
    if (found) paging.set(route.operationId, found);
    else if (flagged.has(route.operationId)) {
      warn(
        `${route.operationId}: x-keysmith-paginated, but neither x-keysmith-pagination nor its parameters say how it pages`,
      );
    }
  }
  return paging;
}
