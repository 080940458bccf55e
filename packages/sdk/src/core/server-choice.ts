import type { ApiDefinition, ServerDefinition } from "./api-definition.js";
import type { ClientOptions } from "./client-options.js";
import { type Environment, readSetting, type Setting } from "./environment.js";

/** The URL a client's requests go to, before it is checked, and the environment it serves. */
export interface ChosenServer {
  readonly url: string;
  /** The environment the client targets, for APIs whose servers are per environment. */
  readonly environment: string | undefined;
}

/**
 * Chooses among a description's servers, for APIs whose servers need more than their one URL: the server of
 * the chosen environment (the `environment` option, then the API's variable; default the first), its variables
 * filled from `serverVariables` or their environment variables, a relative URL resolved against `baseUrl`, a
 * scheme-less one given https. A capability: generated clients of such APIs pass it (`chooseServer`), so that
 * the others' bundles leave it out.
 */
export function chooseServer(
  api: ApiDefinition,
  options: ClientOptions,
  env: Environment,
  explicit: Setting | undefined,
  fail: (message: string) => Error,
): ChosenServer {
  const known = api.servers.flatMap((server) => server.environment ?? []);
  const chosen = readSetting(options.environment, "environment", env, api.env.environment);
  const environment = chosen?.value.toLowerCase() ?? known[0];
  if (chosen && !known.includes(chosen.value.toLowerCase())) {
    throw fail(`unknown environment "${chosen.value}" from ${chosen.source}; expected one of ${known.join(", ")}`);
  }
  const server = api.servers.find((candidate) => candidate.environment === environment) ?? api.servers[0];
  // variables are filled only when the server is used: a `baseUrl` of one's own needs no subdomain
  const serverUrl = (used: ServerDefinition) =>
    used.url
      .replace(/\{([^}]+)\}/g, (_, name: string) => serverVariable(used, name, options, env, fail))
      // scheme-less (`//api.example.com/v1`, as Swagger 2.0 conversions give): https
      .replace(/^\/\//, "https://");
  let url: string;
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
  // with a base URL of one's own and no environment named, which environment it serves is unknown
  return { url, environment: explicit && !chosen ? undefined : environment };
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
