import type { MockApiSpec, RouteSpec } from "../core/mock-api-spec.js";
import { itemsOf, objectShape, resolveSchema, type Schema, typeOf } from "./schema-walk.js";

/** How a list operation pages, from `x-keysmith-pagination` or detected from its parameters. */
export type Paging =
  | { readonly style: "page"; readonly pageParam: string; readonly sizeParam?: string; readonly defaultSize: number }
  | {
      readonly style: "offset";
      readonly offsetParam: string;
      readonly limitParam?: string;
      readonly defaultSize: number;
    }
  | {
      readonly style: "cursor";
      readonly cursorParam: string;
      readonly limitParam?: string;
      readonly defaultSize: number;
    }
  | { readonly style: "none" };

/** Where a list answer keeps its items: the whole body is the array, or one property of an envelope. */
export type ListShape = { readonly kind: "array" } | { readonly kind: "envelope"; readonly itemsField: string };

/** A collection path and its item path, driven as one store. */
export interface InferredResource {
  /** The collection's last segment: `tasks`. */
  readonly name: string;
  readonly collectionPath: string;
  readonly itemPath: string | undefined;
  /** The item path's last parameter (`taskId`). */
  readonly idParam: string | undefined;
  /** The item property holding its id, when the schema has one. */
  readonly idField: string | undefined;
  /** The id's schema (from the property or the path parameter). */
  readonly idSchema: Schema | undefined;
  /** Path parameters of the collection (`/projects/{projectId}/tasks`): items are kept per parent. */
  readonly parentParams: readonly string[];
  readonly itemSchema: Schema | undefined;
  /** operationId per role. */
  readonly operations: Partial<Record<ResourceRole, string>>;
}

export type ResourceRole = "create" | "list" | "read" | "update" | "replace" | "delete";

export type OperationPlan =
  | { readonly kind: ResourceRole; readonly resource: InferredResource; readonly list?: ListPlan }
  /** An operation below an item (`POST /tasks/{taskId}/archive`): 404 for an unknown item, else generated. */
  | { readonly kind: "action"; readonly resource: InferredResource }
  /** Anything else: the spec's example, else a body generated from the schema. */
  | { readonly kind: "static" };

export interface ListPlan {
  readonly shape: ListShape;
  readonly paging: Paging;
}

export interface ApiPlan {
  readonly resources: readonly InferredResource[];
  readonly operations: ReadonlyMap<string, OperationPlan>;
}

/** The usual names of an envelope's link to the next page (a URL, or a page number). */
export const NEXT_LINK_FIELDS = ["next", "next_page", "nextPage", "next_url"] as const;
/** The usual names of an envelope's cursor of the next page. */
export const NEXT_CURSOR_FIELDS = [
  "next_cursor",
  "nextCursor",
  "next_page_token",
  "nextPageToken",
  "next_token",
  "nextToken",
] as const;

const ENVELOPE_FIELDS = ["data", "items", "results", "records", "entries", "content", "list", "values", "objects"];

