import type { MockApiRuntime } from "./api-runtime.js";
import type { RouteSpec } from "./mock-api-spec.js";
import { compileRoute, matchRoute, type RoutePattern } from "./route-pattern.js";

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
 * Matches a request path in two steps: the mount by its first path segments (a map lookup), then the mount's
 * routes for that method only, each a precompiled pattern. No request scans every route of every API. A HEAD
 * request is answered by the GET route of its path unless the spec has a HEAD operation there.
 */
export class Router {
  readonly #mounts = new Map<string, MountEntry>();
  readonly #depths: number[];

  constructor(mounts: readonly Mount[]) {
    for (const mount of mounts) {
      const byMethod = new Map<string, RoutePattern[]>();
      for (const route of mount.runtime.definition.spec.operations) {
        const list = byMethod.get(route.method.toUpperCase()) ?? [];
        list.push(compileRoute(route));
        byMethod.set(route.method.toUpperCase(), list);
      }
      // routes told apart by their query are tried before a route of the same path that asks nothing of it
      for (const list of byMethod.values()) list.sort((a, b) => b.query.length - a.query.length);
      this.#mounts.set(mount.prefix, { mount, byMethod });
    }
    this.#depths = [...new Set(mounts.map((mount) => mount.prefix.split("/").length - 1))].sort((a, b) => b - a);
  }

  /** The route for a request; `search` (the query) picks among routes of one path told apart by it. */
  match(method: string, pathname: string, search?: URLSearchParams): RouteMatch | undefined {
    const located = this.#locate(pathname);
    if (!located) return undefined;
    const { entry, rest } = located;
    const find = (verb: string) => {
      for (const compiled of entry.byMethod.get(verb) ?? []) {
        const params = matchRoute(compiled, rest, search);
        if (params) return { mount: entry.mount, route: compiled.route, params, allowed: [] };
      }
      return undefined;
    };
    const found = find(method) ?? (method === "HEAD" ? find("GET") : undefined);
    return found ?? { mount: entry.mount, route: undefined, params: {}, allowed: this.#methods(entry, rest) };
  }

  /** The methods a path answers to (HEAD wherever GET is); empty when it is no operation's path. */
  methodsAt(pathname: string): readonly string[] {
    const located = this.#locate(pathname);
    return located ? this.#methods(located.entry, located.rest) : [];
  }

  #locate(pathname: string): { entry: MountEntry; rest: string } | undefined {
    const segments = pathname.split("/");
    for (const depth of this.#depths) {
      const entry = this.#mounts.get(segments.slice(0, depth + 1).join("/"));
      if (entry) return { entry, rest: `/${segments.slice(depth + 1).join("/")}` };
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

interface MountEntry {
  readonly mount: Mount;
  readonly byMethod: Map<string, RoutePattern[]>;
}
