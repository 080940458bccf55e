/**
 * Every status each API's mock can answer is documented for the operation in its spec. The statuses come from
 * the mock's code paths, one row of `CORE_PATHS` each (what the core answers for an operation of that shape),
 * plus the resolvers' own, which the contract test provokes with the server's response check on. Each row is
 * checked twice: statically, against the spec read here from its YAML (not from the generated routes), and
 * by provoking it over HTTP for every operation it applies to, where the answer must have that very status.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  demoErathosWorkspaceId,
  demoKeys,
  type MockApiName,
  mockApis,
  type RouteSpec,
  type RunningMockServer,
  startMockServer,
} from "@keysmith/mock-server";
import { load } from "js-yaml";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { basic } from "./support/api-cases.js";
import { rawRequest } from "./support/raw-http.js";

type Json = Record<string, unknown>;
const specsDir = fileURLToPath(new URL("../../../specs/", import.meta.url));
const documents = Object.fromEntries(
  (Object.keys(mockApis) as MockApiName[]).map((api) => [
    api,
    load(readFileSync(`${specsDir}${api}.openapi.yaml`, "utf8")) as Json,
  ]),
) as Record<MockApiName, Json>;

/** The operation in the spec's own YAML. */
function operationOf(api: MockApiName, route: RouteSpec): Json {
  const paths = documents[api].paths as Record<string, Record<string, Json>>;
  const operation = paths[route.path]?.[route.method];
  if (!operation) throw new Error(`${api}: no ${route.method} ${route.path} in the spec`);
  return operation;
}

/** Whether the spec documents `status` for the operation: itself, by its range (`5XX`), or a `default`. */
function isDocumented(api: MockApiName, route: RouteSpec, status: number): boolean {
  const responses = (operationOf(api, route).responses ?? {}) as Json;
  const range = `${String(status).charAt(0)}XX`;
  return [String(status), range, range.toLowerCase(), "default"].some((key) => responses[key] !== undefined);
}

/** `#/components/schemas/X` followed, for a parameter's schema. */
function schemaOf(api: MockApiName, schema: unknown): Json {
  let node = (schema ?? {}) as Json;
  for (let hops = 0; typeof node.$ref === "string" && hops < 10; hops++) {
    node = (mockApis[api].spec.schemas[node.$ref.split("/").at(-1) ?? ""] ?? {}) as Json;
  }
  return node;
}

/** A value can fail this schema (a plain string cannot; a path segment is never empty). */
function canFail(api: MockApiName, schema: unknown): boolean {
  const node = schemaOf(api, schema);
  if (node.type === "array") return canFail(api, node.items);
  if (node.type !== undefined && node.type !== "string") return true;
  if (["pattern", "format", "enum", "const", "maxLength", "oneOf", "anyOf", "allOf"].some((key) => key in node))
    return true;
  return typeof node.minLength === "number" && node.minLength > 1;
}

const paramsIn = (route: RouteSpec, where: string) => route.parameters.filter((param) => param.in === where);
const secured = (api: MockApiName, route: RouteSpec) => {
  const security = route.security ?? mockApis[api].spec.security;
  return security.length > 0 && security.every((requirement) => requirement.length > 0);
};
/** Scalar query parameters fail when repeated; a list fails only on a value its items refuse. */
const failingQuery = (api: MockApiName, route: RouteSpec) =>
  paramsIn(route, "query").find((param) => schemaOf(api, param.schema).type !== "array" || canFail(api, param.schema));
const failingPath = (api: MockApiName, route: RouteSpec) =>
  paramsIn(route, "path").find((param) => canFail(api, param.schema));
/** Lists whose pagination says a page past the last is a 404 (`pastLastPage: not-found`, as DRF answers). */
const pagesByNumber = (api: MockApiName, route: RouteSpec) =>
  (documents[api]["x-keysmith-pagination"] as Json | undefined)?.pastLastPage === "not-found" &&
  operationOf(api, route)["x-keysmith-paginated"] === true;

/** The status an API answers a core problem with (GetKeyManager: a missing capability is a 401, some 422s a 200). */
function answeredAs(api: MockApiName, route: RouteSpec, status: number, code: string, field = "body"): number {
  const authFailure = status === 403 ? { authFailure: "permission" as const } : {};
  return mockApis[api].errorStatus?.(status, { code, message: "", field, ...authFailure }, route) ?? status;
}

interface Probe {
  readonly path?: (name: string) => string;
  readonly query?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Keep the body unsent: only the headers go out (a Content-Length past the limit). */
  readonly headersOnly?: boolean;
  readonly fault?: number;
  readonly key?: string;
}

interface CorePath {
  readonly why: string;
  readonly applies: (api: MockApiName, route: RouteSpec) => boolean;
  readonly status: (api: MockApiName, route: RouteSpec) => number;
  readonly probe: (api: MockApiName, route: RouteSpec) => Probe;
}

const JSON_TYPE = { "Content-Type": "application/json" };
const deep = `${"[".repeat(1000)}${"]".repeat(1000)}`;

