import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A request as the hostile server saw it. */
export interface SeenRequest {
  readonly method: string;
  /** The path after the behaviour's name, with its query. */
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** What the server does with one request: the request, its number for this behaviour (1, 2…), and the server. */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, hit: number, server: HostileServer) => void;

/**
 * One loopback HTTP server with scripted misbehaviour, chosen by the first path segment: a client pointed at
 * `${origin}/<name>` meets behaviour `<name>` for every request. It records what arrives, per behaviour, and
 * tears down stalled connections when closed.
 */
export class HostileServer {
  readonly seen = new Map<string, SeenRequest[]>();
  readonly #behaviours = new Map<string, Behaviour>();
  readonly #sockets = new Set<Socket>();
  readonly #waiters: { name: string; count: number; resolve: () => void }[] = [];
  readonly #server: Server;
  origin = "";

  constructor() {
    this.#server = createServer((req, res) => this.#handle(req, res));
    this.#server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** Registers a behaviour and returns the base URL that reaches it. */
  on(name: string, behaviour: Behaviour): string {
    this.#behaviours.set(name, behaviour);
    this.seen.set(name, []);
    return `${this.origin}/${name}`;
  }

  hits(name: string): readonly SeenRequest[] {
    return this.seen.get(name) ?? [];
  }

  /** Resolves once `count` requests have reached behaviour `name` (an event to wait on, not a poll). */
  reached(name: string, count = 1): Promise<void> {
    if (this.hits(name).length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ name, count, resolve }));
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? "/";
    const [, name = "", ...rest] = url.split("/");
    const behaviour = this.#behaviours.get(name.split("?")[0] ?? "");
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (!behaviour) {
        res.writeHead(404).end();
        return;
      }
      const list = this.seen.get(name) ?? [];
      list.push({
        method: req.method ?? "GET",
        path: `/${rest.join("/")}`,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      behaviour(req, res, list.length, this);
      for (const waiter of this.#waiters.filter(
        (candidate) => candidate.name === name && candidate.count <= list.length,
      )) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  }
}

/** Headers, then part of a JSON body, then nothing: the connection stays open. */
export const stallMidBody =
  (status: number): Behaviour =>
  (_req, res) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.write('{"partial": ');
  };

/** Never answers. */
export const stallBeforeHeaders: Behaviour = () => undefined;

/** Headers and part of the body, then the connection is reset. */
export const resetMidBody =
  (status: number): Behaviour =>
  (_req, res) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.write('{"error": {"message": "trunc', () => res.socket?.destroy());
  };

/** Promises 1000 bytes, sends 20 and ends the connection. */
export const truncated: Behaviour = (_req, res) => {
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "1000" });
  res.write('{"items": [1, 2, 3, ', () => res.socket?.end());
};

/** A JSON answer. */
export const answer =
  (status: number, body: unknown, headers: Record<string, string> = {}): Behaviour =>
  (_req, res) => {
    const text = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": String(text.length), ...headers });
    res.end(text);
  };

/** A 200 whose JSON body never ends: chunks of 64 KiB for as long as the client reads. */
export const endless: Behaviour = (_req, res) => {
  res.writeHead(200, { "Content-Type": "application/json" });
  const chunk = Buffer.alloc(64 * 1024, " ");
  res.write("[");
  const pump = () => {
    while (res.write(chunk)) {
      if (res.destroyed) return;
    }
    res.once("drain", pump);
  };
  res.on("close", () => res.removeAllListeners("drain"));
  pump();
};
