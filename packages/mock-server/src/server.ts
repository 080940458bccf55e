import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ADMIN_PREFIX, admin } from "./admin-endpoints.js";
import type { MockApiName } from "./apis.js";
import { randomSecret } from "./core/ids.js";
import type { MockResponse } from "./core/mock-http.js";
import { MockProblem } from "./core/mock-problem.js";
import { type Mount, type RouteMatch, Router } from "./core/router.js";
import { CorsPolicy, LOOPBACK_ORIGINS } from "./cors.js";
import { demoKeys } from "./demo-keys.js";
import { Mock, type MockOptions } from "./mock.js";
import { carriesBody, nodeRequest, writeAnswer, writeJson } from "./node-http.js";
import { attachRealtimeServer } from "./realtime-server.js";

/** One structured line per request, for the standalone server's log (never a header or a query string). */
export interface RequestLogLine {
  readonly time: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
  readonly api: string | undefined;
  readonly operationId: string | undefined;
  readonly requestId: string | undefined;
}

export interface MockServerOptions extends MockOptions {
  /** 0 picks a free port. Default 4010. */
  readonly port?: number;
  /** Default 127.0.0.1: the mock accepts demo keys, so it stays on loopback unless told otherwise. */
  readonly host?: string;
  /** Serve an existing mock's state (shared with MSW handlers built from the same `Mock`). */
  readonly mock?: Mock;
  /**
   * The key of the admin endpoints under `/__keysmith/` (faults, reset, request logs), sent as
   * `Authorization: Bearer <key>`. Default: a random key, in `RunningMockServer.adminKey`.
   */
  readonly adminKey?: string;
  /** Receives one structured line per request. */
  readonly log?: (line: RequestLogLine) => void;
  /**
   * The origins whose web pages may call the mock (CORS, preflights included): exact origins, origins with any
   * port (`http://localhost:*`), or `"*"` for any; `[]` turns CORS off. Default: loopback pages on any port
   * (`http://localhost:*`, `http://127.0.0.1:*`, `http://[::1]:*`). The admin endpoints never answer a page.
   * @example startMockServer({ corsOrigins: ["http://localhost:*", "https://preview.example.com"] })
   */
  readonly corsOrigins?: readonly string[];
}

export interface MockEndpoint {
  /** One of the four APIs, or the name of an API mocked from its description. */
  readonly api: MockApiName | (string & {});
  readonly environment: string | undefined;
  /** The base URL to give an SDK or any HTTP client, such as `http://127.0.0.1:4010/epsilon3`. */
  readonly baseUrl: string;
}

export interface RunningMockServer {
  readonly url: string;
  readonly port: number;
  readonly mock: Mock;
  readonly endpoints: readonly MockEndpoint[];
  readonly keys: typeof demoKeys;
  /** The admin endpoints' key. */
  readonly adminKey: string;
  /** Where Epsilon3's Socket.IO server listens (origin and path), when Epsilon3 is mocked. */
  readonly realtime?: { readonly url: string; readonly path: string };
  /** Where each described API's Socket.IO server listens (`realtimeSpecs`), by API name. */
  readonly describedRealtime: Readonly<Record<string, { readonly url: string; readonly path: string }>>;
  /** Stops accepting connections, lets requests in flight finish, then resolves. */
  close(): Promise<void>;
}

/** The standalone mock: the same resolvers as the MSW handlers, over real HTTP, for clients in any language. */
export async function startMockServer(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const mock = options.mock ?? new Mock(options);
  const mounts = mountsOf(mock);
  const router = new Router(mounts);
  const adminKey = options.adminKey ?? randomSecret(24);
  const cors = new CorsPolicy(options.corsOrigins ?? LOOPBACK_ORIGINS, mock.runtimes());
  const context: ServeContext = { router, mounts, mock, adminKey, cors, log: options.log };
  const server = createServer((req, res) => {
    try {
      serve(context, req, res)?.catch((error: unknown) => failed(res, error));
    } catch (error) {
      failed(res, error);
    }
  });
  const epsilon3 = mounts.find((mount) => mount.runtime === mock.apis.epsilon3);
  const io = epsilon3 ? attachRealtimeServer(server, mock.realtime, epsilon3.prefix, cors) : undefined;
  const describedIo = [...mock.describedRealtime].map(([name, realtime]) => {
    const mount = mounts.find((candidate) => candidate.runtime === mock.described.get(name));
    return {
      name,
      path: `${mount?.prefix ?? `/${name}`}/socket.io`,
      io: attachRealtimeServer(server, realtime, mount?.prefix ?? `/${name}`, cors),
    };
  });
  await listen(server, options.port ?? 4010, options.host ?? "127.0.0.1");
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === "IPv6" ? `[${address}]` : address;
  const url = `http://${host}:${port}`;
  return {
    url,
    port,
    mock,
    endpoints: mounts.map((mount) => ({
      api: mount.runtime.definition.spec.name,
      environment: mount.environment,
      baseUrl: url + mount.prefix,
    })),
    keys: demoKeys,
    adminKey,
    ...(io && epsilon3 ? { realtime: { url, path: `${epsilon3.prefix}/socket.io` } } : {}),
    describedRealtime: Object.fromEntries(describedIo.map(({ name, path }) => [name, { url, path }])),
    close: () =>
      new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => (error ? reject(error) : resolve());
        // a described API's Socket.IO server: its clients' connections end here (the HTTP server closes below)
        for (const { io: other } of describedIo) {
          other.disconnectSockets(true);
          other.engine.close();
        }
        // socket.io's close disconnects every client, then closes the HTTP server
        if (io) void io.close(done);
        else server.close(done);
        server.closeIdleConnections();
      }),
  };
}

