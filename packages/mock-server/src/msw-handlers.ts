import { type HttpHandler, http } from "msw";
import type { MockServerSpec, RouteSpec } from "./core/mock-api-spec.js";
import { compileRoute, matchRoute } from "./core/route-pattern.js";
import type { Mock } from "./mock.js";

export interface HandlerOptions {
  /**
   * Serve the APIs' paths on this origin instead of their real hosts: `"*"` for any origin, or
   * `"http://localhost:3000"` for a dev server that proxies them.
   * @example createHandlers(mock, { origin: "*" })
   */
  readonly origin?: string;
}

/**
 * One MSW handler per operation and per server of each enabled API, on the APIs' real URLs
 * (`https://api.epsilon3.io/v1/...`, `https://<any subdomain>.epochapp.com/api/v1/...`, each GetKeyManager
 * environment's host), so application code runs unchanged against the mock. A GET operation answers HEAD too.
 * Paths are matched by the mock's own patterns, which leave the parameters percent-encoded for the runtime:
 * a parameter that does not decode is the API's 400, not an exception in MSW's lookup.
 *
 * @example
 * const mock = new Mock();
 * const server = setupServer(...createHandlers(mock));
 * beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
 * afterEach(() => mock.reset());
 */
export function createHandlers(mock: Mock, options: HandlerOptions = {}): HttpHandler[] {
  const handlers: HttpHandler[] = [];
  for (const runtime of mock.runtimes()) {
    const { spec } = runtime.definition;
    for (const server of spec.servers) {
      const below = basePath(server, options.origin);
      for (const route of spec.operations) {
        const compiled = compileRoute(route);
        const methods = methodsOf(route, spec.operations);
        handlers.push(
          http.all(
            ({ request }) => {
              if (!methods.has(request.method.toUpperCase())) return false;
              const rest = below(request.url);
              const search = compiled.query.length > 0 ? new URL(request.url).searchParams : undefined;
              const params = rest === undefined ? undefined : matchRoute(compiled, rest, search);
              return params ? { matches: true, params } : false;
            },
            ({ request, params }) =>
              runtime.handle(route, request, params as Record<string, string>, server.environment),
          ),
        );
      }
    }
  }
  return handlers;
}

/** The route's method, and HEAD for a GET where the spec has no HEAD operation of its own. */
function methodsOf(route: RouteSpec, operations: readonly RouteSpec[]): Set<string> {
  const methods = new Set([route.method.toUpperCase()]);
  const ownHead = operations.some((other) => other.method === "head" && other.path === route.path);
  if (route.method === "get" && !ownHead) methods.add("HEAD");
  return methods;
}

/**
 * The path below a server's base URL, or undefined for a URL elsewhere. Server variables (`{subdomain}`) match
 * any value; `origin` replaces the server's origin (`"*"`: any).
 */
function basePath(server: MockServerSpec, origin: string | undefined): (url: string) => string | undefined {
  const [, realOrigin = "", path = ""] = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)(.*)$/i.exec(server.url) ?? [];
  const pattern = (text: string, variable: string) =>
    text.replace(/\{[^}]+\}|[^{}]+/g, (part) =>
      part.startsWith("{") ? variable : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&"),
    );
  const originSource =
    origin === "*" ? "[a-z][a-z0-9+.-]*://[^/]*" : pattern((origin ?? realOrigin).toLowerCase(), "[^/]*");
  const matcher = new RegExp(`^${originSource}${pattern(path.replace(/\/+$/, ""), "[^/]+")}(/.*)?$`);
  return (url) => {
    const { origin: actual, pathname } = new URL(url);
    const found = matcher.exec(actual + pathname);
    return found ? (found[1] ?? "/") : undefined;
  };
}
