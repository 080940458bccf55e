/** One delivery waiting for the consumer, with the acknowledgement to send once it is taken. */
interface Pending<T> {
  readonly id: string | undefined;
  readonly value: T;
  ack: Acknowledge;
}

/** Sends an acknowledgement: the socket's ack function. */
export type Acknowledge = (answer: unknown) => void;

/** What `offer` did with a delivery. */
export type OfferResult = "queued" | "duplicate" | "overflow";

/** How many delivered ids are remembered to drop repeats. */
const REMEMBERED_IDS = 10_000;

/**
 * The bounded queue between a socket and its consumer. Acknowledges each delivery (with `takenAck`) only
 * when the consumer takes it; drops repeats by id (acknowledging them again, so the server can forget them;
 * a repeat of one still queued just refreshes its acknowledgement). When full, it stops taking deliveries
 * (they stay unacknowledged, so the server keeps them) until the consumer has emptied it, then calls
 * `resync` so the connection can be re-opened and the server deliver them again, in order.
 */
export class DeliveryBuffer<T> {
  readonly #capacity: number;
  readonly #takenAck: unknown;
  readonly #resync: (left: number) => void;
  readonly #queue: Pending<T>[] = [];
  #head = 0;
  /** Ids seen: queued ones map to their delivery, delivered ones to null. */
  readonly #seen = new Map<string, Pending<T> | null>();
  /** The delivered ids in arrival order, as a ring, to forget the oldest in constant time. */
  readonly #order: (string | undefined)[] = new Array(REMEMBERED_IDS);
  #cursor = 0;
  #overflowed = 0;
  #waiter: ((item: Pending<T> | undefined) => void) | undefined;
  #failure: unknown;
  #closed = false;

  constructor(capacity: number, takenAck: unknown, resync: (left: number) => void) {
    this.#capacity = capacity;
    this.#takenAck = takenAck;
    this.#resync = resync;
  }

  offer(id: string | undefined, value: T, ack: Acknowledge): OfferResult {
    if (this.#closed) return "overflow";
    if (id !== undefined) {
      const seen = this.#seen.get(id);
      if (seen === null) {
        ack(this.#takenAck);
        return "duplicate";
      }
      if (seen) {
        seen.ack = ack;
        return "duplicate";
      }
    }
    if (this.#overflowed > 0 || this.#queue.length - this.#head >= this.#capacity) {
      this.#overflowed += 1;
      return "overflow";
    }
    const item: Pending<T> = { id, value, ack };
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter(item);
      return "queued";
    }
    this.#queue.push(item);
    if (id !== undefined) this.#seen.set(id, item);
    return "queued";
  }

  /**
   * The next delivery as an iterator result, acknowledged as it is handed over; done once closed; rejects
   * after `fail`. One promise per delivery: this is the hot path of a notification stream.
   */
  next(): Promise<IteratorResult<T, undefined>> {
    const item = this.#shift();
    if (item) return Promise.resolve(this.#handOver(item));
    this.#maybeResync();
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.resolve({ done: true, value: undefined });
    return new Promise<Pending<T> | undefined>((resolve) => {
      this.#waiter = resolve;
    }).then((waited) => {
      if (waited) return this.#handOver(waited);
      if (this.#failure !== undefined) throw this.#failure;
      return { done: true, value: undefined };
    });
  }

  /** Ends the stream with an error for the consumer, after what is queued. */
  fail(error: unknown): void {
    this.#failure = error;
    this.close();
  }

  close(): void {
    this.#closed = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.(undefined);
  }

  #shift(): Pending<T> | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const item = this.#queue[this.#head];
    this.#queue[this.#head] = undefined as never;
    this.#head += 1;
    // compact once the consumed front outweighs what is left
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    return item;
  }

  #handOver(item: Pending<T>): IteratorResult<T, undefined> {
    const { id } = item;
    if (id !== undefined) {
      const oldest = this.#order[this.#cursor];
      if (oldest !== undefined) this.#seen.delete(oldest);
      this.#order[this.#cursor] = id;
      this.#cursor = (this.#cursor + 1) % REMEMBERED_IDS;
      this.#seen.set(id, null);
    }
    item.ack(this.#takenAck);
    return { done: false, value: item.value };
  }

  #maybeResync(): void {
    if (this.#overflowed === 0 || this.#closed) return;
    const left = this.#overflowed;
    this.#overflowed = 0;
    this.#resync(left);
  }
}