/** `/<api>` plus the server's own path (`/epoch/api/v1`), and `/<api>/<environment>/…` per environment. */
function mountsOf(mock: Mock): Mount[] {
  return mock.runtimes().flatMap((runtime) => {
    const { name, servers } = runtime.definition.spec;
    // a relative (`/v1`) or scheme-relative (`//host/v1`) server is read against a placeholder origin
    const pathOf = (url: string) =>
      new URL(url.replace(/\{([^}]+)\}/g, "$1"), "http://mock.invalid").pathname.replace(/\/+$/, "");
    const withEnvironments = servers.filter((server) => server.environment);
    if (withEnvironments.length > 0) {
      return withEnvironments.map((server) => ({
        runtime,
        environment: server.environment,
        prefix: `/${name}/${server.environment}${pathOf(server.url)}`,
      }));
    }
    const [first] = servers;
    return [{ runtime, environment: undefined, prefix: `/${name}${first ? pathOf(first.url) : ""}` }];
  });
}

interface ServeContext {
  readonly router: Router;
  readonly mounts: readonly Mount[];
  readonly mock: Mock;
  readonly adminKey: string;
  readonly cors: CorsPolicy;
  readonly log: ((line: RequestLogLine) => void) | undefined;
}

/**
 * Answers one request. Most answers are known at once or after one promise (the runtime's): `serve` is no async
 * function, so that a request makes no more promises than its answer needs. Returns the promise of an answer
 * still to come, else undefined.
 */
function serve(context: ServeContext, req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
  const started = context.log ? performance.now() : 0;
  const url = requestUrl(req);
  const { pathname } = url;
  const method = req.method ?? "GET";
  if (pathname.startsWith(ADMIN_PREFIX)) return admin(context.mock, context.adminKey, req, res, url);
  const origin = typeof req.headers.origin === "string" ? req.headers.origin : undefined;
  const allowedOrigin = origin !== undefined && context.cors.allows(origin) ? origin : undefined;
  const match = context.router.match(method, pathname, url.searchParams);
  const answer = answerTo(context, req, url, method, origin, allowedOrigin, match);
  // an answer ready at once is sent at once, inside Node's `request` event, as a plain handler's is; but that of a
  // request with a body waits a turn, for Node to parse what arrived with the headers: `writeAnswer` then drains
  // only a body still to come, as it always did
  if (answer instanceof Promise || carriesBody(req)) {
    return Promise.resolve(answer).then((settled) =>
      finish(context, res, settled, allowedOrigin, method, pathname, match, started),
    );
  }
  finish(context, res, answer, allowedOrigin, method, pathname, match, started);
  return undefined;
}

/** The answer to a request: a preflight's, a refusal of a path no operation has, or the operation's. */
function answerTo(
  context: ServeContext,
  req: IncomingMessage,
  url: URL,
  method: string,
  origin: string | undefined,
  allowedOrigin: string | undefined,
  match: RouteMatch | undefined,
): MockResponse | Promise<MockResponse> {
  const requested = req.headers["access-control-request-method"];
  if (method === "OPTIONS" && origin !== undefined && typeof requested === "string") {
    return preflight(context, url, origin, allowedOrigin, requested, req);
  }
  if (!match) {
    const prefixes = context.mounts.map((mount) => mount.prefix).join(", ");
    return jsonAnswer(404, {
      error: { code: "no_such_api", message: `No mocked API at ${url.pathname}; base paths: ${prefixes}` },
    });
  }
  if (match.route) {
    return match.mount.runtime.answerNow(match.route, nodeRequest(req, url), match.params, match.mount.environment);
  }
  if (method === "OPTIONS" && match.allowed.length > 0) {
    return { status: 204, headers: { Allow: [...match.allowed, "OPTIONS"].join(", ") }, body: undefined };
  }
  const allowed = match.allowed.length > 0 ? [...match.allowed, "OPTIONS"].join(", ") : undefined;
  const problem = allowed
    ? new MockProblem(405, {
        code: "method_not_allowed",
        message: `${method} is not allowed here; use ${allowed}`,
        headers: { Allow: allowed },
      })
    : new MockProblem(404, { code: "not_found", message: `No operation at ${url.pathname}` });
  return match.mount.runtime.refuse(problem);
}

