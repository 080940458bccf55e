import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { MockApiName } from "./apis.js";
import type { FaultRule } from "./core/faults.js";
import { randomSecret } from "./core/ids.js";
import { type Mount, Router } from "./core/router.js";
import { demoKeys } from "./demo-keys.js";
import { Mock, type MockOptions } from "./mock.js";
import { nodeRequest, readBody, writeAnswer, writeJson } from "./node-http.js";
import { realtimeAdmin } from "./realtime-admin.js";
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
}

export interface MockEndpoint {
  readonly api: MockApiName;
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
  /** Stops accepting connections, lets requests in flight finish, then resolves. */
  close(): Promise<void>;
}

/** The standalone mock: the same resolvers as the MSW handlers, over real HTTP, for clients in any language. */
export async function startMockServer(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const mock = options.mock ?? new Mock(options);
  const mounts = mountsOf(mock);
  const router = new Router(mounts);
  const adminKey = options.adminKey ?? randomSecret(24);
  const context: ServeContext = { router, mounts, mock, adminKey, log: options.log };
  const server = createServer((req, res) => {
    serve(context, req, res).catch((error: unknown) => {
      if (res.headersSent) res.end();
      else writeJson(res, 500, { error: { code: "mock_failure", message: String(error) } });
    });
  });
  const epsilon3 = mounts.find((mount) => mount.runtime === mock.apis.epsilon3);
  const io = epsilon3 ? attachRealtimeServer(server, mock, epsilon3.prefix) : undefined;
  await listen(server, options.port ?? 4010, options.host ?? "127.0.0.1");
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === "IPv6" ? `[${address}]` : address;
  const url = `http://${host}:${port}`;
  return {
    url,
    port,
    mock,
    endpoints: mounts.map((mount) => ({
      api: mount.runtime.definition.spec.name as MockApiName,
      environment: mount.environment,
      baseUrl: url + mount.prefix,
    })),
    keys: demoKeys,
    adminKey,
    ...(io && epsilon3 ? { realtime: { url, path: `${epsilon3.prefix}/socket.io` } } : {}),
    close: () =>
      new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => (error ? reject(error) : resolve());
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
    const pathOf = (url: string) => new URL(url.replace(/\{([^}]+)\}/g, "$1")).pathname.replace(/\/+$/, "");
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
  readonly log: ((line: RequestLogLine) => void) | undefined;
}

async function serve(context: ServeContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const method = req.method ?? "GET";
  if (url.pathname.startsWith(ADMIN_PREFIX)) return admin(context, req, res, url);
  const match = context.router.match(method, url.pathname);
  let status: number;
  let requestId: string | undefined;
  if (!match) {
    status = 404;
    const prefixes = context.mounts.map((mount) => mount.prefix).join(", ");
    writeJson(res, status, {
      error: { code: "no_such_api", message: `No mocked API at ${url.pathname}; base paths: ${prefixes}` },
    });
  } else if (match.route) {
    const answer = await match.mount.runtime.answer(
      match.route,
      nodeRequest(req, url),
      match.params,
      match.mount.environment,
    );
    status = answer.status;
    requestId = answer.headers["X-Request-Id"];
    writeAnswer(res, answer);
  } else {
    const { definition } = match.mount.runtime;
    status = match.allowed.length > 0 ? 405 : 404;
    const message =
      status === 405
        ? `${method} is not allowed here; use ${match.allowed.join(", ")}`
        : `No operation at ${url.pathname}`;
    const problem = { code: status === 405 ? "method_not_allowed" : "not_found", message };
    const body = await definition.errorBody(status, problem, "req_none", new Date());
    writeJson(res, status, body, status === 405 ? { Allow: match.allowed.join(", ") } : {});
  }
  context.log?.({
    time: new Date().toISOString(),
    method,
    path: url.pathname,
    status,
    ms: Math.round((performance.now() - started) * 10) / 10,
    api: match?.mount.runtime.definition.spec.name,
    operationId: match?.route?.operationId,
    requestId,
  });
}

const ADMIN_PREFIX = "/__keysmith/";

/**
 * The admin endpoints, guarded by their own key: `POST /__keysmith/faults` (a fault rule as JSON),
 * `DELETE /__keysmith/faults`, `POST /__keysmith/reset` (optionally `{"seed":"empty"}`) and
 * `GET /__keysmith/logs?api=<api>&key=<key id>` (a key's request log).
 */
async function admin(context: ServeContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.headers.authorization !== `Bearer ${context.adminKey}`) {
    return writeJson(res, 401, {
      error: { code: "admin_key_required", message: "Send Authorization: Bearer <admin key>" },
    });
  }
  const action = `${req.method} ${url.pathname.slice(ADMIN_PREFIX.length)}`;
  const body = async () => {
    const text = await readBody(req);
    return text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  try {
    if (action.startsWith(`${req.method} realtime/`)) {
      const answer = await realtimeAdmin(
        context.mock,
        req.method ?? "GET",
        url.pathname.slice(ADMIN_PREFIX.length + "realtime/".length),
        body,
      );
      if (answer) return writeJson(res, answer.status, answer.body);
    }
    switch (action) {
      case "POST faults":
        context.mock.inject((await body()) as FaultRule);
        return writeJson(res, 201, { faults: context.mock.faults.size });
      case "DELETE faults":
        context.mock.faults.clear();
        return writeJson(res, 200, { faults: 0 });
      case "POST reset": {
        const seed = (await body()).seed;
        context.mock.reset(seed === "empty" ? "empty" : undefined);
        return writeJson(res, 200, { reset: true });
      }
      case "GET logs": {
        const api = url.searchParams.get("api") as MockApiName | null;
        const runtime = api && context.mock.enabled.includes(api) ? context.mock.apis[api] : undefined;
        if (!runtime)
          return writeJson(res, 404, {
            error: { code: "no_such_api", message: `api must be one of ${context.mock.enabled.join(", ")}` },
          });
        return writeJson(res, 200, { entries: runtime.requestLog(url.searchParams.get("key") ?? "") });
      }
      default:
        return writeJson(res, 404, { error: { code: "not_found", message: `No admin action ${action}` } });
    }
  } catch (error) {
    return writeJson(res, 422, {
      error: { code: "invalid", message: error instanceof Error ? error.message : String(error) },
    });
  }
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
