import type { InferredResource } from "./resources.js";

/** One stored item of a resource. */
export type Item = Record<string, unknown>;

type Params = Readonly<Record<string, unknown>>;

/**
 * Where a resource's items live: a store answers by the request's path parameters, so a nested collection
 * (`/projects/{projectId}/tasks`) only ever sees the items of the parent the path names.
 */
export interface ItemStore<S> {
  /** The items under the parent `params` name, in the order they were added. */
  list(state: S, params: Params): Item[];
  get(state: S, params: Params, id: string): Item | undefined;
  /** Adds a new item, whose id is already set. */
  insert(state: S, params: Params, id: string, item: Item): void;
  replace(state: S, params: Params, id: string, item: Item): void;
  remove(state: S, params: Params, id: string): void;
  /** Empties the resource (every parent), for fixtures that replace it. */
  clear(state: S): void;
  /** Every id in use, under any parent. */
  ids(state: S): Set<string>;
}

/**
 * The store of a resource no API binds to its state: items by id, per parent, kept beside the state (a fresh
 * state, as after a reset, starts empty).
 */
export function mapStore<S extends object>(resource: InferredResource): ItemStore<S> {
  const byState = new WeakMap<S, Map<string, Map<string, Item>>>();
  const parents = (state: S) => {
    let found = byState.get(state);
    if (!found) {
      found = new Map();
      byState.set(state, found);
    }
    return found;
  };
  const scope = (state: S, params: Params) => {
    const key =
      resource.parentParams.length === 0
        ? ""
        : resource.parentParams.map((name) => `${name}=${String(params[name])}`).join("&");
    const all = parents(state);
    let items = all.get(key);
    if (!items) {
      items = new Map();
      all.set(key, items);
    }
    return items;
  };
  return {
    list: (state, params) => [...scope(state, params).values()],
    get: (state, params, id) => scope(state, params).get(id),
    insert: (state, params, id, item) => void scope(state, params).set(id, item),
    replace: (state, params, id, item) => void scope(state, params).set(id, item),
    remove: (state, params, id) => void scope(state, params).delete(id),
    clear: (state) => parents(state).clear(),
    ids: (state) => new Set([...parents(state).values()].flatMap((items) => [...items.keys()])),
  };
}

/**
 * The store of a resource an API keeps in an array of its own state (`state.events`): items are found by
 * their id field, and a nested resource's items carry their parent's id in a field of their own
 * (`{ event_id: "event_id" }`, path parameter → field).
 */
export function arrayStore<S>(
  resource: InferredResource,
  items: (state: S) => Item[],
  parentFields: Readonly<Record<string, string>>,
): ItemStore<S> {
  const idField = resource.idField;
  // read once: every list and lookup checks each item against them
  const parents = Object.entries(parentFields);
  const underParent = (item: Item, params: Params) => {
    for (const [param, field] of parents) if (!same(item[field], params[param])) return false;
    return true;
  };
  const at = (state: S, params: Params, id: string) =>
    items(state).findIndex((item) => idField !== undefined && same(item[idField], id) && underParent(item, params));
  return {
    list: (state, params) =>
      parents.length === 0 ? items(state).filter(always) : items(state).filter((item) => underParent(item, params)),
    get: (state, params, id) => items(state)[at(state, params, id)],
    insert: (state, params, _id, item) => {
      for (const [param, field] of Object.entries(parentFields)) item[field] = params[param];
      items(state).push(item);
    },
    replace: (state, params, id, item) => {
      const index = at(state, params, id);
      if (index >= 0) items(state)[index] = item;
    },
    remove: (state, params, id) => {
      const index = at(state, params, id);
      if (index >= 0) items(state).splice(index, 1);
    },
    clear: (state) => void items(state).splice(0),
    ids: (state) => new Set(idField === undefined ? [] : items(state).map((item) => String(item[idField]))),
  };
}

function same(a: unknown, b: unknown): boolean {
  return a === b || String(a) === String(b);
}

/** Keeps every item (a copy of the array, as `filter` makes it). */
function always(): boolean {
  return true;
}
