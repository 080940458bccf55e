import createClient, { type Client } from "openapi-fetch";
import type { PathClientConfig } from "./path-client.js";

/** openapi-fetch's client with Keysmith's transport: loaded by a client's first path-style call. */
export function createPathClient<Paths extends {}>(config: PathClientConfig): Client<Paths> {
  return createClient<Paths>({
    baseUrl: config.baseUrl,
    ...(config.headers ? { headers: { ...config.headers } } : {}),
    fetch: config.fetch,
  });
}