/** Sends an answer, with the server's CORS headers, and logs it. */
function finish(
  context: ServeContext,
  res: ServerResponse,
  answer: MockResponse,
  allowedOrigin: string | undefined,
  method: string,
  pathname: string,
  match: RouteMatch | undefined,
  started: number,
): void {
  writeAnswer(res, answer, corsHeaders(context.cors, allowedOrigin, answer));
  context.log?.({
    time: new Date().toISOString(),
    method,
    path: pathname,
    status: answer.status,
    ms: Math.round((performance.now() - started) * 10) / 10,
    api: match?.mount.runtime.definition.spec.name,
    operationId: match?.route?.operationId,
    requestId: answer.headers["X-Request-Id"],
  });
}

/** A request that failed inside the mock: a 500, or the end of an answer already under way. */
function failed(res: ServerResponse, error: unknown): void {
  if (res.headersSent) res.end();
  else writeJson(res, 500, { error: { code: "mock_failure", message: String(error) } });
}

/**
 * A CORS preflight: 204 with what an allowed origin may send (the methods of the path, or the one asked for
 * when the path is unknown, so that the page reads the 404 of the request itself), else a 403 saying how to
 * allow the origin. Preflights never reach an operation.
 */
async function preflight(
  context: ServeContext,
  url: URL,
  origin: string,
  allowedOrigin: string | undefined,
  requested: string,
  req: IncomingMessage,
): Promise<MockResponse> {
  if (allowedOrigin === undefined) {
    return jsonAnswer(403, {
      error: {
        code: "cors_origin_not_allowed",
        message: context.cors.enabled
          ? `The origin ${origin} may not call this mock; allow it with --cors-origin ${origin} (corsOrigins)`
          : "CORS is off on this mock; start it with --cors-origin <origin> (corsOrigins)",
      },
    });
  }
  const known = context.router.methodsAt(url.pathname);
  const methods = known.length > 0 ? known : [requested.toUpperCase()];
  const privateNetwork = req.headers["access-control-request-private-network"] === "true";
  return { status: 204, headers: context.cors.preflight(allowedOrigin, methods, privateNetwork), body: undefined };
}

const VARY_ORIGIN: Readonly<Record<string, string>> = Object.freeze({ Vary: "Origin" });

/**
 * The CORS headers an answer gets on top of its own, for its origin (and `Vary: Origin` whenever CORS is on);
 * undefined when none.
 */
function corsHeaders(
  cors: CorsPolicy,
  origin: string | undefined,
  answer: MockResponse,
): Readonly<Record<string, string>> | undefined {
  if (!cors.enabled || answer.drop) return undefined;
  const vary = answer.headers.Vary;
  // the common case, a request from no page (or from one not allowed): only Vary, unless the answer has one
  if (origin === undefined || answer.headers["Access-Control-Allow-Origin"] !== undefined) {
    return vary === undefined ? VARY_ORIGIN : { Vary: vary };
  }
  const headers = cors.actual(origin, answer.headers);
  headers.Vary = vary ?? "Origin";
  return headers;
}

const jsonAnswer = (status: number, body: unknown): MockResponse => ({
  status,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

/**
 * The request's URL: its path and query as sent, on the host the client named. A hostile Host header cannot
 * change the path (the host is set apart, and one that is no host is ignored).
 */
function requestUrl(req: IncomingMessage): URL {
  const target = req.url ?? "/";
  if (!target.startsWith("/")) {
    try {
      return new URL(target, "http://127.0.0.1/");
    } catch {
      return new URL("http://127.0.0.1/");
    }
  }
  const origin = `http://${req.headers.host ? hostAsSet(req.headers.host) : "127.0.0.1"}`;
  try {
    return new URL(origin + target);
  } catch {
    return new URL(`${origin}/`);
  }
}

/** The hosts that Host headers name, as `hostAsSet` reads them: clients send the same few again and again. */
const hosts = new Map<string, string>();
const HOSTS_KEPT = 64;

/**
 * The host (and port) that a URL on 127.0.0.1 has once its `host` is set to this Host header: the header's
 * host where it is one, else 127.0.0.1 (the URL setter ignores what is no host, and stops at a path). The
 * result is a serialized host, so a URL built with it has the path and query sent, whatever the header held.
 */
function hostAsSet(header: string): string {
  let host = hosts.get(header);
  if (host === undefined) {
    const probe = new URL("http://127.0.0.1/");
    probe.host = header;
    host = probe.host;
    if (hosts.size >= HOSTS_KEPT) hosts.clear();
    hosts.set(header, host);
  }
  return host;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
