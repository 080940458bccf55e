import type { RouteSpec } from "./mock-api-spec.js";

/** One route's path as a precompiled pattern: `/runs/{runId}/end` matches `/runs/abc/end` (and `/runs/abc/end/`). */
export interface RoutePattern {
  readonly route: RouteSpec;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /**
   * Query conditions from a `#…` suffix some descriptions put on paths to tell operations on one path apart
   * (`/#Action=AddTags`: the query's `Action` is `AddTags`; `/loops#FlowArn`: the query has `FlowArn`).
   */
  readonly query: readonly { readonly name: string; readonly value: string | undefined }[];
}

export function compileRoute(route: RouteSpec): RoutePattern {
  const names: string[] = [];
  const fragment = route.path.includes("#") ? route.path.slice(route.path.indexOf("#") + 1) : "";
  const query = fragment
    .split("&")
    .filter(Boolean)
    .map((part) => {
      const equals = part.indexOf("=");
      return equals === -1
        ? { name: decodeURIComponent(part), value: undefined }
        : { name: decodeURIComponent(part.slice(0, equals)), value: decodeURIComponent(part.slice(equals + 1)) };
    });
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
  return { route, pattern: new RegExp(`^${source}/?$`), names, query };
}

/**
 * The path parameters of `path` (below the API's base path) if it matches, exactly as the URL carries them:
 * still percent-encoded, for the runtime to decode (and to refuse when they do not decode).
 */
export function matchRoute(
  compiled: RoutePattern,
  path: string,
  search?: URLSearchParams,
): Record<string, string> | undefined {
  const found = compiled.pattern.exec(path);
  if (!found) return undefined;
  if (
    search &&
    !compiled.query.every(({ name, value }) => (value === undefined ? search.has(name) : search.get(name) === value))
  ) {
    return undefined;
  }
  return Object.fromEntries(compiled.names.map((name, index) => [name, found[index + 1] ?? ""]));
}

/**
 * The routes of `routes` (one method's, in the order they are tried) that a path can be looked up for instead of
 * tried in turn: those with no parameters, no query conditions and no braces in their path, whose pattern then
 * matches exactly their path, with or without a trailing slash. Each is kept under both forms, unless a route
 * tried before it matches either (`/tasks/{id}` before `/tasks/search`): that one answers such a path.
 */
export function exactRoutes(routes: readonly RoutePattern[]): Map<string, RoutePattern> {
  const exact = new Map<string, RoutePattern>();
  routes.forEach((compiled, index) => {
    if (compiled.names.length > 0 || compiled.query.length > 0) return;
    const path = compiled.route.path.replace(/#.*$/, "").replace(/\/+$/, "");
    if (/[{}]/.test(path)) return;
    const forms = [path, `${path}/`];
    if (!forms.every((form) => compiled.pattern.test(form))) return;
    const shadowed = routes.slice(0, index).some((earlier) => forms.some((form) => earlier.pattern.test(form)));
    if (shadowed) return;
    for (const form of forms) if (!exact.has(form)) exact.set(form, compiled);
  });
  return exact;
}
