import type { ApiDefinition, AuthScheme, OperationDefinition } from "./api-definition.js";
import { type ApiKeyOption, type CredentialSource, findCredentialSource } from "./credential-source.js";
import type { Environment } from "./environment.js";
import { CredentialExpiredError } from "./errors/CredentialExpiredError.js";
import { InvalidCredentialError } from "./errors/InvalidCredentialError.js";
import { MissingCredentialError } from "./errors/MissingCredentialError.js";
import { PermissionDeniedError } from "./errors/status-errors.js";
import { type Expiry, findExpiry } from "./expiry.js";
import type { checkKeyRules } from "./key-rules.js";
import type { SdkLogger } from "./logger.js";
import { registerSecret } from "./redact.js";
import { type Security, styleOf } from "./security.js";

const DAY_MS = 86_400_000;
/** The longest key or token accepted: servers commonly refuse headers past 8 KiB in all. */
export const MAX_KEY_LENGTH = 4096;

export interface CredentialOptions {
  readonly apiKey?: ApiKeyOption;
  readonly expiresAt?: Date | string | number;
  /** How long before expiry to warn, in milliseconds. Default 7 days. */
  readonly expiryWarning?: number;
  readonly onCredentialExpiring?: (status: CredentialStatus) => void;
  readonly permissions?: readonly string[];
}

/** What `client.credentials.status()` reports: never the key itself. */
export interface CredentialStatus {
  /** Where the key came from: an option, an environment variable's name, a `…_FILE` variable and path. */
  readonly source: string | undefined;
  /** How it is sent, such as `Authorization: Basic (key as username, blank password)`. */
  readonly style: string;
  readonly expiresAt: string | undefined;
  readonly expirySource: string | undefined;
  /** Milliseconds left; negative once expired. */
  readonly expiresIn: number | undefined;
  readonly state: "valid" | "expiring" | "expired" | "no-expiry" | "none";
  readonly environment: string | undefined;
  readonly permissions: readonly string[] | undefined;
  /** Each security scheme of the API: how it is sent, and where its credential comes from (none: undefined). */
  readonly schemes: Readonly<Record<string, { readonly style: string; readonly source: string | undefined }>>;
}

/**
 * The client's credential: found once (option, env var, `…_FILE`), checked before every request (format,
 * environment, expiry, permissions), warned about once as expiry nears. Functions are called per request
 * so rotated keys are picked up; each new value is checked again.
 */
export class Credentials {
  readonly #api: ApiDefinition;
  readonly #source: CredentialSource | undefined;
  readonly #options: CredentialOptions;
  readonly #env: Environment;
  #security: Security | undefined;
  readonly #environment: string | undefined;
  readonly #logger: SdkLogger;
  readonly #keyRules: typeof checkKeyRules | undefined;
  #checked: string | undefined;
  #expiry: Expiry | undefined;
  #warned = false;
  #permissions: readonly string[] | undefined;

