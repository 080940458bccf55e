import { type MockResponse, mergeHeaders } from "./mock-http.js";

const REPLAYED: Readonly<Record<string, string>> = { "Idempotent-Replayed": "true" };

/**
 * Writes that carried an `Idempotency-Key`, by key, operation and idempotency key: the first success is replayed
 * to every retry (marked `Idempotent-Replayed: true`), and a retry that overtakes its original waits for it.
 */
export class IdempotentReplays {
  /** First successful answers, replayed for the same key and operation. */
  readonly #answered = new Map<string, MockResponse>();
  /** Writes still being answered. */
  readonly #inFlight = new Map<string, Promise<MockResponse>>();

  /** The replay for `replayKey` with this request's own `headers`, at once or once its original is answered. */
  find(replayKey: string, headers: Readonly<Record<string, string>>): MockResponse | Promise<MockResponse> | undefined {
    const replay = this.#answered.get(replayKey);
    if (replay) return replayed(replay, headers);
    return this.#inFlight.get(replayKey)?.then((first) => replayed(first, headers));
  }

  /** Runs the original write: retries meanwhile wait for `work`, and a success is kept to be replayed. */
  async run(replayKey: string, work: Promise<MockResponse>): Promise<MockResponse> {
    this.#inFlight.set(replayKey, work);
    try {
      const answer = await work;
      if (answer.status < 300) this.#answered.set(replayKey, answer);
      return answer;
    } finally {
      this.#inFlight.delete(replayKey);
    }
  }

  clear(): void {
    this.#answered.clear();
    this.#inFlight.clear();
  }
}

/** The first answer again, with this request's own headers and the mark that it is a replay. */
function replayed(first: MockResponse, headers: Readonly<Record<string, string>>): MockResponse {
  return { ...first, headers: mergeHeaders(first.headers, headers, REPLAYED) };
}
