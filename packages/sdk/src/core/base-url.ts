import type { ApiDefinition, ServerDefinition } from "./api-definition.js";
import type { ClientOptions } from "./client-options.js";
import { type Environment, readSetting } from "./environment.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";

export interface ResolvedServer {
  readonly baseUrl: string;
  /** The environment the client targets, for APIs whose servers are per environment. */
  readonly environment: string | undefined;
  readonly server: ServerDefinition | undefined;
}

/**
 * The base URL: the `baseUrl` option, then the API's base-URL variable, then the spec's server for the chosen
 * environment (option, then variable) with its variables filled from options or their variables.
 */
export function resolveServer(api: ApiDefinition, options: ClientOptions, env: Environment): ResolvedServer {
  const fail = (message: string) => new ConfigurationError(`${api.name}: ${message}.`);
  const known = api.servers.flatMap((server) => server.environment ?? []);
  const chosen = readSetting(options.environment, "environment", env, api.env.environment);
  const environment = chosen?.value.toLowerCase() ?? known[0];
  if (chosen && !known.includes(chosen.value.toLowerCase())) {
    throw fail(`unknown environment "${chosen.value}" from ${chosen.source}; expected one of ${known.join(", ")}`);
  }
  const server = api.servers.find((candidate) => candidate.environment === environment) ?? api.servers[0];
  const explicit = readSetting(options.baseUrl, "baseUrl", env, api.env.baseUrl);
  // with a base URL of one's own and no environment named, which environment it serves is unknown
  let url: string;
  // variables are filled only when the server is used: a `baseUrl` of one's own needs no subdomain
  const serverUrl = (chosen: ServerDefinition) =>
    chosen.url
      .replace(/\{([^}]+)\}/g, (_, name: string) => serverVariable(chosen, name, options, env, fail))
      // scheme-less (`//api.example.com/v1`, as Swagger 2.0 conversions give): https
      .replace(/^\/\//, "https://");
  if (server && isRelative(server.url)) {
    // relative to where the description is served, which only the user knows: resolved against `baseUrl`
    if (!explicit) {
      throw fail(
        `the description's first server "${server.url}" is relative; pass \`baseUrl\` (or set ${api.env.baseUrl}) to the URL it is relative to, such as https://api.example.com`,
      );
    }
    if (!URL.canParse(explicit.value)) throw fail(`${explicit.source} is not an http(s) URL`);
    url = new URL(serverUrl(server), `${explicit.value.replace(/\/+$/, "")}/`).href;
  } else if (explicit) url = explicit.value;
  else if (server) url = serverUrl(server);
  else throw fail(`the description lists no server; pass \`baseUrl\` or set ${api.env.baseUrl}`);

  const source = explicit?.source ?? "the description's server";
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw fail(`${source} is not an http(s) URL`);
  const parsed = new URL(url);
  if (parsed.username) throw fail(`${source} must not carry credentials; use the \`apiKey\` option`);
  if (parsed.protocol === "http:" && !isLoopback(parsed.hostname) && !options.allowInsecureHttp) {
    throw fail(
      `${source} is plain http to ${parsed.hostname}: the key would travel in clear text; use https, or pass \`allowInsecureHttp: true\``,
    );
  }
  return { baseUrl: url.replace(/\/+$/, ""), environment: explicit && !chosen ? undefined : environment, server };
}

function serverVariable(
  server: ServerDefinition,
  name: string,
  options: ClientOptions,
  env: Environment,
  fail: (message: string) => Error,
): string {
  const variable = server.variables?.[name];
  const setting = readSetting(options.serverVariables?.[name], `serverVariables.${name}`, env, variable?.env);
  if (setting && !/^[A-Za-z0-9.-]+$/.test(setting.value)) {
    throw fail(`${setting.source} must hold only letters, digits, dots and dashes`);
  }
  // A variable with its own env var is one the user must name (a tenant's subdomain): falling back to the
  // default would send the credential to somebody else's tenant.
  if (!setting && variable?.env) throw fail(`set ${variable.env} (or \`serverVariables.${name}\`, or \`baseUrl\`)`);
  return setting?.value ?? variable?.default ?? "";
}

/** A server URL without a scheme and host (`/v1`, `v1`); `//host/…` and templates like `{scheme}://…` are not. */
function isRelative(url: string): boolean {
  return !/^([a-z][a-z0-9+.-]*:|\/\/|\{)/i.test(url);
}

/** localhost, 127.0.0.0/8 and ::1: where plain http never leaves the machine. */
export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || hostname === "::1" || /^127(\.\d{1,3}){3}$/.test(hostname);
}
