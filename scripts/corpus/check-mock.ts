import { generateSync } from "json-schema-faker";
import { loadMockSpec } from "../../packages/cli/src/mock-spec.js";
import type { MockApiSpec, RouteSpec } from "../../packages/mock-server/src/core/mock-api-spec.js";
import { resolveSchema } from "../../packages/mock-server/src/generic/schema-walk.js";
import { startMockServer } from "../../packages/mock-server/src/server.js";
import { repoRoot } from "../support/packed-project.js";

const KEY = "corpus-check-key-0001";

export interface MockCheck {
  /** GET operations without path parameters that were called. */
  readonly gets: number;
  /** GETs not called: a required parameter is an object or a header this check cannot fill in. */
  readonly skipped: number;
  /** One line per operation that did not answer a valid 2xx, or the reason the mock did not start. */
  readonly failures: string[];
}

/**
 * A description through `keysmith mock --spec`'s path: loaded, mocked on a loopback standalone server that
 * checks every answer against the description (`validateResponses`), and every GET without path parameters
 * called with the credential its security asks for and its required query parameters. A documented 2xx with
 * a valid body passes; anything else is a failure naming the operation.
 */
export async function checkMock(file: string, name: string): Promise<MockCheck> {
  let spec: MockApiSpec;
  try {
    spec = (await loadMockSpec(file, repoRoot, name)).spec;
  } catch (error) {
    return { gets: 0, skipped: 0, failures: [`load: ${(error as Error).message.split("\n")[0]}`] };
  }
  let server: Awaited<ReturnType<typeof startMockServer>>;
  try {
    server = await startMockServer({ specs: [spec], keys: [KEY], port: 0, validateResponses: true, rateLimits: false });
  } catch (error) {
    return { gets: 0, skipped: 0, failures: [`start: ${(error as Error).message.split("\n")[0]}`] };
  }
  const failures: string[] = [];
  let gets = 0;
  let skipped = 0;
  try {
    const base = server.endpoints[0]?.baseUrl ?? server.url;
    for (const route of spec.operations) {
      if (route.method !== "get" || route.parameters.some((param) => param.in === "path")) continue;
      const unfillable = route.parameters.some(
        (param) =>
          param.required &&
          !["string", "integer", "number", "boolean", "array", undefined].includes(
            resolveSchema(spec.schemas, param.schema)?.type as string | undefined,
          ),
      );
      if (unfillable) {
        skipped += 1;
        continue;
      }
      gets += 1;
      const url = new URL(base + route.path.replace(/#.*$/, ""));
      const headers = new Headers();
      for (const param of route.parameters) {
        if (param.in === "query" && param.required) url.searchParams.set(param.name, sampleValue(spec, param.schema));
        if (param.in === "header" && param.required) headers.set(param.name, sampleValue(spec, param.schema));
      }
      addCredential(spec, route, url, headers);
      const response = await fetch(url, { headers });
      const text = await response.text();
      if (response.status >= 300)
        failures.push(`${route.operationId} (GET ${route.path}): ${response.status} ${text.slice(0, 300)}`);
    }
  } finally {
    await server.close();
  }
  return { gets, skipped, failures };
}

/** The credential in the style of the operation's first security requirement (every scheme of it). */
function addCredential(spec: MockApiSpec, route: RouteSpec, url: URL, headers: Headers): void {
  const requirement = (route.security ?? spec.security)[0] ?? [];
  for (const name of requirement) {
    const scheme = spec.securitySchemes[name];
    switch (scheme?.type) {
      case "basic":
        headers.set("Authorization", `Basic ${btoa(`${KEY}:`)}`);
        break;
      case "bearer":
      case "oauth2":
      case "openIdConnect":
        headers.set("Authorization", `Bearer ${KEY}`);
        break;
      case "header":
        headers.set(scheme.name, scheme.prefix ? `${scheme.prefix} ${KEY}` : KEY);
        break;
      case "query":
        url.searchParams.set(scheme.name, KEY);
        break;
      case "cookie":
        headers.append("Cookie", `${scheme.name}=${KEY}`);
        break;
      default:
        break;
    }
  }
}

/**
 * A value a required parameter accepts: its default, example or first enum value, else one json-schema-faker
 * generates (patterns and lengths honoured). Arrays send their first item.
 */
function sampleValue(spec: MockApiSpec, raw: unknown): string {
  const schema = resolveSchema(spec.schemas, raw) ?? {};
  const pick = schema.default ?? schema.example ?? (Array.isArray(schema.enum) ? schema.enum[0] : undefined);
  if (pick !== undefined) return String(Array.isArray(pick) ? pick[0] : pick);
  if (schema.type === "array") return sampleValue(spec, schema.items);
  const value = generateSync({ ...schema, components: { schemas: spec.schemas } }, { seed: 7 });
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
