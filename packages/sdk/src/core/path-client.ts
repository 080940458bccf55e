import type { Client, Middleware } from "openapi-fetch";
import { lazyModule } from "./lazy-module.js";

/** What the path-style client is built from. */
export interface PathClientConfig {
  readonly baseUrl: string;
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Sends each request with the client's auth, retries and transport. */
  readonly fetch: (request: Request) => Promise<Response>;
  /** How long loading openapi-fetch may take (the client's `timeout`). */
  readonly timeout: number;
}

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "request"] as const;

/**
 * An openapi-fetch client for path-style calls (`fetchClient.GET("/path")`), loaded on its first call: typed
 * calls build their requests themselves, so the first load of an app that never calls by path leaves
 * openapi-fetch out. Middleware registered before the load is handed over when it happens; loading is
 * bounded by the client's `timeout`, and a failed load is tried again by the next call.
 */
export function lazyPathClient<Paths extends {}>(config: PathClientConfig): Client<Paths> {
  let client: Client<Paths> | undefined;
  const pending: Middleware[] = [];
  const loadModule = lazyModule(() => import("./path-client-loaded.js"), "openapi-fetch");
  const load = async (): Promise<Client<Paths>> => {
    const { createPathClient } = await loadModule(config.timeout);
    if (!client) {
      client = createPathClient<Paths>(config);
      client.use(...pending.splice(0));
    }
    return client;
  };
  type Call = (...args: unknown[]) => Promise<unknown>;
  const forward =
    (method: string): Call =>
    (...args) =>
      load().then((loaded) => (loaded[method as keyof Client<Paths>] as Call)(...args));
  const facade: Record<string, unknown> = {};
  for (const method of METHODS) facade[method] = forward(method);
  facade.use = (...middleware: Middleware[]) => {
    for (const item of middleware) {
      if (item && (typeof item !== "object" || !("onRequest" in item || "onResponse" in item || "onError" in item))) {
        throw new TypeError("Middleware must be an object with one of `onRequest()`, `onResponse()` or `onError()`");
      }
    }
    if (client) client.use(...middleware);
    else pending.push(...middleware.filter(Boolean));
  };
  facade.eject = (...middleware: Middleware[]) => {
    if (client) client.eject(...middleware);
    else for (const item of middleware) if (pending.includes(item)) pending.splice(pending.indexOf(item), 1);
  };
  return facade as unknown as Client<Paths>;
}
