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

/** The bytes read of each settled answer, and their text once decoded. */
const settledBodies = new WeakMap<Response, { readonly bytes: Uint8Array; text?: string; stream?: ReadableStream }>();

function bodyOf(response: Response): { readonly bytes: Uint8Array; text?: string; stream?: ReadableStream } {
  const body = settledBodies.get(response);
  if (!body) throw new TypeError("not a settled response");
  return body;
}

function textOf(response: Response): string {
  const body = bodyOf(response);
  body.text ??= decoder.decode(body.bytes);
  return body.text;
}

/** The body methods of a settled answer: shared by every answer (no closure per call), its bytes looked up. */
const SETTLED: PropertyDescriptorMap = {
  body: {
    get(this: Response) {
      const body = bodyOf(this);
      body.stream ??= new ReadableStream<Uint8Array>({
        start(controller) {
          if (body.bytes.byteLength > 0) controller.enqueue(body.bytes.slice());
          controller.close();
        },
      });
      return body.stream;
    },
  },
  bodyUsed: { get: () => false },
  text: {
    value(this: Response) {
      return Promise.resolve().then(() => textOf(this));
    },
  },
  json: {
    value(this: Response) {
      return Promise.resolve().then(() => JSON.parse(textOf(this)));
    },
  },
  arrayBuffer: {
    value(this: Response) {
      return Promise.resolve(bodyOf(this).bytes.slice().buffer);
    },
  },
  bytes: {
    value(this: Response) {
      return Promise.resolve(bodyOf(this).bytes.slice());
    },
  },
  blob: {
    value(this: Response) {
      return Promise.resolve(new Blob([bodyOf(this).bytes.slice()], { type: this.headers.get("content-type") ?? "" }));
    },
  },
  formData: {
    value(this: Response) {
      return new Response(bodyOf(this).bytes.slice(), { headers: this.headers }).formData();
    },
  },
  clone: {
    value(this: Response) {
      const twin = new Response(null, { status: this.status, statusText: this.statusText, headers: this.headers });
      if (this.url) Object.defineProperty(twin, "url", { value: this.url });
      return settled(twin, bodyOf(this).bytes);
    },
  },
};

/**
 * For each prototype answers come with (the runtime's Response, a subclass a custom fetch returns), the same
 * prototype with the body methods above: an answer is settled by switching its prototype, one step, rather than
 * defining nine properties on it.
 */
const settledPrototypes = new WeakMap<object, object>();

/**
 * The answer, its body methods serving `bytes`. The same object is kept rather than a `new Response(bytes)`:
 * on Node 20 rebuilding one and reading it back through a stream costs about as much again as the parse.
 */
function settled(response: Response, bytes: Uint8Array): Response {
  // settled already (a custom `fetch` that hands back the same answer again): its methods are in place
  const again = settledBodies.has(response);
  settledBodies.set(response, { bytes });
  if (again) return response;
  const prototype = Object.getPrototypeOf(response) as object;
  let settledPrototype = settledPrototypes.get(prototype);
  if (!settledPrototype) {
    settledPrototype = Object.create(prototype, SETTLED) as object;
    settledPrototypes.set(prototype, settledPrototype);
  }
  return Object.setPrototypeOf(response, settledPrototype) as Response;
}

/** A settled answer's text, at once (no turn of the event loop); `undefined` for any other answer. */
export function settledText(response: Response): string | undefined {
  return settledBodies.has(response) ? textOf(response) : undefined;
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

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as { code?: unknown } | undefined;
    return typeof cause?.code === "string" ? `${error.message}: ${cause.code}` : error.message;
  }
  return String(error);
}
