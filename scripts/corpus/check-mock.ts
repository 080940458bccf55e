import { loadMockSpec } from "../../packages/cli/src/mock-spec.js";
import type { MockApiSpec, ParameterSpec, RouteSpec } from "../../packages/mock-server/src/core/mock-api-spec.js";
import { RequestValidator } from "../../packages/mock-server/src/core/request-validator.js";
import { SchemaSampler } from "../../packages/mock-server/src/generic/sample.js";
import { itemsOf, resolveSchema } from "../../packages/mock-server/src/generic/schema-walk.js";
import { startMockServer } from "../../packages/mock-server/src/server.js";
import { repoRoot } from "../support/packed-project.js";

const KEY = "corpus-check-key-0001";

export interface MockCheck {
  /** GET operations without path parameters that were called. */
  readonly gets: number;
  /** One line per operation that did not answer as it should, or the reason the mock did not start. */
  readonly failures: string[];
}

/**
 * A description through `keysmith mock --spec`'s path: loaded, mocked on a loopback standalone server that
 * checks every answer against the description (`validateResponses`: an answer it contradicts is a 500), and
 * every GET without path parameters called with the credential its security asks for and every required
 * parameter, generated from its schema by the mock's own sampler. A GET passes with a 2xx (its body valid, or
 * the mock would have failed it); one whose description documents no answer but errors (no 2xx, 3xx or
 * `default`) passes with the mock's 501, as nothing documented can be answered to a valid request.
 */
export async function checkMock(file: string, name: string): Promise<MockCheck> {
  let spec: MockApiSpec;
  try {
    spec = (await loadMockSpec(file, repoRoot, name)).spec;
  } catch (error) {
    return { gets: 0, failures: [`load: ${(error as Error).message.split("\n")[0]}`] };
  }
  let server: Awaited<ReturnType<typeof startMockServer>>;
  try {
    server = await startMockServer({ specs: [spec], keys: [KEY], port: 0, validateResponses: true, rateLimits: false });
  } catch (error) {
    return { gets: 0, failures: [`start: ${(error as Error).message.split("\n")[0]}`] };
  }
  const validator = new RequestValidator(spec);
  const sampler = new SchemaSampler(spec.schemas, 7, (schema, value) => validator.matches(schema, value));
  const failures: string[] = [];
  let gets = 0;
  try {
    const base = server.endpoints[0]?.baseUrl ?? server.url;
    for (const route of spec.operations) {
      if (route.method !== "get" || route.parameters.some((param) => param.in === "path")) continue;
      gets += 1;
      const request = new RequestParts(new URL(base + route.path.replace(/#.*$/, "")));
      for (const param of route.parameters) {
        if (param.required) request.add(param, parameterValue(spec, sampler, route, param));
      }
      addCredential(spec, route, request);
      const response = await fetch(request.url, { headers: request.headers() });
      const text = await response.text();
      const answered = response.status < 300 || (!documentsAnswer(route) && response.status === 501);
      if (!answered)
        failures.push(`${route.operationId} (GET ${route.path}): ${response.status} ${text.slice(0, 300)}`);
    }
  } finally {
    await server.close();
  }
  return { gets, failures };
}

/** True when the description documents an answer to a valid request: a 2xx, a 3xx, or a `default`. */
function documentsAnswer(route: RouteSpec): boolean {
  return Object.keys(route.responses).some((status) => status === "default" || /^[23]/.test(status));
}

/**
 * A value the parameter's schema accepts, from the sampler the mock uses (examples and defaults first, then
 * generated and mended); an array gets at least one item, as an empty one cannot be sent.
 */
function parameterValue(spec: MockApiSpec, sampler: SchemaSampler, route: RouteSpec, param: ParameterSpec): unknown {
  const schema = resolveSchema(spec.schemas, param.schema) ?? {};
  const salt = `parameter:${route.operationId}:${param.in}:${param.name}`;
  const value = sampler.sample(schema, salt);
  if (!Array.isArray(value) || value.length > 0) return value;
  return [sampler.sample(itemsOf(spec.schemas, schema), `${salt}:item`)];
}

/** A request's URL, headers and cookies, parameters added as OpenAPI serializes them by default. */
class RequestParts {
  readonly url: URL;
  readonly #headers = new Headers();
  readonly #cookies: string[] = [];

  constructor(url: URL) {
    this.url = url;
  }

  /**
   * Query: `form`, exploded (an array as repeated names), an object as `deepObject` (`name[key]=value`), an
   * array's objects as JSON (OpenAPI defines no serialization for them); header: `simple` (comma-separated);
   * cookie: `name=value`.
   */
  add(param: ParameterSpec, value: unknown): void {
    if (value === undefined) return;
    switch (param.in) {
      case "query":
        if (Array.isArray(value)) for (const item of value) this.url.searchParams.append(param.name, text(item));
        else if (isObject(value)) {
          for (const [key, item] of Object.entries(value))
            this.url.searchParams.append(`${param.name}[${key}]`, text(item));
        } else this.url.searchParams.append(param.name, text(value));
        break;
      case "header":
        this.#headers.set(param.name, simple(value));
        break;
      case "cookie":
        this.cookie(param.name, simple(value));
        break;
      default:
        break;
    }
  }

  header(name: string, value: string): void {
    this.#headers.set(name, value);
  }

  cookie(name: string, value: string): void {
    this.#cookies.push(`${name}=${encodeURIComponent(value)}`);
  }

  headers(): Headers {
    const headers = new Headers(this.#headers);
    if (this.#cookies.length > 0) headers.set("Cookie", this.#cookies.join("; "));
    return headers;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** OpenAPI's `simple` style: an array's items, or an object's keys and values, comma-separated. */
function simple(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).join(",");
  if (isObject(value))
    return Object.entries(value)
      .flatMap(([key, item]) => [key, text(item)])
      .join(",");
  return text(value);
}

/** The credential in the style of the operation's first security requirement (every scheme of it). */
function addCredential(spec: MockApiSpec, route: RouteSpec, request: RequestParts): void {
  const requirement = (route.security ?? spec.security)[0] ?? [];
  for (const name of requirement) {
    const scheme = spec.securitySchemes[name];
    switch (scheme?.type) {
      case "basic":
        request.header("Authorization", `Basic ${btoa(`${KEY}:`)}`);
        break;
      case "bearer":
      case "oauth2":
      case "openIdConnect":
        request.header("Authorization", `Bearer ${KEY}`);
        break;
      case "header":
        request.header(scheme.name, scheme.prefix ? `${scheme.prefix} ${KEY}` : KEY);
        break;
      case "query":
        request.url.searchParams.set(scheme.name, KEY);
        break;
      case "cookie":
        request.cookie(scheme.name, KEY);
        break;
      default:
        break;
    }
  }
}
