import { uuidFor } from "../core/ids.js";
import type { KeyRing } from "../core/key-record.js";
import type { MockApiDefinition, Resolver, ResolverContext, ResolverResult, SeedMode } from "../core/mock-api.js";
import type { MockApiSpec, RouteSpec } from "../core/mock-api-spec.js";
import { MockProblem, notFound } from "../core/mock-problem.js";
import { RequestValidator } from "../core/request-validator.js";
import { arrayStore, type Item, type ItemStore, mapStore } from "./item-store.js";
import { filterAndSort, type ListAnswerPlan, listAnswerPlan, listBody } from "./list-answer.js";
import { bodySchema, type InferredResource, listPlanOf, type OperationPlan, planApi } from "./resources.js";
import { SchemaSampler } from "./sample.js";
import { type ObjectShape, objectShape, resolveSchema, typeOf } from "./schema-walk.js";

/** Where an API keeps one inferred resource in its own state, and what its description cannot say of it. */
export interface CollectionBinding<S> {
  /** The array of the API's state holding the items (`(state) => state.events`). */
  readonly items: (state: S) => object[];
  /**
   * Item fields holding the parents' ids, by path parameter (`{ event_id: "event_id" }`): set on create, matched
   * on every read, and left out of answers whose schema does not name them.
   */
  readonly parentFields?: Readonly<Record<string, string>>;
  /** The item's name in a 404 (`Event 7 does not exist`): by default the resource's name, singular, capitalised. */
  readonly label?: string;
  /** An item as answers show it, with fields computed from the rest of the state (counts, say). */
  readonly view?: (item: Item, context: ResolverContext<S>) => unknown;
  /** Runs when an item is found, as the target or as a parent of one: may refuse it (a 403). */
  readonly guard?: (item: Item, context: ResolverContext<S>) => void;
  /** A new item's id, where the API numbers them its own way. */
  readonly newId?: (state: S) => string | number;
  /**
   * Answers show only the fields their schema names (a list's items schema, or the answer's): the API keeps more
   * than it shows (a summary list, a create answered with the new id alone).
   */
  readonly schemaFieldsOnly?: boolean;
}

/** What an API's own resolvers may build on: the generic ones, and the pieces they are made of. */
export interface DescribedApiKit<S> {
  /** The generic resolver of every operation, to wrap or fall back to. */
  readonly defaults: Readonly<Record<string, Resolver<S>>>;
  /** The plan: each inferred resource and the role of each operation. */
  readonly plan: ReturnType<typeof planApi>;
  /**
   * The item of `resource` the request's path names (and its parents, which must exist): 404 in the API's
   * words where it does not, its binding's guard run on each.
   */
  find(context: ResolverContext<S>, resource: string): Item;
  /** The items of `resource` under the request's parent. */
  items(context: ResolverContext<S>, resource: string): Item[];
  /** One page of `items`, filtered, sorted and wrapped as the list operation's answer documents. */
  list(context: ResolverContext<S>, items: readonly Item[]): ResolverResult;
  /** An item as answers show it (the binding's view, parent fields the schema does not name left out). */
  view(context: ResolverContext<S>, resource: string, item: Item): unknown;
}

export interface DescribedApiOptions<S> {
  readonly createState: (seed: SeedMode) => S;
  readonly keys: (state: S) => KeyRing;
  /**
   * Resources kept in the API's own state, by name (the collection path's last segment), or by collection path
   * where two share a name (`/v1/runs/summary`). Others live beside it.
   */
  readonly collections?: Readonly<Record<string, CollectionBinding<S>>>;
  /** Resolvers for what the description cannot say, by operationId; every other operation is generic. */
  readonly resolvers?: (kit: DescribedApiKit<S>) => Readonly<Record<string, Resolver<S>>>;
  /** Seeds generated answers and ids (default 1). */
  readonly seed?: number;
  readonly errorBody: MockApiDefinition<S>["errorBody"];
  readonly errorStatus?: MockApiDefinition<S>["errorStatus"];
  readonly errorContentType?: MockApiDefinition<S>["errorContentType"];
  readonly undocumentedStatuses?: ReadonlySet<number>;
  readonly defaultRateLimit?: MockApiDefinition<S>["defaultRateLimit"];
}

