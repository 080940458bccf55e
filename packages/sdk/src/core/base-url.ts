import type { ApiDefinition, ServerDefinition } from "./api-definition.js";
import type { ClientOptions } from "./client-options.js";
import { type Environment, readSetting } from "./environment.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";
import type { ChosenServer, chooseServer } from "./server-choice.js";

export interface ResolvedServer {
  readonly baseUrl: string;
  /** The environment the client targets, for APIs whose servers are per environment. */
  readonly environment: string | undefined;
}

/**
 * The base URL: the `baseUrl` option, then the API's base-URL variable, then the description's server. APIs
 * whose servers need choosing (environments, variables, relative URLs) do it with `choose`, a capability
 * their generated clients pass. Whatever the source, the URL must be http(s), carry no credentials, and use
 * https unless it stays on the machine (or `allowInsecureHttp` says so).
 */
export function resolveServer(
  api: ApiDefinition,
  options: ClientOptions,
  env: Environment,
  choose?: typeof chooseServer,
): ResolvedServer {
  const fail = (message: string) => new ConfigurationError(`${api.name}: ${message}.`);
  const explicit = readSetting(options.baseUrl, "baseUrl", env, api.env.baseUrl);
  let chosen: ChosenServer;
  if (choose) chosen = choose(api, options, env, explicit, fail);
  else {
    // the first server, with nothing to choose (`KeysmithClient` has checked): no environment to name
    const named = readSetting(options.environment, "environment", env, api.env.environment);
    if (named) throw fail(`has no environments to choose from; ${named.source} names one`);
    const url = explicit?.value ?? api.servers[0]?.url;
    if (url === undefined) throw fail(`the description lists no server; pass \`baseUrl\` or set ${api.env.baseUrl}`);
    chosen = { url, environment: undefined };
  }
  const { url } = chosen;
  const source = explicit?.source ?? "the description's server";
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw fail(`${source} is not an http(s) URL`);
  const parsed = new URL(url);
  if (parsed.username) throw fail(`${source} must not carry credentials; use the \`apiKey\` option`);
  if (parsed.protocol === "http:" && !isLoopback(parsed.hostname) && !options.allowInsecureHttp) {
    throw fail(
      `${source} is plain http to ${parsed.hostname}: the key would travel in clear text; use https, or pass \`allowInsecureHttp: true\``,
    );
  }
  return { baseUrl: url.replace(/\/+$/, ""), environment: chosen.environment };
}

/**
 * A server only `chooseServer` can use: one of several environments, with variables, or not an absolute URL.
 * The generator passes `chooseServer` by the same rule (emit-sdk.ts; server-capabilities.test.ts checks both).
 */
export function needsChoosing(server: ServerDefinition): boolean {
  return (
    server.environment !== undefined ||
    server.variables !== undefined ||
    server.url.includes("{") ||
    !/^[a-z][a-z0-9+.-]*:/i.test(server.url)
  );
}

/** localhost, 127.0.0.0/8 and ::1: where plain http never leaves the machine. */
export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || hostname === "::1" || /^127(\.\d{1,3}){3}$/.test(hostname);
}
