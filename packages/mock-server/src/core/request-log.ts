/** One line of a key's request log (GetKeyManager's Logs page, for every API). */
export interface RequestLogEntry {
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly status: number;
  readonly requestId: string;
}

/** How many lines each key's log keeps: the newest. */
const LOG_LIMIT = 200;

/** The requests made with each key (by its id), newest last, at most the last 200 per key. */
export class RequestLog {
  readonly #byKey = new Map<string, RequestLogEntry[]>();

  record(keyId: string, entry: RequestLogEntry): void {
    let log = this.#byKey.get(keyId);
    if (!log) {
      log = [];
      this.#byKey.set(keyId, log);
    }
    log.push(entry);
    if (log.length > LOG_LIMIT) log.shift();
  }

  of(keyId: string): readonly RequestLogEntry[] {
    return this.#byKey.get(keyId) ?? [];
  }

  clear(): void {
    this.#byKey.clear();
  }
}