/** A mock API defined by its description plus the bindings and resolvers its folder adds. */
export interface DescribedMockApi<S> extends MockApiDefinition<S> {
  readonly kit: DescribedApiKit<S>;
  readonly sampler: SchemaSampler;
  /** The store of a resource, by name. */
  store(resource: string): { resource: InferredResource; store: ItemStore<S> };
  /** Gives a new item of `resource` its id (set in its id field too), as a create would; returns it. */
  assignId(state: S, resource: string, item: Item): string;
}

/**
 * An API mocked from its description: paths read as resources (`planApi`) whose create, read, update, list and
 * delete operations keep items (in the API's own state where it binds them), lists filtered, sorted and paged
 * as the spec says, everything else answered from the spec's examples or generated from its schemas. The API's
 * folder adds only what a description cannot say, as resolvers of its own.
 */
export function describedMockApi<S extends object>(
  spec: MockApiSpec,
  options: DescribedApiOptions<S>,
): DescribedMockApi<S> {
  const plan = planApi(spec);
  // built on first use: an API whose own resolvers answer everything never pays for its ajv instances
  let checker: RequestValidator | undefined;
  const sampler = new SchemaSampler(spec.schemas, options.seed ?? 1, (schema, value) => {
    checker ??= new RequestValidator(spec);
    return checker.matches(schema, value);
  });
  const bindings = options.collections ?? {};
  for (const name of Object.keys(bindings)) {
    if (!plan.resources.some((resource) => resource.name === name || resource.collectionPath === name)) {
      const known = plan.resources.map((resource) => resource.name).join(", ");
      throw new TypeError(`${spec.name}: no resource named "${name}" in its description (it has ${known})`);
    }
  }
  const stores = new Map<InferredResource, ItemStore<S>>();
  const bindingOf = (resource: InferredResource) => bindings[resource.collectionPath] ?? bindings[resource.name];
  for (const resource of plan.resources) {
    const binding = bindingOf(resource);
    stores.set(
      resource,
      binding
        ? arrayStore<S>(resource, (state) => binding.items(state) as Item[], binding.parentFields ?? {})
        : mapStore<S>(resource),
    );
  }
  const counters = new WeakMap<S, Map<InferredResource, number>>();
  const storeOf = (resource: InferredResource) => stores.get(resource) as ItemStore<S>;
  const resourceNamed = (name: string) => {
    const resource = plan.resources.find((candidate) => candidate.name === name || candidate.collectionPath === name);
    if (!resource) throw new TypeError(`${spec.name}: no resource named "${name}"`);
    return resource;
  };
  // the path parameter naming a resource's item: its item path's; for a bound collection without one, the
  // parameter the paths below it give (`/workspaces/{workspace_id}/jobs`), so it is checked as their parent
  const idParams = new Map(
    plan.resources.map((r) => [r, r.idParam ?? (bindingOf(r) ? paramBelow(spec, r.collectionPath) : undefined)]),
  );
  const idParamOf = (r: InferredResource) => idParams.get(r);
  // the resource whose item a path parameter names: `event_id` → events
  const byIdParam = new Map([...idParams].flatMap(([r, param]) => (param ? [[param, r] as const] : [])));

  const labelOf = (resource: InferredResource) => bindingOf(resource)?.label ?? capitalise(singular(resource.name));

  const findItem = (resource: InferredResource, context: ResolverContext<S>): Item => {
    checkParents(resource, context);
    const idParam = idParamOf(resource);
    const id = String(idParam === undefined ? "" : context.params[idParam]);
    const item = storeOf(resource).get(context.state, context.params, id);
    if (!item) throw notFound(labelOf(resource), id);
    bindingOf(resource)?.guard?.(item, context);
    return item;
  };
  // a nested resource's parents must exist: `/events/9/guests/` is a 404 for an unknown event 9
  const checkParents = (resource: InferredResource, context: ResolverContext<S>) => {
    for (const param of resource.parentParams) {
      const parent = byIdParam.get(param);
      if (parent && parent !== resource && parent.parentParams.length < resource.parentParams.length) {
        findItem(parent, context);
      }
    }
  };
  // how each operation shows a resource's items, read once: what it leaves out of a bound resource's items (parent
  // fields the item's schema does not name; with `schemaFieldsOnly`, every field the answer's schema does not name)
  // (weakly, by route: a caller may hand the runtime routes of its own)
  const itemViews = new WeakMap<RouteSpec, Map<InferredResource, ItemView<S>>>();
  const itemViewOf = (route: RouteSpec, resource: InferredResource): ItemView<S> => {
    let byResource = itemViews.get(route);
    if (!byResource) {
      byResource = new Map();
      itemViews.set(route, byResource);
    }
    let known = byResource.get(resource);
    if (!known) {
      const binding = bindingOf(resource);
      const shape = objectShape(spec.schemas, resource.itemSchema);
      known = {
        binding,
        hidden: Object.values(binding?.parentFields ?? {}).filter((field) => shape && !(field in shape.properties)),
        named: binding?.schemaFieldsOnly ? objectShape(spec.schemas, shownSchema(route, resource)) : undefined,
      };
      byResource.set(resource, known);
    }
    return known;
  };
  const show = (itemView: ItemView<S>, context: ResolverContext<S>, item: Item): unknown => {
    const { binding, hidden, named } = itemView;
    if (!binding) return item;
    let shown: Item = item;
    if (hidden.length > 0) {
      shown = { ...item };
      for (const field of hidden) delete shown[field];
    }
    if (named) shown = onlyFields(shown, named.properties);
    return binding.view ? binding.view(shown, context) : shown;
  };
  const view = (context: ResolverContext<S>, resource: InferredResource, item: Item): unknown =>
    show(itemViewOf(context.route, resource), context, item);
  // the schema an item is shown by: a list's items schema, else the answer's (unless it wraps the item)
  const shownSchema = (route: RouteSpec, resource: InferredResource): unknown => {
    if (plan.operations.get(route.operationId)?.kind === "list") return resource.itemSchema;
    const answer = resolveSchema(spec.schemas, bodySchema(route));
    const wraps = Object.values(objectShape(spec.schemas, answer)?.properties ?? {}).includes(
      resource.itemSchema ?? {},
    );
    return wraps ? resource.itemSchema : answer;
  };
  const assignId = (state: S, resource: InferredResource, item: Item): string => {
    const binding = bindingOf(resource);
    let byResource = counters.get(state);
    if (!byResource) {
      byResource = new Map();
      counters.set(state, byResource);
    }
    const n = (byResource.get(resource) ?? 0) + 1;
    byResource.set(resource, n);
    let id: unknown = binding?.newId ? binding.newId(state) : defaultId(resource, n);
    // an id schema with a pattern or a format of its own (`^C[A-Z0-9]{2,}$`): a generated id, new in the store
    const schema = resource.idSchema;
    if (schema && !binding?.newId && !sampler.accepts(schema, id)) {
      const taken = storeOf(resource).ids(state);
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
  };

  const answer = (context: ResolverContext<S>, resource: InferredResource, item: Item): unknown =>
    answerFor(spec, resource, context.route, view(context, resource, item), sampler, !!bindingOf(resource));

  // how each operation answers as a list, read from its description on its first list answer
  const listRoutes = new WeakMap<RouteSpec, ListRoute<S>>();
  const listRouteOf = (route: RouteSpec): ListRoute<S> => {
    let known = listRoutes.get(route);
    if (!known) {
      const operation = plan.operations.get(route.operationId);
      const list = operation?.kind === "list" ? operation.list : listPlanOf(spec, route);
      const resource = operation && "resource" in operation ? operation.resource : undefined;
      known = {
        plan: listAnswerPlan(spec, route, list, resource?.itemSchema),
        itemView: resource ? itemViewOf(route, resource) : undefined,
        envelopeBase: () => staticBody(spec, route, sampler),
      };
      listRoutes.set(route, known);
    }
    return known;
  };
  const listOf = (context: ResolverContext<S>, items: readonly Item[]): ResolverResult => {
    const { plan: answer, itemView, envelopeBase } = listRouteOf(context.route);
    const kept = filterAndSort(answer, context.query, items);
    let shown: readonly unknown[] = kept;
    if (itemView) {
      const views: unknown[] = new Array(kept.length);
      for (let index = 0; index < kept.length; index++) views[index] = show(itemView, context, kept[index] as Item);
      shown = views;
    }
    return { body: listBody(answer, context.query, context.url, shown, envelopeBase) };
  };

  const resolverFor = (operation: OperationPlan): Resolver<S> => {
    switch (operation.kind) {
      case "create":
        return (context) => {
          const { resource } = operation;
          checkParents(resource, context);
          const given = { ...requestDefaults(spec, context.route), ...asObject(context.body) };
          const item = completeItem(spec, resource, given, sampler, context.now);
          const id = assignId(context.state, resource, item);
          storeOf(resource).insert(context.state, context.params, id, item);
          return { body: answer(context, resource, item) };
        };
      case "read":
        return (context) => ({ body: answer(context, operation.resource, findItem(operation.resource, context)) });
      case "update":
      case "replace":
        return (context) => {
          const { resource } = operation;
          const current = findItem(resource, context);
          const changes = asObject(context.body);
          const next =
            operation.kind === "update"
              ? { ...current, ...changes }
              : {
                  ...completeItem(
                    spec,
                    resource,
                    { ...requestDefaults(spec, context.route), ...changes },
                    sampler,
                    context.now,
                  ),
                  ...serverFields(spec, resource, current),
                };
          if (resource.idField) next[resource.idField] = current[resource.idField];
          for (const field of Object.values(bindingOf(resource)?.parentFields ?? {})) next[field] = current[field];
          const id = String(resource.idParam === undefined ? "" : context.params[resource.idParam]);
          storeOf(resource).replace(context.state, context.params, id, next);
          return { body: answer(context, resource, next) };
        };
      case "delete":
        return (context) => {
          const { resource } = operation;
          const item = findItem(resource, context);
          const id = String(resource.idParam === undefined ? "" : context.params[resource.idParam]);
          storeOf(resource).remove(context.state, context.params, id);
          return { body: answer(context, resource, item) };
        };
      case "list": {
        const store = storeOf(operation.resource);
        return (context) => {
          checkParents(operation.resource, context);
          return listOf(context, store.list(context.state, context.params));
        };
      }
      case "action":
        return (context) => {
          findItem(operation.resource, context);
          return { body: staticBody(spec, context.route, sampler) };
        };
      default:
        return (context) => ({ body: staticBody(spec, context.route, sampler) });
    }
  };

  const defaults: Record<string, Resolver<S>> = {};
  for (const route of spec.operations) {
    defaults[route.operationId] = documentsAnswer(route)
      ? resolverFor(plan.operations.get(route.operationId) ?? { kind: "static" })
      : undocumentedAnswer(route);
  }
  const kit: DescribedApiKit<S> = {
    defaults,
    plan,
    find: (context, name) => findItem(resourceNamed(name), context),
    items: (context, name) => {
      const resource = resourceNamed(name);
      checkParents(resource, context);
      return storeOf(resource).list(context.state, context.params);
    },
    list: listOf,
    view: (context, name, item) => view(context, resourceNamed(name), item),
  };
  const own = options.resolvers?.(kit) ?? {};
  for (const operationId of Object.keys(own)) {
    if (!(operationId in defaults)) throw new TypeError(`${spec.name}: no operation "${operationId}" to resolve`);
  }
  return {
    spec,
    createState: options.createState,
    keys: options.keys,
    resolvers: { ...defaults, ...own },
    errorBody: options.errorBody,
    ...(options.errorStatus ? { errorStatus: options.errorStatus } : {}),
    ...(options.errorContentType ? { errorContentType: options.errorContentType } : {}),
    ...(options.undocumentedStatuses ? { undocumentedStatuses: options.undocumentedStatuses } : {}),
    defaultRateLimit: options.defaultRateLimit ?? { requests: 1_000, perSeconds: 60 },
    kit,
    sampler,
    store: (name) => {
      const resource = resourceNamed(name);
      return { resource, store: storeOf(resource) };
    },
    assignId: (state, name, item) => assignId(state, resourceNamed(name), item),
  };
}

/** The path parameter right below a collection in one of the description's paths (`/workspaces/{workspace_id}/…`). */
function paramBelow(spec: MockApiSpec, collection: string): string | undefined {
  for (const route of spec.operations) {
    const below = route.path.startsWith(`${collection}/`)
      ? /^\{([^}]+)\}/.exec(route.path.slice(collection.length + 1))
      : null;
    if (below) return below[1];
  }
  return undefined;
}