/** Reads a description's paths as resources: `/tasks` + `/tasks/{taskId}` is one, nested ones kept per parent. */
export function planApi(spec: MockApiSpec): ApiPlan {
  const { schemas } = spec;
  const byCollection = new Map<string, RouteSpec[]>();
  const segmentsOf = (path: string) => path.replace(/\/+$/, "").split("/").filter(Boolean);
  const isParam = (segment: string | undefined) => segment !== undefined && /^\{[^}]+\}$/.test(segment);

  // group operations under the collection path they act on
  const collectionOf = new Map<RouteSpec, { collection: string; depth: "collection" | "item" | "below" }>();
  for (const route of spec.operations) {
    const segments = segmentsOf(route.path);
    let found: { collection: string; depth: "collection" | "item" | "below" } | undefined;
    for (let end = segments.length; end > 0 && !found; end--) {
      const head = segments.slice(0, end);
      const last = head.at(-1);
      const depth = end === segments.length ? "collection" : end === segments.length - 1 ? "item" : "below";
      if (isParam(last)) continue;
      // `/tasks` itself, `/tasks/{id}`, or `/tasks/{id}/…` (an action below an item)
      if (depth === "collection" || isParam(segments[end])) found = { collection: `/${head.join("/")}`, depth };
    }
    if (!found) continue;
    collectionOf.set(route, found);
    const list = byCollection.get(found.collection) ?? [];
    list.push(route);
    byCollection.set(found.collection, list);
  }

  const resources: InferredResource[] = [];
  const operations = new Map<string, OperationPlan>();
  for (const [collection, routes] of byCollection) {
    const at = (depth: "collection" | "item", method: string) =>
      routes.find((route) => collectionOf.get(route)?.depth === depth && route.method === method);
    const list = at("collection", "get");
    const create = at("collection", "post");
    const read = at("item", "get");
    const listShape = list ? listShapeOf(spec, list) : undefined;
    // a resource needs items to keep: something that lists or creates them, and something that addresses one
    if (
      !(create || listShape) ||
      !(read || at("item", "delete") || at("item", "patch") || at("item", "put") || listShape)
    )
      continue;
    const itemRoute = routes.find((route) => collectionOf.get(route)?.depth === "item");
    const itemPath = itemRoute?.path.replace(/\/+$/, "");
    const idParam = itemPath ? /\{([^}]+)\}$/.exec(itemPath)?.[1] : undefined;
    // the list's items are what the store keeps; a read or create answer may wrap one in an envelope
    const itemSchema = listShape?.itemSchema ?? bodySchema(read) ?? bodySchema(create) ?? create?.requestBody?.schema;
    const resolvedItem = resolveSchema(schemas, itemSchema);
    // items are objects: a list of strings or numbers is answered as documented, not kept
    if (!objectShape(schemas, resolvedItem)) continue;
    const name = segmentsOf(collection).at(-1) ?? "items";
    const idField = idFieldOf(spec, resolvedItem, idParam, name);
    const shape = idField ? objectShape(schemas, resolvedItem)?.properties[idField] : undefined;
    const paramSchema = itemRoute?.parameters.find((param) => param.in === "path" && param.name === idParam)?.schema;
    const resource: InferredResource = {
      name,
      collectionPath: collection,
      itemPath,
      idParam,
      idField,
      idSchema: shape ?? resolveSchema(schemas, paramSchema),
      parentParams: [...collection.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? ""),
      itemSchema: resolvedItem,
      operations: {},
    };
    const roles: [RouteSpec | undefined, ResourceRole][] = [
      [create, "create"],
      [list, "list"],
      [read, "read"],
      [at("item", "patch"), "update"],
      [at("item", "put"), "replace"],
      [at("item", "delete"), "delete"],
    ];
    for (const [route, role] of roles) {
      if (!route || (role === "list" && !listShape)) continue;
      (resource.operations as Record<string, string>)[role] = route.operationId;
      operations.set(route.operationId, {
        kind: role,
        resource,
        ...(role === "list" && listShape && list
          ? { list: { shape: listShape.shape, paging: pagingOf(spec, list) } }
          : {}),
      });
    }
    for (const route of routes) {
      if (operations.has(route.operationId)) continue;
      if (collectionOf.get(route)?.depth !== "collection" && itemPath) {
        operations.set(route.operationId, { kind: "action", resource });
      }
    }
    resources.push(resource);
  }
  for (const route of spec.operations) {
    if (!operations.has(route.operationId)) operations.set(route.operationId, { kind: "static" });
  }
  return { resources, operations };
}

/** The JSON body schema of an operation's success answer. */
export function bodySchema(route: RouteSpec | undefined): unknown {
  if (!route) return undefined;
  const schema = route.responses[String(route.successStatus)];
  return schema === null ? undefined : schema;
}

/** How any operation whose answer is a list (a search by POST, say) answers and pages, as a list of a resource would. */
export function listPlanOf(spec: MockApiSpec, route: RouteSpec): ListPlan | undefined {
  const listShape = listShapeOf(spec, route);
  return listShape ? { shape: listShape.shape, paging: pagingOf(spec, route) } : undefined;
}

