import type { KeysmithError } from "./errors/KeysmithError.js";

/** The generated method a request belongs to: `erathos.workspaces.list()` is `listWorkspaces`, group `workspaces`, name `list`. */
export interface HookOperation {
  /** The operation's `operationId` in the API's description. */
  readonly id: string;
  /** The client property the method hangs on (`workspaces`). */
  readonly group: string;
  /** The method's name (`list`). */
  readonly name: string;
}

/** What every hook is told. Nothing in it is a secret: URLs and headers arrive redacted. */
export interface HookEvent {
  /** The API's name (`Erathos`). */
  readonly api: string;
  /** The generated method called; undefined for path-style calls through `fetchClient`. */
  readonly operation: HookOperation | undefined;
  /** 1 for the first attempt, 2 for the first retry, and so on (0 in `onError` when nothing was sent). */
  readonly attempt: number;
  readonly method: string;
  /** The request's URL, with credential query parameters (`api_key=…`) and any known key replaced by `[REDACTED]`. */
  readonly url: string;
}

/** An attempt about to be sent. */
export interface RequestHookEvent extends HookEvent {
  /** The headers the attempt carries, lower-cased; Authorization, cookies and the API's key headers read `[REDACTED]`. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Adds or replaces a header on this attempt (each attempt starts from the SDK's own headers, so set it
   * again on every call of the hook). Refuses, with a `ConfigurationError`, the headers the SDK owns:
   * Authorization, Proxy-Authorization, Cookie, the API's key headers and Idempotency-Key.
   * @example onRequest: ({ setHeader }) => setHeader("traceparent", tracer.currentTraceparent())
   */
  setHeader(name: string, value: string): void;
}

/** An attempt that got an answer, whatever its status (a 503 about to be retried too). */
export interface ResponseHookEvent extends HookEvent {
  readonly status: number;
  /** The answer's headers, lower-cased; Set-Cookie and anything echoing a key read `[REDACTED]`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Milliseconds from sending the attempt to its answer read (to its headers, for a streamed answer). */
  readonly durationMs: number;
}

/** A failure: an attempt without an answer that will be retried, or the error the call rejects with. */
export interface ErrorHookEvent extends HookEvent {
  /** The typed error (`ConnectionError`, `TimeoutError`, `NotFoundError`…): the very one the call throws when `retrying` is false. */
  readonly error: KeysmithError;
  /** True for an attempt's failure after which the SDK tries again; false for the call's own failure. */
  readonly retrying: boolean;
}

/**
 * Callbacks around every attempt a client sends, for tracing, metrics and logs: `onRequest` before each
 * attempt (retries included), `onResponse` after each attempt that got an answer, `onError` for each attempt
 * that failed without one and is retried, and once for the error the call throws. Hooks are awaited, each
 * call bounded by `timeout` and by the call's `deadline` and `signal`. A hook that throws, rejects or does
 * not settle in time fails the call with a `HookError` naming it and the operation (its error as `cause`).
 * Client hooks run first, then the call's own (`RequestOptions.hooks`).
 *
 * @example
 * new Erathos({
 *   hooks: {
 *     onRequest: ({ setHeader }) => setHeader("x-trace-id", crypto.randomUUID()),
 *     onResponse: ({ operation, attempt, status, durationMs }) => metrics.record(operation?.id, attempt, status, durationMs),
 *     onError: ({ error, retrying }) => retrying || log.warn(error.message),
 *   },
 * });
 */
export interface Hooks {
  /** Before each attempt; `setHeader` adds headers (tracing…) to it. */
  onRequest?: (event: RequestHookEvent) => void | Promise<void>;
  /** After each attempt that got an answer: its status, headers and duration. */
  onResponse?: (event: ResponseHookEvent) => void | Promise<void>;
  /** After an attempt that failed without an answer and will be retried, and once with the error the call throws. */
  onError?: (event: ErrorHookEvent) => void | Promise<void>;
}
