import { uuidFor } from "../core/ids.js";
import { setAtPointer } from "../core/json-pointer.js";
import { type KeyRecord, KeyRing } from "../core/key-record.js";
import type { MockApiDefinition, Resolver, ResolverContext, SeedMode } from "../core/mock-api.js";
import type { MockApiSpec, RouteSpec } from "../core/mock-api-spec.js";
import { MockProblem } from "../core/mock-problem.js";
import { withQuery } from "../core/paginate.js";
import { RequestValidator } from "../core/request-validator.js";
import { problemBody, problemContentType } from "./problem-body.js";
import { bodySchema, type InferredResource, type ListPlan, type OperationPlan, planApi } from "./resources.js";
import { SchemaSampler } from "./sample.js";
import { objectShape, resolveSchema, type Schema, typeOf } from "./schema-walk.js";
import { tokenResolver, tokenRoutes } from "./token-endpoint.js";

/** What a mock of any description keeps: its accepted keys, and per resource and parent, items by id. */
export interface GenericState {
  readonly keys: KeyRing;
  /** resource (its collection path) → parent scope (`projectId=7`) → id → item */
  readonly stores: Map<string, Map<string, Map<string, Record<string, unknown>>>>;
  /** Ids handed out so far, per resource (its collection path). */
  readonly counters: Map<string, number>;
}

export interface GenericMockOptions {
  /** The credentials the mock accepts, in any scheme the description declares. At least one. */
  readonly keys: readonly string[];
  /** Seeds generated answers and ids (default 1): the same seed answers the same way. */
  readonly seed?: number;
  /**
   * Items to start from, by resource name (`{ tasks: [{ id: 1, title: "…" }] }`), for resources at the top of
   * the paths: they replace the resource's items, in the seed and on every reset.
   */
  readonly fixtures?: Readonly<Record<string, unknown>>;
}

/** Statuses the mock may answer although a user's description does not document them. */
const UNDOCUMENTED_ALLOWED = new Set([401, 403, 404, 405, 422, 429, 500, 501, 503]);

/**
 * A stateful mock of any description: its paths read as resources (`planApi`), whose create, read, update,
 * list and delete operations keep items; everything else answered from the spec's examples or generated from
 * its schemas. Security, validation, rate limits, faults and logs come from the runtime, as for every API.
 */
export function genericMockApi(described: MockApiSpec, options: GenericMockOptions): MockApiDefinition<GenericState> {
  if (options.keys.length === 0) throw new TypeError(`${described.name}: a mock needs at least one key to accept`);
  const tokens = tokenRoutes(described);
  const spec: MockApiSpec = { ...described, operations: [...described.operations, ...tokens.routes] };
  const plan = planApi(described);
  const checker = new RequestValidator(spec);
  const sampler = new SchemaSampler(spec.schemas, options.seed ?? 1, (schema, value) => checker.matches(schema, value));
  const resolvers: Record<string, Resolver<GenericState>> = {};
  for (const route of described.operations) {
    const operation = plan.operations.get(route.operationId) ?? { kind: "static" };
    resolvers[route.operationId] = resolverFor(spec, operation, sampler);
  }
  for (const route of tokens.routes) resolvers[route.operationId] = tokenResolver<GenericState>(options.keys);
  const createState = (seed: SeedMode): GenericState => {
    const state: GenericState = {
      keys: new KeyRing(options.keys.map((secret, index) => keyRecord(secret, index))),
      stores: new Map(),
      counters: new Map(),
    };
    // a resource that cannot be created starts with a few generated items, so it can be read and listed
    if (seed === "demo") {
      for (const resource of plan.resources) {
        if (resource.operations.create || resource.parentParams.length > 0) continue;
        for (let n = 0; n < 3; n++) {
          const item = completeItem(resource, {}, sampler, new Date(0), spec);
          const id = assignId(state, resource, item, sampler);
          scope(state, resource, "").set(id, item);
        }
      }
    }
    for (const [name, items] of Object.entries(options.fixtures ?? {})) {
      const resource = plan.resources.find(
        (candidate) => candidate.name === name && candidate.parentParams.length === 0,
      );
      if (!resource || !Array.isArray(items)) {
        const known = plan.resources.filter((candidate) => candidate.parentParams.length === 0).map((r) => r.name);
        throw new TypeError(
          `fixtures.${described.name}.${name}: expected a list for one of ${known.join(", ") || "(no resources)"}`,
        );
      }
      const store = scope(state, resource, "");
      store.clear();
      for (const item of items) {
        const copy = asObject(structuredClone(item));
        const given = resource.idField === undefined ? undefined : copy[resource.idField];
        const id = given === undefined ? assignId(state, resource, copy, sampler) : String(given);
        store.set(id, copy);
      }
    }
    return state;
  };
  return {
    spec,
    createState,
    keys: (state) => state.keys,
    resolvers,
    errorBody: (status, problem, requestId, _now, route) =>
      problemBody(spec, status, problem, requestId, route, sampler),
    errorContentType: (status, route) => problemContentType(spec, status, route),
    undocumentedStatuses: UNDOCUMENTED_ALLOWED,
    defaultRateLimit: { requests: 1_000, perSeconds: 60 },
  };
}

