import { type KeyRecord, KeyRing } from "../core/key-record.js";
import type { MockApiDefinition, SeedMode } from "../core/mock-api.js";
import type { MockApiSpec } from "../core/mock-api-spec.js";
import { asObject, completeItem, type DescribedMockApi, describedMockApi } from "./described-api.js";
import { problemBody, problemContentType } from "./problem-body.js";
import { tokenResolver, tokenRoutes } from "./token-endpoint.js";

/** What a mock of any description keeps beside its items (which live in its resources' stores): its keys. */
export interface GenericState {
  readonly keys: KeyRing;
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
 * A stateful mock of any description: `describedMockApi` with nothing added but an OAuth2 token endpoint where
 * the description has client credentials, a few generated items for resources that cannot be created, and the
 * user's fixtures. Security, validation, rate limits, faults and logs come from the runtime, as for every API.
 */
export function genericMockApi(described: MockApiSpec, options: GenericMockOptions): MockApiDefinition<GenericState> {
  if (options.keys.length === 0) throw new TypeError(`${described.name}: a mock needs at least one key to accept`);
  const tokens = tokenRoutes(described);
  const spec: MockApiSpec = { ...described, operations: [...described.operations, ...tokens.routes] };
  const topLevel = () => api.kit.plan.resources.filter((resource) => resource.parentParams.length === 0);
  const createState = (seed: SeedMode): GenericState => {
    const state: GenericState = {
      keys: new KeyRing(options.keys.map((secret, index) => keyRecord(secret, index))),
    };
    const add = (name: string, item: Record<string, unknown>, keepId: boolean) => {
      const { resource, store } = api.store(name);
      const given = keepId && resource.idField !== undefined ? item[resource.idField] : undefined;
      const id = given === undefined ? api.assignId(state, name, item) : String(given);
      store.insert(state, {}, id, item);
    };
    // a resource that cannot be created starts with a few generated items, so it can be read and listed
    if (seed === "demo") {
      for (const resource of topLevel()) {
        if (resource.operations.create) continue;
        // by collection path: two collections may share a name (`/v1/charges/search`, `/v1/customers/search`)
        for (let n = 0; n < 3; n++)
          add(resource.collectionPath, completeItem(spec, resource, {}, api.sampler, new Date(0)), false);
      }
    }
    for (const [name, items] of Object.entries(options.fixtures ?? {})) {
      const resource = topLevel().find((candidate) => candidate.name === name);
      if (!resource || !Array.isArray(items)) {
        const known = topLevel().map((r) => r.name);
        throw new TypeError(
          `fixtures.${described.name}.${name}: expected a list for one of ${known.join(", ") || "(no resources)"}`,
        );
      }
      api.store(name).store.clear(state);
      for (const item of items) add(name, asObject(structuredClone(item)), true);
    }
    return state;
  };
  const api: DescribedMockApi<GenericState> = describedMockApi<GenericState>(spec, {
    createState,
    keys: (state) => state.keys,
    seed: options.seed ?? 1,
    resolvers: () => Object.fromEntries(tokens.routes.map((route) => [route.operationId, tokenResolver(options.keys)])),
    errorBody: (status, problem, requestId, _now, route) =>
      problemBody(spec, status, problem, requestId, route, api.sampler),
    errorContentType: (status, route) => problemContentType(spec, status, route),
    undocumentedStatuses: UNDOCUMENTED_ALLOWED,
  });
  return api;
}

function keyRecord(secret: string, index: number): KeyRecord {
  return { id: `key_${index + 1}`, secret, label: `key ${index + 1}`, status: "active" };
}