/** True when the description documents an answer to a valid request: a 2xx, a 3xx, or a `default`. */
function documentsAnswer(route: RouteSpec): boolean {
  return Object.keys(route.responses).some((status) => status === "default" || /^[23]/.test(status));
}

/**
 * The resolver of an operation whose description documents only errors (`GET /logs/` with a 401 alone): a 501,
 * as no documented answer fits a valid request (a 200 would contradict the description).
 */
function undocumentedAnswer<S>(route: RouteSpec): Resolver<S> {
  const documented = Object.keys(route.responses).join(", ") || "none";
  return () => {
    throw new MockProblem(501, {
      code: "not_implemented",
      message: `${route.operationId}: its description documents no answer to a valid request (only ${documented})`,
    });
  };
}

/** A new item's id by the id's schema: counting integers, UUIDs, or `<resource>_<n>`. */
function defaultId(resource: InferredResource, n: number): unknown {
  const schema = resource.idSchema;
  const type = typeOf(schema);
  if (type === "integer" || type === "number") {
    return n + (typeof schema?.minimum === "number" && schema.minimum > 1 ? schema.minimum - 1 : 0);
  }
  return schema?.format === "uuid" ? uuidFor(resource.collectionPath, n) : `${singular(resource.name)}_${n}`;
}