function keyRecord(secret: string, index: number): KeyRecord {
  return { id: `key_${index + 1}`, secret, label: `key ${index + 1}`, status: "active" };
}

function resolverFor(spec: MockApiSpec, operation: OperationPlan, sampler: SchemaSampler): Resolver<GenericState> {
  switch (operation.kind) {
    case "create":
      return (context) => {
        const { resource } = operation;
        const given = { ...requestDefaults(spec, context.route), ...asObject(context.body) };
        const item = completeItem(resource, given, sampler, context.now, spec);
        const id = assignId(context.state, resource, item, sampler);
        scope(context.state, resource, parentKey(resource, context.params)).set(id, item);
        return { body: answerFor(spec, operation.resource, context.route, item, sampler) };
      };
    case "read":
      return (context) => ({
        body: answerFor(spec, operation.resource, context.route, find(operation.resource, context), sampler),
      });
    case "update":
    case "replace":
      return (context) => {
        const { resource } = operation;
        const current = find(resource, context);
        const changes = asObject(context.body);
        const next =
          operation.kind === "update"
            ? { ...current, ...changes }
            : {
                ...completeItem(
                  resource,
                  { ...requestDefaults(spec, context.route), ...changes },
                  sampler,
                  context.now,
                  spec,
                ),
                ...serverFields(resource, current, spec),
              };
        if (resource.idField) next[resource.idField] = current[resource.idField];
        scope(context.state, resource, parentKey(resource, context.params)).set(idOf(resource, context), next);
        return { body: answerFor(spec, operation.resource, context.route, next, sampler) };
      };
    case "delete":
      return (context) => {
        const { resource } = operation;
        const item = find(resource, context);
        scope(context.state, resource, parentKey(resource, context.params)).delete(idOf(resource, context));
        return { body: answerFor(spec, operation.resource, context.route, item, sampler) };
      };
    case "list":
      return (context) => listAnswer(spec, operation.resource, operation.list, context, sampler);
    case "action":
      return (context) => {
        find(operation.resource, context);
        return { body: staticBody(spec, context.route, sampler) };
      };
    default:
      return (context) => ({ body: staticBody(spec, context.route, sampler) });
  }
}

/**
 * The body an item answer carries: the item itself where the answer's schema is the item's; the item inside an
 * envelope where one of the answer's properties is (`{ "action": {…} }`); else generated from the schema.
 */
function answerFor(
  spec: MockApiSpec,
  resource: InferredResource,
  route: RouteSpec,
  item: Record<string, unknown>,
  sampler: SchemaSampler,
): unknown {
  const schema = bodySchema(route);
  if (schema === undefined) return undefined;
  const resolved = resolveSchema(spec.schemas, schema);
  if (resolved && sampler.accepts(resolved, item)) return item;
  const wrapper = Object.entries(objectShape(spec.schemas, resolved)?.properties ?? {}).find(
    ([, property]) => property === resource.itemSchema,
  );
  if (wrapper) {
    const envelope = { ...asObject(staticBody(spec, route, sampler)), [wrapper[0]]: item };
    if (resolved && sampler.accepts(resolved, envelope)) return envelope;
  }
  return staticBody(spec, route, sampler);
}

/** A documented example of the success answer (where it matches its schema), else one generated from it. */
function staticBody(spec: MockApiSpec, route: RouteSpec, sampler: SchemaSampler): unknown {
  const status = String(route.successStatus);
  const schema = bodySchema(route);
  if (schema === undefined) return undefined;
  const resolved = resolveSchema(spec.schemas, schema);
  const example = route.examples?.[status];
  if (example !== undefined && resolved && sampler.accepts(resolved, example)) return structuredClone(example);
  return sampler.sample(resolved, `${route.operationId}:${status}`);
}

/**
 * An item as the server would store it: the client's fields, then what the server fills in: defaults, and
 * read-only or required fields generated from the schema (timestamps now).
 */
