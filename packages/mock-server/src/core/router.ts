import type { MockApiRuntime } from "./api-runtime.js";
import type { RouteSpec } from "./mock-api-spec.js";
import { compileRoute, exactRoutes, matchRoute, type RoutePattern } from "./route-pattern.js";

/** Where one API (one environment of it) is served on the standalone server. */
export interface Mount {
  readonly runtime: MockApiRuntime;
  /** The path every route of this mount starts with, such as `/getkeymanager/api/v1`. */
  readonly prefix: string;
  readonly environment: string | undefined;
}

export interface RouteMatch {
  readonly mount: Mount;
  readonly route: RouteSpec | undefined;
  /** Path parameters as the URL carries them (percent-encoded); the runtime decodes them. */
  readonly params: Record<string, string>;
  /** The methods that the path answers to (HEAD wherever GET is), when `route` is undefined. */
  readonly allowed: readonly string[];
}

/**
 * Matches a request path in two steps: the mount by its first path segments (a prefix test per mount, the
 * deepest first), then the mount's routes for that method only: a map lookup for a path without parameters
 * (`/v1/dictionaries`), else each route's precompiled pattern in turn. No request scans every route of every
 * API. A HEAD request is answered by the GET route of its path unless the spec has a HEAD operation there.
 */
export class Router {
  /** The mounts, the deepest prefixes first (one per prefix: the last given). */
  readonly #mounts: readonly MountEntry[];

  constructor(mounts: readonly Mount[]) {
    const byPrefix = new Map<string, MountEntry>();
    for (const mount of mounts) {
      const byMethod = new Map<string, RoutePattern[]>();
      for (const route of mount.runtime.definition.spec.operations) {
        const list = byMethod.get(route.method.toUpperCase()) ?? [];
        list.push(compileRoute(route));
        byMethod.set(route.method.toUpperCase(), list);
      }
      // routes told apart by their query are tried before a route of the same path that asks nothing of it
      for (const list of byMethod.values()) list.sort((a, b) => b.query.length - a.query.length);
      const exact = new Map([...byMethod].map(([verb, list]) => [verb, exactRoutes(list)]));
      byPrefix.set(mount.prefix, { mount, byMethod, exact });
    }
    const depth = (entry: MountEntry) => entry.mount.prefix.split("/").length - 1;
    this.#mounts = [...byPrefix.values()].sort((a, b) => depth(b) - depth(a));
  }

  /** The route for a request; `search` (the query) picks among routes of one path told apart by it. */
  match(method: string, pathname: string, search?: URLSearchParams): RouteMatch | undefined {
    const located = this.#locate(pathname);
    if (!located) return undefined;
    const { entry, rest } = located;
    const found =
      find(entry, method, rest, search) ?? (method === "HEAD" ? find(entry, "GET", rest, search) : undefined);
    return found ?? { mount: entry.mount, route: undefined, params: {}, allowed: this.#methods(entry, rest) };
  }

  /** The methods a path answers to (HEAD wherever GET is); empty when it is no operation's path. */
  methodsAt(pathname: string): readonly string[] {
    const located = this.#locate(pathname);
    return located ? this.#methods(located.entry, located.rest) : [];
  }

  /**
   * The mount whose prefix is the path's first segments (the deepest prefixes first), and the path below it. A
   * prefix is the path's first segments when the path starts with it and goes on, if at all, with a slash: read
   * so, the path is neither split nor hashed to find it.
   */
  #locate(pathname: string): { entry: MountEntry; rest: string } | undefined {
    for (const entry of this.#mounts) {
      const { prefix } = entry.mount;
      if (!pathname.startsWith(prefix)) continue;
      if (pathname.length === prefix.length) return { entry, rest: "/" };
      if (pathname.charCodeAt(prefix.length) === SLASH) return { entry, rest: pathname.slice(prefix.length) };
    }
    return undefined;
  }

  #methods(entry: MountEntry, rest: string): string[] {
    const verbs = [...entry.byMethod]
      .filter(([, routes]) => routes.some((compiled) => compiled.pattern.test(rest)))
      .flatMap(([verb]) => (verb === "GET" ? [verb, "HEAD"] : [verb]));
    return [...new Set(verbs)];
  }
}

const SLASH = 0x2f;

/** The first route of `verb` in `entry` that matches the path below the mount (and the query, where it asks). */
function find(
  entry: MountEntry,
  verb: string,
  rest: string,
  search: URLSearchParams | undefined,
): RouteMatch | undefined {
  const exact = entry.exact.get(verb)?.get(rest);
  if (exact) return { mount: entry.mount, route: exact.route, params: {}, allowed: [] };
  const routes = entry.byMethod.get(verb);
  if (!routes) return undefined;
  for (const compiled of routes) {
    const params = matchRoute(compiled, rest, search);
    if (params) return { mount: entry.mount, route: compiled.route, params, allowed: [] };
  }
  return undefined;
}

interface MountEntry {
  readonly mount: Mount;
  readonly byMethod: Map<string, RoutePattern[]>;
  /** Per method, the routes a path is looked up for (`exactRoutes`). */
  readonly exact: Map<string, Map<string, RoutePattern>>;
}
