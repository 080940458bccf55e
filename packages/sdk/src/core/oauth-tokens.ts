import { AbortError } from "./errors/AbortError.js";
import { ConnectionError } from "./errors/ConnectionError.js";
import { AuthenticationError } from "./errors/status-errors.js";
import { TimeoutError } from "./errors/TimeoutError.js";
import { registerSecret } from "./redact.js";

/** What the client-credentials flow needs from a client's configuration. */
export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[] | undefined;
}

interface Cached {
  readonly token: Promise<string>;
  /** When to fetch a new one: shortly before the server's expiry. */
  expiresAt: number;
}

/** Refresh this long before a token's `expires_in` ends (or a tenth of its life, if shorter). */
const EARLY_MS = 60_000;

/**
 * OAuth2 access tokens by the client-credentials flow (RFC 6749 §4.4): one token request per token URL and
 * client at a time (concurrent calls share it), the token reused until shortly before it expires, a fresh
 * one on demand after a 401. The client authenticates with HTTP Basic (its id and secret); the secret and
 * every token are registered for redaction. A token request is bounded by the call's timeout and signal.
 */
export class OAuthTokens {
  readonly #cache = new Map<string, Cached>();
  readonly #fetch: (request: Request) => Promise<Response>;
  readonly #timeout: number;

  constructor(options: { fetch?: ((request: Request) => Promise<Response>) | undefined; timeout: number }) {
    this.#fetch = options.fetch ?? ((request) => globalThis.fetch(request));
    this.#timeout = options.timeout;
  }

  /** A token for this client at this token URL; `fresh` forgets the cached one first (after a 401). */
  token(tokenUrl: string, client: OAuthClient, signal: AbortSignal | undefined, fresh: boolean): Promise<string> {
    const key = `${tokenUrl} ${client.clientId} ${client.scopes?.join(" ") ?? ""}`;
    const cached = this.#cache.get(key);
    if (cached && !fresh && Date.now() < cached.expiresAt) return cached.token;
    const entry: Cached = { token: Promise.resolve(""), expiresAt: Number.POSITIVE_INFINITY };
    const token = this.#request(tokenUrl, client, signal).then(
      ({ token, lifetimeMs }) => {
        entry.expiresAt = Date.now() + lifetimeMs - Math.min(EARLY_MS, lifetimeMs / 10);
        return token;
      },
      (error: unknown) => {
        if (this.#cache.get(key) === entry) this.#cache.delete(key); // the next call tries again
        throw error;
      },
    );
    Object.assign(entry, { token });
    this.#cache.set(key, entry);
    return token;
  }

  async #request(
    tokenUrl: string,
    client: OAuthClient,
    signal: AbortSignal | undefined,
  ): Promise<{ token: string; lifetimeMs: number }> {
    const body = new URLSearchParams({ grant_type: "client_credentials" });
    if (client.scopes?.length) body.set("scope", client.scopes.join(" "));
    const basic = btoa(
      String.fromCharCode(
        ...new TextEncoder().encode(
          `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`,
        ),
      ),
    );
    const timeout = AbortSignal.timeout(this.#timeout);
    const where = `POST ${tokenUrl.split("?")[0]}`;
    let response: Response;
    try {
      response = await this.#fetch(
        new Request(tokenUrl, {
          method: "POST",
          headers: {
            Authorization: `Basic ${basic}`,
            "Content-Type": "application/x-www-form-urlencoded",
            Accept: "application/json",
          },
          body,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        }),
      );
    } catch (error) {
      if (signal?.aborted) throw new AbortError(`${where} (the OAuth2 token request) aborted`, { cause: error });
      if (timeout.aborted) throw new TimeoutError(`${where} (the OAuth2 token request) took over ${this.#timeout} ms`);
      throw new ConnectionError(`${where}: the OAuth2 token request failed`, { cause: error });
    }
    const text = await response.text();
    let answer: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
    try {
      answer = JSON.parse(text);
    } catch {
      // reported below
    }
    if (!response.ok || typeof answer.access_token !== "string" || answer.access_token === "") {
      const reason =
        typeof answer.error === "string"
          ? `${answer.error}${typeof answer.error_description === "string" ? `: ${answer.error_description}` : ""}`
          : "no access_token in the answer";
      throw new AuthenticationError(`the OAuth2 token request was refused (${reason})`, {
        status: response.status,
        headers: response.headers,
        code: typeof answer.error === "string" ? answer.error : undefined,
        requestId: undefined,
        body: undefined,
        method: "POST",
        url: tokenUrl.split("?")[0] ?? tokenUrl,
      });
    }
    registerSecret(answer.access_token);
    const seconds = Number(answer.expires_in);
    return {
      token: answer.access_token,
      lifetimeMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3_600_000,
    };
  }
}
