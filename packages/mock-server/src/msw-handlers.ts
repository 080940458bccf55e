import { type HttpHandler, http } from "msw";
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
 * environment's host), so application code runs unchanged against the mock.
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
      const real = server.url.replace(/\{[^}]+\}/g, "*").replace(/\/+$/, "");
      const base =
        options.origin === undefined
          ? real
          : options.origin + new URL(server.url.replace(/[{}]/g, "")).pathname.replace(/\/+$/, "");
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
