import type { MockApiRuntime } from "./api-runtime.js";
import type { RouteSpec } from "./mock-api-spec.js";

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
  readonly params: Record<string, string>;
  /** Other methods that the path answers to, when `route` is undefined. */
  readonly allowed: readonly string[];
}

interface CompiledRoute {
  readonly route: RouteSpec;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/**
 * Matches a request path in two steps: the mount by its first path segments (a map lookup), then the mount's
 * routes for that method only, each a precompiled pattern. No request scans every route of every API.
 */
export class Router {
  readonly #mounts = new Map<string, { mount: Mount; byMethod: Map<string, CompiledRoute[]> }>();
  readonly #depths: number[];

  constructor(mounts: readonly Mount[]) {
    for (const mount of mounts) {
      const byMethod = new Map<string, CompiledRoute[]>();
      for (const route of mount.runtime.definition.spec.operations) {
        const names: string[] = [];
        const source = route.path
          .replace(/\/+$/, "")
          .split("/")
          .map((segment) =>
            segment.replace(/\{([^}]+)\}|[^{}]+/g, (part, name?: string) => {
              if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
              names.push(name);
              return "([^/]+)";
            }),
          )
          .join("/");
        const list = byMethod.get(route.method.toUpperCase()) ?? [];
        list.push({ route, pattern: new RegExp(`^${source}/?$`), names });
        byMethod.set(route.method.toUpperCase(), list);
      }
      this.#mounts.set(mount.prefix, { mount, byMethod });
    }
    this.#depths = [...new Set(mounts.map((mount) => mount.prefix.split("/").length - 1))].sort((a, b) => b - a);
  }

  match(method: string, pathname: string): RouteMatch | undefined {
    const segments = pathname.split("/");
    for (const depth of this.#depths) {
      const entry = this.#mounts.get(segments.slice(0, depth + 1).join("/"));
      if (!entry) continue;
      const rest = `/${segments.slice(depth + 1).join("/")}`;
      for (const compiled of entry.byMethod.get(method) ?? []) {
        const found = compiled.pattern.exec(rest);
        if (found) {
          const params = Object.fromEntries(
            compiled.names.map((name, index) => [name, decodeURIComponent(found[index + 1] ?? "")]),
          );
          return { mount: entry.mount, route: compiled.route, params, allowed: [] };
        }
      }
      const allowed = [...entry.byMethod]
        .filter(([, routes]) => routes.some((r) => r.pattern.test(rest)))
        .map(([m]) => m);
      return { mount: entry.mount, route: undefined, params: {}, allowed };
    }
    return undefined;
  }
}
