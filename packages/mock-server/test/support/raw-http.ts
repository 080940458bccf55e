import { type IncomingHttpHeaders, request } from "node:http";

export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Every byte the server sent after the headers. */
  readonly body: Buffer;
  /** Whether the client had finished sending its body when the answer arrived. */
  readonly sentWholeBody: boolean;
}

export interface RawRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Chunks written one after the other; the request is ended after them unless `keepSending`. */
  readonly chunks?: readonly (string | Buffer)[];
  /** Keep the request open after the chunks (the answer must come before the body ends). */
  readonly keepSending?: boolean;
}

/** How long the connection may stay silent before the request fails: a server waiting for a body never sent. */
const SILENCE_MS = 10_000;

/**
 * One request with Node's own HTTP client, for what `fetch` hides: the exact bytes of a HEAD answer, an answer
 * that arrives while the body is still being sent, a `Content-Length` the body never reaches.
 */
export function rawRequest(url: string, options: RawRequest = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let sentWholeBody = false;
    const outgoing = request(url, { method: options.method ?? "GET", headers: options.headers ?? {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
          sentWholeBody,
        });
        outgoing.destroy();
      });
      response.on("error", reject);
    });
    // the server may close the connection while the rest of a refused body is still on its way
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNRESET" && error.code !== "EPIPE") reject(error);
    });
    outgoing.setTimeout(SILENCE_MS, () => {
      reject(new Error(`no answer from ${url} after ${SILENCE_MS} ms of silence`));
      outgoing.destroy();
    });
    outgoing.flushHeaders();
    for (const chunk of options.chunks ?? []) outgoing.write(chunk);
    if (!options.keepSending) outgoing.end(() => (sentWholeBody = true));
  });
}