  constructor(
    api: ApiDefinition,
    options: CredentialOptions,
    env: Environment,
    context: { environment: string | undefined; logger: SdkLogger; keyRules: typeof checkKeyRules | undefined },
  ) {
    this.#api = api;
    this.#options = options;
    this.#env = env;
    this.#environment = context.environment;
    this.#logger = context.logger;
    this.#keyRules = context.keyRules;
    this.#permissions = options.permissions;
    this.#source = findCredentialSource(api, options.apiKey, env);
    if (this.#source?.kind === "value") this.#accept(this.#source.value, Date.now());
  }

  /** Connects the per-scheme view (`status().schemes`), once the client has resolved its security. */
  describe(security: Security): void {
    this.#security = security;
  }

  /** The key for the next request, checked; throws before anything is sent when it cannot be used. */
  current(): string | undefined | Promise<string> {
    const source = this.#source;
    if (!source) return undefined;
    if (source.kind === "value") {
      this.#checkExpiry(Date.now());
      return source.value;
    }
    return Promise.resolve(source.get()).then((value) => {
      const key = typeof value === "string" ? value.trim() : "";
      if (!key) throw new MissingCredentialError(this.#api.name, this.#api.env.apiKey);
      if (key !== this.#checked) this.#accept(key, Date.now());
      else this.#checkExpiry(Date.now());
      return key;
    });
  }

  /** Throws `PermissionDeniedError` when the key's permissions are known and lack the operation's. */
  require(op: OperationDefinition, method: string, url: string): void {
    const needed = op.permission;
    if (!needed || !this.#permissions || this.#permissions.includes(needed)) return;
    throw new PermissionDeniedError(`the key lacks the ${needed} permission, which ${op.group}.${op.name} needs`, {
      status: 403,
      headers: new Headers(),
      code: "missing_permission",
      requestId: undefined,
      body: undefined,
      method,
      url,
      permission: needed,
      hint: "(checked before sending: nothing was sent)",
    });
  }

  /** Sets what the key may do, as the API's key introspection reported it. */
  setPermissions(permissions: readonly string[]): void {
    this.#permissions = [...permissions];
  }

  status(now = Date.now()): CredentialStatus {
    const expiry = this.#expiry;
    const expiresIn = expiry ? expiry.at.getTime() - now : undefined;
    const threshold = this.#options.expiryWarning ?? 7 * DAY_MS;
    const sources = this.#security?.sources() ?? {};
    const schemes = Object.fromEntries(
      Object.entries(this.#api.securitySchemes).map(([name, scheme]) => [
        name,
        { style: describeStyle(scheme), source: sources[name] },
      ]),
    );
    // the scheme the API's own requirement uses first, among those the client can meet
    const names =
      this.#api.security.find((requirement) => requirement.every((name) => sources[name])) ?? this.#api.security[0];
    const main = names?.[0];
    const source = this.#source?.name ?? Object.values(sources).find((value) => value !== undefined);
    return {
      source,
      style: describeStyle(main === undefined ? undefined : this.#api.securitySchemes[main]),
      schemes,
      expiresAt: expiry?.at.toISOString(),
      expirySource: expiry?.source,
      expiresIn,
      state: !source
        ? "none"
        : expiresIn === undefined
          ? "no-expiry"
          : expiresIn <= 0
            ? "expired"
            : expiresIn <= threshold
              ? "expiring"
              : "valid",
      environment: this.#environment,
      permissions: this.#permissions,
    };
  }

  #accept(key: string, now: number): void {
    const source = this.#source?.name ?? this.#api.env.apiKey;
    checkKeyFormat(this.#api, key, source, this.#environment, this.#keyRules);
    registerSecret(key);
    this.#checked = key;
    this.#expiry = findExpiry(this.#api, this.#options.expiresAt, this.#env, key);
    this.#warned = false;
    this.#checkExpiry(now);
  }

  #checkExpiry(now: number): void {
    const expiry = this.#expiry;
    if (!expiry) return;
    const left = expiry.at.getTime() - now;
    if (left <= 0) throw new CredentialExpiredError(this.#api.name, expiry.at, expiry.source, this.#api.hints?.["401"]);
    if (!this.#warned && left <= (this.#options.expiryWarning ?? 7 * DAY_MS)) {
      this.#warned = true;
      const days = (left / DAY_MS).toFixed(1);
      this.#logger.log(
        "warn",
        `the API key expires at ${expiry.at.toISOString()} (in ${days} days, from ${expiry.source}); rotate it`,
      );
      this.#options.onCredentialExpiring?.(this.status(now));
    }
  }
}

/**
 * Refuses a key that cannot be right, naming its source, never echoing it: control characters (header
 * injection), a pasted scheme word, white space inside; then, for APIs whose keys have a format or prefixes,
 * the API's own `rules` (see `checkKeyRules`, a capability).
 */
export function checkKeyFormat(
  api: ApiDefinition,
  key: string,
  source: string,
  environment: string | undefined,
  rules: typeof checkKeyRules | undefined,
): void {
  const refuse = (problem: string, keyEnvironment?: string) =>
    new InvalidCredentialError(api.name, source, problem, keyEnvironment);
  if (key.length > MAX_KEY_LENGTH) {
    throw refuse(
      `is ${key.length} characters long; keys and tokens are at most ${MAX_KEY_LENGTH} (it would travel in a header on every request)`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(key))
    throw refuse("contains control characters (CR, LF…), which could inject headers");
  if (/^(basic|bearer|token|api-key)\s/i.test(key)) {
    throw refuse("starts with an auth scheme word; pass the key alone, the client adds the scheme");
  }
  if (/\s/.test(key)) throw refuse("contains white space");
  rules?.(api, key, environment, refuse);
}

function describeStyle(scheme: AuthScheme | undefined): string {
  return scheme ? styleOf(scheme) : "none";
}
