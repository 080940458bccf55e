import { ConnectionError } from "./errors/ConnectionError.js";

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