export function listShapeOf(
  spec: MockApiSpec,
  route: RouteSpec,
): { shape: ListShape; itemSchema: Schema | undefined } | undefined {
  const schema = resolveSchema(spec.schemas, bodySchema(route));
  if (!schema) return undefined;
  if (typeOf(schema) === "array") return { shape: { kind: "array" }, itemSchema: itemsOf(spec.schemas, schema) };
  const shape = objectShape(spec.schemas, schema);
  if (!shape) return undefined;
  const pointer = typeof spec.pagination?.items === "string" ? spec.pagination.items.replace(/^\//, "") : undefined;
  const arrays = Object.entries(shape.properties).filter(([, property]) => typeOf(property) === "array");
  const chosen =
    arrays.find(([name]) => name === pointer) ??
    arrays.find(([name]) => ENVELOPE_FIELDS.includes(name)) ??
    (arrays.length === 1 ? arrays[0] : undefined);
  if (!chosen) return undefined;
  return { shape: { kind: "envelope", itemsField: chosen[0] }, itemSchema: itemsOf(spec.schemas, chosen[1]) };
}

function idFieldOf(
  spec: MockApiSpec,
  item: Schema | undefined,
  idParam: string | undefined,
  name: string,
): string | undefined {
  const shape = objectShape(spec.schemas, item);
  if (!shape) return undefined;
  const names = Object.keys(shape.properties);
  const singular = name.replace(/ies$/, "y").replace(/s$/, "");
  const wanted = [idParam, "id", `${singular}Id`, `${singular}_id`, "uuid", "key"];
  for (const candidate of wanted) if (candidate && names.includes(candidate)) return candidate;
  return (
    shape.required.find((field) => /(^|_)id$|Id$/.test(field)) ?? names.find((field) => /(^|_)id$|Id$/.test(field))
  );
}

const PAGE_PARAMS = ["page", "page_number", "pageNumber"];
const SIZE_PARAMS = [
  "per_page",
  "page_size",
  "pageSize",
  "perPage",
  "limit",
  "size",
  "count",
  "max_results",
  "maxResults",
];
const OFFSET_PARAMS = ["offset", "skip", "start"];
const CURSOR_PARAMS = [
  "cursor",
  "page_token",
  "pageToken",
  "page-token",
  "after",
  "starting_after",
  "next_token",
  "continuation",
  "marker",
];

/** How a list operation pages: as `x-keysmith-pagination` declares (where the operation has its parameter), else detected. */
export function pagingOf(spec: MockApiSpec, route: RouteSpec): Paging {
  const query = route.parameters.filter((param) => param.in === "query");
  const has = (name: string | undefined) => (name ? query.find((param) => param.name === name) : undefined);
  const first = (names: readonly string[]) => names.map(has).find((param) => param !== undefined);
  const sizeDefault = (name: string | undefined) => {
    const schema = resolveSchema(spec.schemas, has(name)?.schema);
    return typeof schema?.default === "number" && schema.default > 0 ? schema.default : 20;
  };
  const declared = spec.pagination;
  if (declared?.style === "page" && typeof declared.pageParam === "string" && has(declared.pageParam)) {
    const size = typeof declared.sizeParam === "string" ? declared.sizeParam : undefined;
    return {
      style: "page",
      pageParam: declared.pageParam,
      ...(size ? { sizeParam: size } : {}),
      defaultSize: sizeDefault(size),
    };
  }
  if (declared?.style === "cursor" && typeof declared.cursorParam === "string" && has(declared.cursorParam)) {
    const limit = typeof declared.limitParam === "string" ? declared.limitParam : undefined;
    return {
      style: "cursor",
      cursorParam: declared.cursorParam,
      ...(limit ? { limitParam: limit } : {}),
      defaultSize: sizeDefault(limit),
    };
  }
  const size = first(SIZE_PARAMS)?.name;
  const cursor = first(CURSOR_PARAMS)?.name;
  if (cursor)
    return {
      style: "cursor",
      cursorParam: cursor,
      ...(size ? { limitParam: size } : {}),
      defaultSize: sizeDefault(size),
    };
  const page = first(PAGE_PARAMS)?.name;
  if (page)
    return { style: "page", pageParam: page, ...(size ? { sizeParam: size } : {}), defaultSize: sizeDefault(size) };
  const offset = first(OFFSET_PARAMS)?.name;
  if (offset)
    return {
      style: "offset",
      offsetParam: offset,
      ...(size ? { limitParam: size } : {}),
      defaultSize: sizeDefault(size),
    };
  return { style: "none" };
}
