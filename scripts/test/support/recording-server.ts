import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as it arrived on the wire. */
export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** What to answer: a status, headers and a body (bytes, text, or JSON). */
export interface Reply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string | object;
}

/**
 * A plain node:http server on loopback that records every request and answers from a handler, for checking
 * what a generated client really sends: no Keysmith code, no MSW.
 */
export async function recordingServer(
  handler: (request: Recorded) => Reply | Promise<Reply> = () => ({ status: 200, body: {} }),
): Promise<{ url: string; requests: Recorded[]; reply: (next: typeof handler) => void; close: () => Promise<void> }> {
  const requests: Recorded[] = [];
  let current = handler;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const recorded = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      const reply = await current(recorded);
      const body =
        reply.body === undefined
          ? undefined
          : Buffer.isBuffer(reply.body) || typeof reply.body === "string"
            ? reply.body
            : JSON.stringify(reply.body);
      const type = reply.body !== undefined && typeof reply.body === "object" && !Buffer.isBuffer(reply.body);
      response.writeHead(reply.status ?? 200, {
        ...(type ? { "Content-Type": "application/json" } : {}),
        ...reply.headers,
      });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    reply: (next) => {
      current = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
