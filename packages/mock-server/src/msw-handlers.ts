import { type HttpHandler, http } from "msw";
import type { Mock } from "./mock.js";

/**
 * One MSW handler per operation and per server of each enabled API, on the APIs' real URLs
 * (`https://api.epsilon3.io/v1/...`, `https://<any subdomain>.epochapp.com/api/v1/...`, each GetKeyManager
 * environment's host), so application code runs unchanged against the mock.
 *
 * @example
 * const mock = new Mock();
 * const server = setupServer(...createHandlers(mock));
 * beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
 * afterEach(() => mock.reset());
 */
export function createHandlers(mock: Mock): HttpHandler[] {
  const handlers: HttpHandler[] = [];
  for (const runtime of mock.runtimes()) {
    const { spec } = runtime.definition;
    for (const server of spec.servers) {
      const base = server.url.replace(/\{[^}]+\}/g, "*").replace(/\/+$/, "");
      for (const route of spec.operations) {
        const path = route.path.replace(/\{([^}]+)\}/g, ":$1");
        const register = route.method === "trace" ? http.all : http[route.method];
        handlers.push(
          register(`${base}${path}`, ({ request, params }) =>
            runtime.handle(route, request, params as Record<string, string>, server.environment),
          ),
        );
      }
    }
  }
  return handlers;
}