function completeItem(
  resource: InferredResource,
  given: Record<string, unknown>,
  sampler: SchemaSampler,
  now: Date,
  spec: MockApiSpec,
): Record<string, unknown> {
  const shape = objectShape(spec.schemas, resource.itemSchema);
  if (!shape) return { ...given };
  const item: Record<string, unknown> = {};
  let generated: Record<string, unknown> | undefined;
  for (const [name, property] of Object.entries(shape.properties)) {
    if (name in given && property.readOnly !== true) {
      item[name] = given[name];
    } else if (property.default !== undefined) {
      item[name] = structuredClone(property.default);
    } else if (property.readOnly === true || shape.required.includes(name)) {
      if (typeOf(property) === "string" && property.format === "date-time") item[name] = now.toISOString();
      else if (typeOf(property) === "string" && property.format === "date") item[name] = now.toISOString().slice(0, 10);
      else {
        generated ??= asObject(sampler.sample(resource.itemSchema, `${resource.name}:fill`));
        if (name in generated) item[name] = generated[name];
      }
    }
  }
  // fields the schema does not name but allows are kept as sent
  for (const [name, value] of Object.entries(given)) if (!(name in shape.properties)) item[name] = value;
  if (!resource.itemSchema || sampler.accepts(resource.itemSchema, item)) return item;
  // a schema whose rules the fill-in missed (a `oneOf`, an `enum` elsewhere): a whole generated item, under what
  // the client sent
  const whole = asObject(sampler.sample(resource.itemSchema, `${resource.name}:whole`));
  const merged = {
    ...whole,
    ...Object.fromEntries(
      Object.entries(given).filter(([name]) => name in shape.properties && shape.properties[name]?.readOnly !== true),
    ),
  };
  return sampler.accepts(resource.itemSchema, merged) ? merged : whole;
}

/** The defaults the request body's schema gives its absent fields (the server applies them). */
function requestDefaults(spec: MockApiSpec, route: RouteSpec): Record<string, unknown> {
  const shape = objectShape(spec.schemas, route.requestBody?.schema);
  const defaults: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(shape?.properties ?? {})) {
    if (property.default !== undefined) defaults[name] = structuredClone(property.default);
  }
  return defaults;
}

/** The fields a replacement keeps from the current item: its read-only ones. */
function serverFields(
  resource: InferredResource,
  current: Record<string, unknown>,
  spec: MockApiSpec,
): Record<string, unknown> {
  const shape = objectShape(spec.schemas, resource.itemSchema);
  const kept: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(shape?.properties ?? {})) {
    if (property.readOnly === true && name in current) kept[name] = current[name];
  }
  return kept;
}

/** Gives a new item its id (by the id's schema: counting integers, UUIDs, or `<resource>_<n>`); returns it. */
function assignId(
  state: GenericState,
  resource: InferredResource,
  item: Record<string, unknown>,
  sampler: SchemaSampler,
): string {
  const n = (state.counters.get(resource.collectionPath) ?? 0) + 1;
  state.counters.set(resource.collectionPath, n);
  const schema = resource.idSchema;
  const type = typeOf(schema);
  let id: unknown =
    type === "integer" || type === "number"
      ? n + (typeof schema?.minimum === "number" && schema.minimum > 1 ? schema.minimum - 1 : 0)
      : schema?.format === "uuid"
        ? uuidFor(resource.collectionPath, n)
        : `${singular(resource.name)}_${n}`;
  // an id schema with a pattern or a format of its own (`^C[A-Z0-9]{2,}$`): a generated id, new in the store
  if (schema && !sampler.accepts(schema, id)) {
    const taken = new Set(
      [...(state.stores.get(resource.collectionPath)?.values() ?? [])].flatMap((items) => [...items.keys()]),
    );
    for (let attempt = 0; attempt < 20; attempt++) {
      const candidate = sampler.sample(schema, `${resource.collectionPath}:id:${n}:${attempt}`);
      if ((typeof candidate === "string" || typeof candidate === "number") && !taken.has(String(candidate))) {
        id = candidate;
        break;
      }
    }
  }
  if (resource.idField) item[resource.idField] = id;
  return String(id);
}

function find(resource: InferredResource, context: ResolverContext<GenericState>): Record<string, unknown> {
  const item = scope(context.state, resource, parentKey(resource, context.params)).get(idOf(resource, context));
  if (!item) {
    throw new MockProblem(404, {
      code: "not_found",
      message: `${singular(resource.name)} ${idOf(resource, context)} does not exist`,
    });
  }
  return item;
}

function idOf(resource: InferredResource, context: ResolverContext<GenericState>): string {
  return String(resource.idParam === undefined ? "" : context.params[resource.idParam]);
}

function parentKey(resource: InferredResource, params: Readonly<Record<string, unknown>>): string {
  return resource.parentParams.map((name) => `${name}=${String(params[name])}`).join("&");
}

function scope(state: GenericState, resource: InferredResource, key: string): Map<string, Record<string, unknown>> {
  let byParent = state.stores.get(resource.collectionPath);
  if (!byParent) {
    byParent = new Map();
    state.stores.set(resource.collectionPath, byParent);
  }
  let items = byParent.get(key);
  if (!items) {
    items = new Map();
    byParent.set(key, items);
  }
  return items;
}

