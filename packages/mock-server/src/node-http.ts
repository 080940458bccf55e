import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyChunks, type MockRequest, type MockResponse } from "./core/mock-http.js";

/** Node's request as the mock reads it: no Fetch `Request` is built per call. */
export function nodeRequest(req: IncomingMessage, url: URL): MockRequest {
  let body: Promise<string> | undefined;
  return {
    method: req.method ?? "GET",
    url: url.href,
    headers: {
      get(name) {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
    },
    text: () => {
      body ??= readBody(req);
      return body;
    },
  };
}

export function readBody(req: IncomingMessage): Promise<string> {
  if (req.method === "GET" || req.method === "HEAD") return Promise.resolve("");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Writes a mock answer, including the injected faults: a dropped connection, a slow body. */
export function writeAnswer(res: ServerResponse, answer: MockResponse): void {
  if (answer.drop) {
    res.socket?.destroy();
    return;
  }
  if (answer.body === undefined) {
    res.writeHead(answer.status, answer.headers);
    res.end();
    return;
  }
  if (!answer.slowBodyMs) {
    res.writeHead(answer.status, { ...answer.headers, "Content-Length": String(Buffer.byteLength(answer.body)) });
    res.end(answer.body);
    return;
  }
  res.writeHead(answer.status, answer.headers);
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
  writeAnswer(res, { status, headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
}
