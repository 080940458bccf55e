/** A credential the mock accepts, and what it may do. Secrets are compared, never logged. */
export interface KeyRecord {
  readonly id: string;
  secret: string;
  readonly label: string;
  status: "active" | "inactive";
  /** ISO 8601; the key answers 401 from this instant on. */
  expiresAt?: string | undefined;
  /** The only environment whose server accepts the key, for APIs with environments. */
  readonly environment?: string;
  /** The permissions the key holds; absent means every permission. */
  permissions?: readonly string[];
  /** Requests allowed per window; absent means the API's default. */
  rateLimit?: { requests: number; perSeconds: number };
  /** Free-form kind, such as Epsilon3's `team` or `personal`. */
  readonly kind?: string;
  lastUsedAt?: string | undefined;
}

/** A set of keys by secret, shared by an API's resolvers (GetKeyManager creates and rotates them). */
export class KeyRing<K extends KeyRecord = KeyRecord> {
  readonly #bySecret = new Map<string, K>();

  constructor(keys: Iterable<K> = []) {
    for (const key of keys) this.add(key);
  }

  add(key: K): K {
    this.#bySecret.set(key.secret, key);
    return key;
  }

  find(secret: string): K | undefined {
    return this.#bySecret.get(secret);
  }

  /** Gives a key a new secret; the old one stops working at once. */
  rotate(key: K, secret: string): void {
    this.#bySecret.delete(key.secret);
    key.secret = secret;
    this.#bySecret.set(secret, key);
  }

  all(): K[] {
    return [...this.#bySecret.values()];
  }
}
