/** One delivery waiting for the consumer, with the acknowledgement to send once it is taken. */
interface Pending<T> {
  readonly id: string | undefined;
  readonly value: T;
  ack: () => void;
}

/** What `offer` did with a delivery. */
export type OfferResult = "queued" | "duplicate" | "overflow";

/** How many delivered ids are remembered to drop repeats. */
const REMEMBERED_IDS = 10_000;

/**
 * The bounded queue between a socket and its consumer. Acknowledges each delivery only when the consumer
 * takes it; drops repeats by id (acknowledging them again, so the server can forget them; a repeat of one
 * still queued just refreshes its acknowledgement). When full, it stops taking deliveries (they stay
 * unacknowledged, so the server keeps them) until the consumer has emptied it, then calls `resync` so the
 * connection can be re-opened and the server deliver them again, in order.
 */
export class DeliveryBuffer<T> {
  readonly #capacity: number;
  readonly #resync: (left: number) => void;
  readonly #queue: Pending<T>[] = [];
  readonly #queued = new Map<string, Pending<T>>();
  readonly #delivered = new Set<string>();
  #overflowed = 0;
  #waiter: ((item: Pending<T> | undefined) => void) | undefined;
  #failure: unknown;
  #closed = false;

  constructor(capacity: number, resync: (left: number) => void) {
    this.#capacity = capacity;
    this.#resync = resync;
  }

  offer(id: string | undefined, value: T, ack: () => void): OfferResult {
    if (this.#closed) return "overflow";
    if (id !== undefined) {
      if (this.#delivered.has(id)) {
        ack();
        return "duplicate";
      }
      const queued = this.#queued.get(id);
      if (queued) {
        queued.ack = ack;
        return "duplicate";
      }
    }
    if (this.#overflowed > 0 || this.#queue.length >= this.#capacity) {
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
    if (id !== undefined) this.#queued.set(id, item);
    return "queued";
  }

  /** The next delivery, acknowledged as it is handed over; undefined once closed; throws after `fail`. */
  async take(): Promise<T | undefined> {
    let item = this.#queue.shift();
    if (item) {
      if (item.id !== undefined) this.#queued.delete(item.id);
    } else {
      this.#maybeResync();
      if (this.#failure !== undefined) throw this.#failure;
      if (this.#closed) return undefined;
      item = await new Promise<Pending<T> | undefined>((resolve) => {
        this.#waiter = resolve;
      });
      if (!item) {
        if (this.#failure !== undefined) throw this.#failure;
        return undefined;
      }
    }
    this.#remember(item.id);
    item.ack();
    return item.value;
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

  #maybeResync(): void {
    if (this.#overflowed === 0 || this.#closed) return;
    const left = this.#overflowed;
    this.#overflowed = 0;
    this.#resync(left);
  }

  #remember(id: string | undefined): void {
    if (id === undefined) return;
    this.#delivered.add(id);
    if (this.#delivered.size > REMEMBERED_IDS) {
      const oldest = this.#delivered.values().next().value;
      if (oldest !== undefined) this.#delivered.delete(oldest);
    }
  }
}