/** One page of the items under the request's parent, in the list's shape, paged as the spec says. */
function listAnswer(
  spec: MockApiSpec,
  resource: InferredResource,
  list: ListPlan | undefined,
  context: ResolverContext<GenericState>,
  sampler: SchemaSampler,
): { body: unknown } {
  const all = [...scope(context.state, resource, parentKey(resource, context.params)).values()];
  const paging = list?.paging ?? { style: "none" };
  const number = (name: string | undefined, fallback: number) => {
    const value = name === undefined ? undefined : context.query[name];
    const parsed = typeof value === "number" ? value : Number(value);
    return value === undefined || !Number.isFinite(parsed) ? fallback : Math.trunc(parsed);
  };
  let start = 0;
  let size = all.length;
  let next: string | null = null;
  let nextCursor: string | null = null;
  if (paging.style === "page") {
    size = Math.max(1, number(paging.sizeParam, paging.defaultSize));
    const page = Math.max(1, number(paging.pageParam, 1));
    start = (page - 1) * size;
    if (start + size < all.length) next = withQuery(context.url, paging.pageParam, page + 1);
  } else if (paging.style === "offset") {
    size = Math.max(1, number(paging.limitParam, paging.defaultSize));
    start = Math.max(0, number(paging.offsetParam, 0));
    if (start + size < all.length) next = withQuery(context.url, paging.offsetParam, start + size);
  } else if (paging.style === "cursor") {
    size = Math.max(1, number(paging.limitParam, paging.defaultSize));
    const cursor = context.query[paging.cursorParam];
    start = cursor === undefined ? 0 : decodeCursor(String(cursor), paging.cursorParam);
    if (start + size < all.length) {
      nextCursor = encodeCursor(start + size);
      next = withQuery(context.url, paging.cursorParam, nextCursor);
    }
  }
  const items = all.slice(start, start + size);
  if (!list || list.shape.kind === "array") return { body: items };
  const envelope = asObject(staticBody(spec, context.route, sampler));
  envelope[list.shape.itemsField] = items;
  fillEnvelope(spec, context.route, envelope, { total: all.length, next, nextCursor, size, start });
  return { body: envelope };
}

/** Sets an envelope's count, links and cursor fields (by their usual names, or the spec's pointers). */
function fillEnvelope(
  spec: MockApiSpec,
  route: RouteSpec,
  envelope: Record<string, unknown>,
  page: { total: number; next: string | null; nextCursor: string | null; size: number; start: number },
): void {
  const shape = objectShape(spec.schemas, resolveSchema(spec.schemas, bodySchema(route)));
  const fields = shape?.properties ?? {};
  const nullable = (name: string) => {
    const property = fields[name];
    const types = Array.isArray(property?.type) ? property.type : [property?.type];
    return types.includes("null") || property?.nullable === true;
  };
  for (const name of ["count", "total", "total_count", "totalCount", "total_results", "totalResults"]) {
    if (typeOf(fields[name]) === "integer" || typeOf(fields[name]) === "number") envelope[name] = page.total;
  }
  for (const name of ["has_more", "hasMore", "has_next", "hasNext"]) {
    if (typeOf(fields[name]) === "boolean") envelope[name] = page.next !== null;
  }
  for (const name of ["next", "next_page", "nextPage", "next_url"]) {
    if (name in fields && typeOf(fields[name]) === "string") {
      if (page.next !== null) envelope[name] = page.next;
      else if (nullable(name)) envelope[name] = null;
      else delete envelope[name];
    }
  }
  for (const name of ["previous", "previous_page", "prev"]) {
    if (name in fields && typeOf(fields[name]) === "string" && nullable(name)) envelope[name] = null;
  }
  for (const name of ["next_cursor", "nextCursor", "next_page_token", "nextPageToken", "next_token", "nextToken"]) {
    if (name in fields && typeOf(fields[name]) === "string") {
      if (page.nextCursor !== null) envelope[name] = page.nextCursor;
      else if (nullable(name)) envelope[name] = null;
      else delete envelope[name];
    }
  }
  const pagination = spec.pagination;
  const pointer = typeof pagination?.nextCursor === "string" ? pagination.nextCursor : undefined;
  if (pointer) setAtPointer(envelope, pointer, page.nextCursor);
  const nextPointer = typeof pagination?.next === "string" ? pagination.next : undefined;
  if (nextPointer) setAtPointer(envelope, nextPointer, page.next);
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

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? { ...(value as Record<string, unknown>) }
    : {};
}

function singular(name: string): string {
  return name.replace(/ies$/, "y").replace(/s$/, "");
}

export type { Schema };