/** The core's code paths that answer an operation with an error, and how to provoke each. */
const CORE_PATHS: readonly CorePath[] = [
  {
    why: "a JSON body that does not parse or nests too deep (400)",
    applies: (_api, route) => route.requestBody !== undefined,
    status: () => 400,
    probe: () => ({ headers: JSON_TYPE, body: deep }),
  },
  {
    why: "a path parameter that is not percent-encoded UTF-8 (400)",
    applies: (_api, route) => paramsIn(route, "path").length > 0,
    status: () => 400,
    probe: () => ({ path: () => "%FF%FE" }),
  },
  {
    why: "no credential (401)",
    applies: secured,
    status: () => 401,
    probe: () => ({ key: "" }),
  },
  {
    why: "a key without the operation's permission (403, or the API's status for it)",
    applies: (api, route) =>
      route.permission !== undefined && api === "getkeymanager" && route.permission !== "license:read",
    status: (api, route) => answeredAs(api, route, 403, "permission_denied"),
    probe: () => ({ key: `Bearer ${demoKeys.getkeymanager.readOnly}` }),
  },
  {
    why: "a page past the last (404)",
    applies: pagesByNumber,
    status: () => 404,
    probe: () => ({ query: "page=9999" }),
  },
  {
    why: "an injected 408",
    applies: () => true,
    status: () => 408,
    probe: () => ({ fault: 408 }),
  },
  {
    why: "a Content-Length past the body limit (413)",
    applies: (_api, route) => route.requestBody !== undefined,
    status: () => 413,
    probe: () => ({ headers: { ...JSON_TYPE, "Content-Length": "2000000" }, headersOnly: true }),
  },
  {
    why: "a body in another media type (415)",
    applies: (_api, route) => route.requestBody !== undefined,
    status: () => 415,
    probe: () => ({ headers: { "Content-Type": "text/plain" }, body: "{}" }),
  },
  {
    why: "a parameter or body its schema refuses (422, or the API's status for it)",
    applies: (api, route) =>
      route.requestBody !== undefined ||
      failingPath(api, route) !== undefined ||
      failingQuery(api, route) !== undefined,
    status: (api, route) => answeredAs(api, route, 422, "invalid"),
    probe: (api, route) => {
      if (failingPath(api, route)) return { path: () => "!" };
      const query = failingQuery(api, route);
      if (query) return { query: `${query.name}=!&${query.name}=!` };
      return { headers: JSON_TYPE, body: JSON.stringify("not what the schema takes") };
    },
  },
  {
    why: "an injected 429 (the same status as a real rate limit)",
    applies: () => true,
    status: () => 429,
    probe: () => ({ fault: 429 }),
  },
  {
    why: "an injected 503",
    applies: () => true,
    status: () => 503,
    probe: () => ({ fault: 503 }),
  },
];

const AUTH: Record<MockApiName, string> = {
  epsilon3: basic(demoKeys.epsilon3.workspace),
  epoch: `token ${demoKeys.epoch.token}`,
  getkeymanager: `Bearer ${demoKeys.getkeymanager.production}`,
  erathos: `Api-Key ${demoKeys.erathos.key}`,
};
/** Path parameters that exist in the seed, so that a probe gets past them. */
const KNOWN: Record<string, string> = { workspace_id: demoErathosWorkspaceId, event_id: "1" };

const cases = (Object.keys(mockApis) as MockApiName[]).flatMap((api) =>
  mockApis[api].spec.operations.flatMap((route) =>
    CORE_PATHS.filter((path) => path.applies(api, route)).map((path) => ({ api, route, path })),
  ),
);

describe("the statuses of the core's code paths", () => {
  test.each(Object.keys(mockApis) as MockApiName[])("%s: every operation has a resolver (no 501)", (api) => {
    const { operations } = mockApis[api].spec;
    expect(operations.filter((route) => !mockApis[api].resolvers[route.operationId]).map((r) => r.operationId)).toEqual(
      [],
    );
  });

  test.each(Object.keys(mockApis) as MockApiName[])("%s: are documented for each operation they apply to", (api) => {
    const undocumented = cases
      .filter((found) => found.api === api)
      .map(({ route, path }) => ({ operation: route.operationId, why: path.why, status: path.status(api, route) }))
      .filter(({ operation, status }) => {
        const route = mockApis[api].spec.operations.find((candidate) => candidate.operationId === operation);
        return route !== undefined && !isDocumented(api, route, status);
      });
    expect(undocumented).toEqual([]);
  });
});

describe("provoked over HTTP, each answers with that status", () => {
  let server: RunningMockServer;
  beforeAll(async () => {
    server = await startMockServer({ port: 0, rateLimits: false });
  });
  afterEach(() => server.mock.reset());
  afterAll(() => server.close());

  test.each(cases.map((found) => [`${found.api} ${found.route.operationId}: ${found.path.why}`, found] as const))(
    "%s",
    async (_name, { api, route, path }) => {
      const probe = path.probe(api, route);
      if (probe.fault !== undefined) {
        server.mock.inject({ api, operationId: route.operationId, status: probe.fault, times: 1 });
      }
      const base = server.endpoints.find((endpoint) => endpoint.api === api)?.baseUrl ?? "";
      const url = `${base}${route.path.replace(/\{([^}]+)\}/g, (_match, name: string) => probe.path?.(name) ?? KNOWN[name] ?? "1")}${probe.query ? `?${probe.query}` : ""}`;
      const key = probe.key ?? AUTH[api];
      const answer = await rawRequest(url, {
        method: route.method.toUpperCase(),
        headers: { ...(key ? { Authorization: key } : {}), ...probe.headers },
        chunks: probe.body === undefined ? [] : [probe.body],
        keepSending: probe.headersOnly ?? false,
      });
      const want = path.status(api, route);
      expect(answer.status, answer.body.toString().slice(0, 300)).toBe(want);
      expect(isDocumented(api, route, answer.status)).toBe(true);
    },
  );
});
