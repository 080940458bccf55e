/**
 * The mock's own view of HTTP, smaller than Fetch's: a `Request` satisfies `MockRequest` as it is (MSW), and
 * the standalone server adapts Node's request without building a Fetch Request or Response per call.
 */
export interface MockRequest {
  readonly method: string;
  /** The absolute URL. */
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  /**
   * `url`, parsed already, where the adapter has it (the standalone server parses it to route the request): the
   * runtime reads it instead of parsing `url` again. Never changed by the runtime.
   */
  readonly parsedUrl?: URL;
  /**
   * The body as text. Given a `limit` in bytes, an implementation that reads a stream may stop past it and
   * reject with the 413 problem (`bodyTooLarge`); one that cannot (a Fetch `Request`) ignores it, and the
   * runtime checks the length once read.
   */
  text(limit?: number): Promise<string>;
}

export interface MockResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Serialised JSON, or undefined for no body. */
  readonly body: string | undefined;
  /** Fault injection: drop the connection instead of answering. */
  readonly drop?: boolean;
  /** Fault injection: send the body slowly, one chunk every this many milliseconds. */
  readonly slowBodyMs?: number;
}

/**
 * `{ ...first, ...second, … }` for header records: a new record, later sources winning, names in first-seen
 * order. Merging by object spread takes V8's slow path (microseconds, and a record that is slow to walk), and
 * every answer merges a few. A `__proto__` name stays a header name, as with spread.
 */
export function mergeHeaders(
  ...sources: readonly (Readonly<Record<string, string>> | undefined)[]
): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const source of sources) {
    if (source === undefined) continue;
    for (const name in source) {
      if (!Object.hasOwn(source, name)) continue;
      const value = source[name] as string;
      if (name === "__proto__") {
        Object.defineProperty(merged, name, { value, enumerable: true, writable: true, configurable: true });
      } else {
        merged[name] = value;
      }
    }
  }
  return merged;
}

const CHUNKS = 4;

/** The same answer as a Fetch `Response`, for MSW; the answer to a HEAD request has the headers and no body. */
export function toFetchResponse(answer: MockResponse, method = "GET"): Response {
  if (answer.drop) return Response.error();
  if (answer.body === undefined || method.toUpperCase() === "HEAD") {
    return new Response(null, { status: answer.status, headers: answer.headers });
  }
  if (!answer.slowBodyMs) return new Response(answer.body, { status: answer.status, headers: answer.headers });
  const bytes = new TextEncoder().encode(answer.body);
  const size = Math.ceil(bytes.length / CHUNKS);
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index >= bytes.length) return controller.close();
      await new Promise((resolve) => setTimeout(resolve, answer.slowBodyMs));
      controller.enqueue(bytes.slice(index, index + size));
      index += size;
    },
  });
  return new Response(stream, { status: answer.status, headers: answer.headers });
}

/** Splits a body into the chunks a slow answer sends, for the standalone server. */
export function bodyChunks(body: string): string[] {
  const size = Math.ceil(body.length / CHUNKS);
  return Array.from({ length: Math.ceil(body.length / size) }, (_, index) =>
    body.slice(index * size, (index + 1) * size),
  );
}
