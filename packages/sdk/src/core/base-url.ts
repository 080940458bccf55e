import type { ApiDefinition, ServerDefinition } from "./api-definition.js";
import type { ClientOptions } from "./client-options.js";
import { type Environment, readVariable } from "./environment.js";
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
  const environment = chooseEnvironment(api, options, env);
  const server = environment ? api.servers.find((candidate) => candidate.environment === environment) : api.servers[0];
  const explicit = options.baseUrl ?? readVariable(env, api.env.baseUrl);
  if (explicit !== undefined) {
    const source = options.baseUrl !== undefined ? "the `baseUrl` option" : api.env.baseUrl;
    return { baseUrl: checkUrl(api, explicit, source), environment, server };
  }
  if (server === undefined) {
    throw new ConfigurationError(
      `${api.name}: the description lists no server; pass \`baseUrl\` or set ${api.env.baseUrl}.`,
    );
  }
  return {
    baseUrl: checkUrl(api, fillVariables(api, server, options, env), "the description's server"),
    environment,
    server,
  };
}

function chooseEnvironment(api: ApiDefinition, options: ClientOptions, env: Environment): string | undefined {
  const known = api.servers.flatMap((server) => (server.environment ? [server.environment] : []));
  if (known.length === 0) return undefined;
  const variable = api.env.environment;
  const chosen = options.environment ?? readVariable(env, variable);
  if (chosen === undefined) return known[0];
  const normalized = chosen.trim().toLowerCase();
  if (!known.includes(normalized)) {
    const source = options.environment !== undefined ? "the `environment` option" : variable;
    throw new ConfigurationError(
      `${api.name}: unknown environment "${chosen}" from ${source}; expected one of ${known.join(", ")}.`,
    );
  }
  return normalized;
}

function fillVariables(api: ApiDefinition, server: ServerDefinition, options: ClientOptions, env: Environment): string {
  return server.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const variable = server.variables?.[name];
    const value = options.serverVariables?.[name] ?? readVariable(env, variable?.env);
    if (value !== undefined) {
      if (!/^[A-Za-z0-9.-]+$/.test(value)) {
        const source = options.serverVariables?.[name] !== undefined ? `serverVariables.${name}` : variable?.env;
        throw new ConfigurationError(`${api.name}: ${source} must hold only letters, digits, dots and dashes.`);
      }
      return value;
    }
    if (variable?.env) {
      // A variable the user must name (a tenant's subdomain): falling back to a default would send the
      // credential to somebody else's tenant.
      throw new ConfigurationError(
        `${api.name}: set ${variable.env} (or pass \`serverVariables: { ${name} }\`, or \`baseUrl\`) to say which server to call.`,
      );
    }
    return variable?.default ?? "";
  });
}

function checkUrl(api: ApiDefinition, url: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(`${api.name}: ${source} is not an absolute URL.`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ConfigurationError(`${api.name}: ${source} must be an http or https URL.`);
  }
  if (parsed.username || parsed.password) {
    throw new ConfigurationError(`${api.name}: ${source} must not carry credentials; use the \`apiKey\` option.`);
  }
  return url.replace(/\/+$/, "");
}
