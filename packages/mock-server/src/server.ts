import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { MockApiName } from "./apis.js";
import { type Mount, Router } from "./core/router.js";
import { demoKeys } from "./demo-keys.js";
import { Mock, type MockOptions } from "./mock.js";

export interface MockServerOptions extends MockOptions {
  /** 0 picks a free port. Default 4010. */
  readonly port?: number;
  /** Default 127.0.0.1: the mock accepts demo keys, so it stays on loopback unless told otherwise. */
  readonly host?: string;
  /** Serve an existing mock's state (shared with MSW handlers built from the same `Mock`). */
  readonly mock?: Mock;
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
  /** Stops accepting connections, lets requests in flight finish, then resolves. */
  close(): Promise<void>;
}

/** The standalone mock: the same resolvers as the MSW handlers, over real HTTP, for clients in any language. */
export async function startMockServer(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const mock = options.mock ?? new Mock(options);
  const mounts = mountsOf(mock);
  const router = new Router(mounts);
  const server = createServer((req, res) => {
    serve(router, mounts, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "mock_failure", message: String(error) } }));
    });
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
      api: mount.runtime.definition.spec.name as MockApiName,
      environment: mount.environment,
      baseUrl: url + mount.prefix,
    })),
    keys: demoKeys,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
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

async function serve(router: Router, mounts: Mount[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const match = router.match(req.method ?? "GET", url.pathname);
  if (!match) {
    res.writeHead(404, { "Content-Type": "application/json" });
    res.end(
      JSON.stringify({
        error: {
          code: "no_such_api",
          message: `No mocked API at ${url.pathname}; base paths: ${mounts.map((mount) => mount.prefix).join(", ")}`,
        },
      }),
    );
    return;
  }
  let response: Response;
  if (match.route) {
    response = await match.mount.runtime.handle(
      match.route,
      await toRequest(req, url),
      match.params,
      match.mount.environment,
    );
  } else {
    const { definition } = match.mount.runtime;
    const status = match.allowed.length > 0 ? 405 : 404;
    const message =
      status === 405
        ? `${req.method} is not allowed here; use ${match.allowed.join(", ")}`
        : `No operation at ${url.pathname}`;
    const body = await definition.errorBody(
      status,
      { code: status === 405 ? "method_not_allowed" : "not_found", message },
      "req_none",
      new Date(),
    );
    response = Response.json(body, { status, headers: status === 405 ? { Allow: match.allowed.join(", ") } : {} });
  }
  await send(res, response);
}

async function toRequest(req: IncomingMessage, url: URL): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") return new Request(url, { method, headers });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Request(url, { method, headers, body: Buffer.concat(chunks) });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (body) headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
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