/**
 * The body an item answer carries: the item itself where the answer's schema is the item's (or where the API
 * keeps the item in its own state and shows it as it is); the item inside an envelope where one of the answer's
 * properties is (`{ "action": {…} }`); else generated from the schema.
 */
function answerFor(
  spec: MockApiSpec,
  resource: InferredResource,
  route: RouteSpec,
  item: unknown,
  sampler: SchemaSampler,
  bound: boolean,
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
  return bound ? item : staticBody(spec, route, sampler);
}

/** A documented example of the success answer (where it matches its schema), else one generated from it. */
export function staticBody(spec: MockApiSpec, route: RouteSpec, sampler: SchemaSampler): unknown {
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
export function completeItem(
  spec: MockApiSpec,
  resource: InferredResource,
  given: Item,
  sampler: SchemaSampler,
  now: Date,
): Item {
  const shape = objectShape(spec.schemas, resource.itemSchema);
  if (!shape) return { ...given };
  const item: Item = {};
  let generated: Item | undefined;
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
function requestDefaults(spec: MockApiSpec, route: RouteSpec): Item {
  const shape = objectShape(spec.schemas, route.requestBody?.schema);
  const defaults: Item = {};
  for (const [name, property] of Object.entries(shape?.properties ?? {})) {
    if (property.default !== undefined) defaults[name] = structuredClone(property.default);
  }
  return defaults;
}

/** The fields a replacement keeps from the current item: its read-only ones. */
function serverFields(spec: MockApiSpec, resource: InferredResource, current: Item): Item {
  const shape = objectShape(spec.schemas, resource.itemSchema);
  const kept: Item = {};
  for (const [name, property] of Object.entries(shape?.properties ?? {})) {
    if (property.readOnly === true && name in current) kept[name] = current[name];
  }
  return kept;
}

/** How one operation answers as a list: its plan, how it shows its resource's items (if any), its envelope's base. */
interface ListRoute<S> {
  readonly plan: ListAnswerPlan;
  readonly itemView: ItemView<S> | undefined;
  readonly envelopeBase: () => unknown;
}

/** How one operation shows a resource's items: its binding, the fields it leaves out, or the only ones it shows. */
interface ItemView<S> {
  readonly binding: CollectionBinding<S> | undefined;
  readonly hidden: readonly string[];
  readonly named: ObjectShape | undefined;
}

/**
 * The fields of `item` that `properties` names (`in`, as a schema's properties object is read), in the item's
 * order: `Object.fromEntries(Object.entries(item).filter(…))` without its arrays, as every shown item goes through it.
 */
function onlyFields(item: Item, properties: object): Item {
  const kept: Item = {};
  for (const field of Object.keys(item)) {
    if (!(field in properties)) continue;
    // a `__proto__` field stays a field, as `Object.fromEntries` makes it
    if (field === "__proto__") {
      Object.defineProperty(kept, field, { value: item[field], enumerable: true, writable: true, configurable: true });
    } else {
      kept[field] = item[field];
    }
  }
  return kept;
}

export function asObject(value: unknown): Item {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...(value as Item) } : {};
}

export function singular(name: string): string {
  return name.replace(/ies$/, "y").replace(/s$/, "");
}

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
