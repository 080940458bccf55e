/**
 * `@keysmith/mock-server/paging`: how a described list operation pages, read the way the mock pages it. The
 * generator (`@keysmith/cli`) writes it into each generated client, so clients and the mock agree on every list.
 */
export type { MockApiSpec, RouteSpec } from "./core/mock-api-spec.js";
export { type ListPaging, listPagingOf } from "./generic/list-paging.js";
