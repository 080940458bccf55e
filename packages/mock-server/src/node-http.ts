import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { bodyTooLarge } from "./core/body-limit.js";
import { bodyChunks, type MockRequest, type MockResponse, mergeHeaders } from "./core/mock-http.js";

/** Node's request as the mock reads it: no Fetch `Request` is built per call. */
export function nodeRequest(req: IncomingMessage, url: URL): MockRequest {
  return new NodeRequest(req, url);
}

class NodeRequest implements MockRequest {
  readonly method: string;
  readonly url: string;
  readonly parsedUrl: URL;
  readonly headers: NodeHeaders;
  readonly #req: IncomingMessage;
  #body: Promise<string> | undefined;

  constructor(req: IncomingMessage, url: URL) {
    this.method = req.method ?? "GET";
    this.url = url.href;
    this.parsedUrl = url;
    this.headers = new NodeHeaders(req.headers);
    this.#req = req;
  }

  text(limit?: number): Promise<string> {
    this.#body ??= readBody(this.#req, limit);
    return this.#body;
  }
}

class NodeHeaders {
  readonly #headers: IncomingHttpHeaders;

  constructor(headers: IncomingHttpHeaders) {
    this.#headers = headers;
  }

  get(name: string): string | null {
    const value = this.#headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }
}

/**
 * The body as UTF-8 text. Past `limit` bytes it stops collecting, discards the rest as it arrives, and
 * rejects with the 413 problem; the answer then closes the connection (see `writeAnswer`).
 */
export function readBody(req: IncomingMessage, limit = Number.POSITIVE_INFINITY): Promise<string> {
  if (req.method === "GET" || req.method === "HEAD") return Promise.resolve("");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      req.off("data", onData);
      req.off("end", onEnd);
      req.resume();
      reject(bodyTooLarge(limit));
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString("utf8"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.once("error", reject);
  });
}

/**
 * Whether a request has a body, arrived or to come: a request has one only with `Content-Length` (not 0) or
 * `Transfer-Encoding` (RFC 9112 §6.3). One without is complete once its headers are read, even where Node has not
 * yet marked it complete (inside its `request` event, as when the mock answers at once).
 */
export function carriesBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/** How much of a refused body the server still reads and drops, and for how long, before cutting the connection. */
const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_MS = 10_000;

/**
 * Reads and drops the rest of a body the mock answered before it arrived. Closing at once would reset the
 * connection under a client still sending, which then loses the answer (EPIPE) instead of reading the 413:
 * RFC 9112 §9.6 asks a server to keep reading. Past `DRAIN_BYTES` or `DRAIN_MS` the connection is cut.
 */
function drainRest(res: ServerResponse): void {
  const { req } = res;
  let drained = 0;
  const cut = () => res.socket?.destroy();
  const timer = setTimeout(cut, DRAIN_MS);
  timer.unref();
  const stop = () => clearTimeout(timer);
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) cut();
  });
  req.once("end", stop);
  req.once("close", stop);
  req.resume();
}

/**
 * Writes a mock answer, including the injected faults: a dropped connection, a slow body. `extra` headers (the
 * server's CORS headers) are added to the answer's, and win over them.
 */
export function writeAnswer(res: ServerResponse, answer: MockResponse, extra?: Readonly<Record<string, string>>): void {
  if (answer.drop) {
    res.socket?.destroy();
    return;
  }
  // answered before its body arrived (refused, or too large): the rest is read and dropped (a bounded amount)
  if (!res.req.complete && carriesBody(res.req)) drainRest(res);
  if (answer.body === undefined) {
    res.writeHead(answer.status, extra ? mergeHeaders(answer.headers, extra) : answer.headers);
    res.end();
    return;
  }
  if (!answer.slowBodyMs) {
    const headers = mergeHeaders(answer.headers, extra);
    headers["Content-Length"] = String(Buffer.byteLength(answer.body));
    res.writeHead(answer.status, headers);
    res.end(answer.body);
    return;
  }
  res.writeHead(answer.status, extra ? mergeHeaders(answer.headers, extra) : answer.headers);
  const chunks = bodyChunks(answer.body);
  const next = () => {
    const chunk = chunks.shift();
    if (chunk === undefined) res.end();
    else res.write(chunk, () => setTimeout(next, answer.slowBodyMs));
  };
  setTimeout(next, answer.slowBodyMs);
}

export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  writeAnswer(res, {
    status,
    headers: mergeHeaders({ "Content-Type": "application/json" }, headers),
    body: JSON.stringify(body),
  });
}
