import type { RouteSpec } from "./mock-api-spec.js";

/** One route's path as a precompiled pattern: `/runs/{runId}/end` matches `/runs/abc/end` (and `/runs/abc/end/`). */
export interface RoutePattern {
  readonly route: RouteSpec;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

export function compileRoute(route: RouteSpec): RoutePattern {
  const names: string[] = [];
  // a `#…` some descriptions add to tell operations on one path apart is never sent
  const source = route.path
    .replace(/#.*$/, "")
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
  return { route, pattern: new RegExp(`^${source}/?$`), names };
}

/**
 * The path parameters of `path` (below the API's base path) if it matches, exactly as the URL carries them:
 * still percent-encoded, for the runtime to decode (and to refuse when they do not decode).
 */
export function matchRoute(compiled: RoutePattern, path: string): Record<string, string> | undefined {
  const found = compiled.pattern.exec(path);
  if (!found) return undefined;
  return Object.fromEntries(compiled.names.map((name, index) => [name, found[index + 1] ?? ""]));
}
