import { isLoopback } from "../core/base-url.js";
import { ConfigurationError } from "../core/errors/ConfigurationError.js";
import type { RealtimeOptions } from "./realtime-options.js";

/**
 * Where the Socket.IO server is: the `realtime.url` option, else the REST base URL's origin; the path is
 * `realtime.path`, else the base URL's path followed by `/socket.io` (`https://web.example/api` serves
 * `/api/socket.io`). Like the base URL, it must be https or loopback unless `allowInsecureHttp` is set.
 */
export function resolveRealtimeUrl(
  apiName: string,
  baseUrl: string,
  options: RealtimeOptions,
  allowInsecureHttp: boolean,
): { url: string; path: string } {
  const fail = (message: string) => new ConfigurationError(`${apiName}: ${message}.`);
  const source = options.url === undefined ? "the base URL" : "the `realtime.url` option";
  const raw = options.url ?? baseUrl;
  if (!URL.canParse(raw)) throw fail(`${source} is not a URL`);
  const parsed = new URL(raw);
  if (!/^(https?|wss?):$/.test(parsed.protocol)) throw fail(`${source} must be an http(s) or ws(s) URL`);
  if (parsed.username || parsed.password) throw fail(`${source} must not carry credentials`);
  const insecure = parsed.protocol === "http:" || parsed.protocol === "ws:";
  if (insecure && !isLoopback(parsed.hostname) && !allowInsecureHttp) {
    throw fail(`${source} is unencrypted to ${parsed.hostname}: the key would travel in clear text; use https`);
  }
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, "");
  const path =
    options.path ?? `${options.url === undefined ? basePath : parsed.pathname.replace(/\/+$/, "")}/socket.io`;
  if (!path.startsWith("/")) throw fail("the `realtime.path` option must start with /");
  return { url: parsed.origin.replace(/^ws/, "http"), path };
}
