import { ConnectionError } from "./errors/ConnectionError.js";
import { KeysmithError } from "./errors/KeysmithError.js";
import { ResponseTooLargeError } from "./errors/ResponseTooLargeError.js";

const decoder = new TextDecoder();

/** Statuses whose answers have no body by definition. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * Reads an answer's whole body while the attempt lasts: `ended` (rejected with `signal`'s reason when the
 * attempt's timeout, the call's deadline or the caller's signal ends it) ends a body that stalls, and reading
 * stops past `limit` bytes. Returns the same
 * answer with its body in memory, so that parsing it later cannot wait on the network.
 */
export async function bufferResponse(
  response: Response,
  limit: number,
  ended: Promise<never>,
  signal: AbortSignal,
  where: string,
): Promise<Response> {
  const { body } = response;
  if (!body || NULL_BODY.has(response.status)) return response;
  return settled(response, await readAll(body, response, limit, ended, signal, where));
}

/**
 * The answer, its body methods serving `bytes`. The same object is kept rather than a `new Response(bytes)`:
 * on Node 20 rebuilding one and reading it back through a stream costs about as much again as the parse.
 */
function settled(response: Response, bytes: Uint8Array): Response {
  let text: string | undefined;
  let stream: ReadableStream<Uint8Array> | undefined;
  const asText = () => {
    text ??= decoder.decode(bytes);
    return text;
  };
  const copy = () => bytes.slice();
  Object.defineProperties(response, {
    body: {
      get: () => {
        stream ??= new ReadableStream<Uint8Array>({
          start(controller) {
            if (bytes.byteLength > 0) controller.enqueue(copy());
            controller.close();
          },
        });
        return stream;
      },
    },
    bodyUsed: { get: () => false },
    text: { value: async () => asText() },
    json: { value: async () => JSON.parse(asText()) },
    arrayBuffer: { value: async () => copy().buffer },
    bytes: { value: async () => copy() },
    blob: { value: async () => new Blob([copy()], { type: response.headers.get("content-type") ?? "" }) },
    clone: {
      value: () => {
        const twin = new Response(null, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
        if (response.url) Object.defineProperty(twin, "url", { value: response.url });
        return settled(twin, bytes);
      },
    },
  });
  return response;
}

async function readAll(
  body: ReadableStream<Uint8Array>,
  response: Response,
  limit: number,
  ended: Promise<never>,
  signal: AbortSignal,
  where: string,
): Promise<Uint8Array> {
  const tooLarge = () =>
    new ResponseTooLargeError(
      `${where}: the ${response.status} answer is larger than maxResponseBytes (${limit} bytes); reading stopped`,
      response.status,
      limit,
    );
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > limit) {
    void body.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const broke = (error: unknown) => {
    if (signal.aborted) return signal.reason;
    if (error instanceof KeysmithError) return error;
    return new ConnectionError(
      `${where}: the connection broke while reading the ${response.status} answer (${describeError(error)})`,
      { cause: error },
    );
  };
  // a declared length within the limit: read in one go (the fetch enforces the length)
  if (declared >= 0) {
    try {
      return new Uint8Array(await Promise.race([response.arrayBuffer(), ended]));
    } catch (error) {
      void body.cancel().catch(() => undefined);
      throw broke(error);
    }
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), ended]);
      if (done) break;
      total += value.byteLength;
      if (total > limit) throw tooLarge();
      chunks.push(value);
    }
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    throw broke(error);
  }
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * An answer whose body the caller reads as a stream: each read must bring bytes within `idle` ms, and the
 * stream fails with the call's typed reason when `signal` ends it. `release` runs once the stream is done,
 * failed or cancelled.
 */
export function streamResponse(
  response: Response,
  signal: AbortSignal,
  idle: number,
  where: string,
  release: () => void,
  timeoutError: () => Error,
): Response {
  const source = response.body;
  if (!source) {
    release();
    return response;
  }
  const reader = source.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onEnd: (() => void) | undefined;
  const finish = () => {
    clearTimeout(timer);
    if (onEnd) signal.removeEventListener("abort", onEnd);
    release();
  };
  let failed = false;
  const stream = new ReadableStream<Uint8Array>({
    pull: (controller) =>
      new Promise<void>((resolve) => {
        // one outcome per pull: a timeout or the call's end, or what the read brings, whichever comes first
        let settled = false;
        const settle = (outcome: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (onEnd) signal.removeEventListener("abort", onEnd);
          outcome();
          resolve();
        };
        const fail = (error: unknown) =>
          settle(() => {
            failed = true;
            void reader.cancel().catch(() => undefined);
            finish();
            controller.error(error);
          });
        onEnd = () => fail(signal.reason);
        if (signal.aborted) return onEnd();
        signal.addEventListener("abort", onEnd, { once: true });
        timer = setTimeout(() => fail(timeoutError()), idle);
        reader.read().then(
          ({ done, value }) =>
            settle(() => {
              if (!done) return controller.enqueue(value);
              finish();
              controller.close();
            }),
          (error: unknown) =>
            fail(
              signal.aborted
                ? signal.reason
                : new ConnectionError(`${where}: the connection broke while streaming the answer`, { cause: error }),
            ),
        );
      }),
    cancel: (reason) => {
      finish();
      return failed ? undefined : reader.cancel(reason);
    },
  });
  const streamed = new Response(stream, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  if (response.url) Object.defineProperty(streamed, "url", { value: response.url });
  return streamed;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as { code?: unknown } | undefined;
    return typeof cause?.code === "string" ? `${error.message}: ${cause.code}` : error.message;
  }
  return String(error);
}
