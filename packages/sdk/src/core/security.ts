import type { ApiDefinition, AuthScheme, OperationDefinition } from "./api-definition.js";
import type { CallScope } from "./call-scope.js";
import type { Credentials } from "./credentials.js";
import type { Environment } from "./environment.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";
import { CredentialSourceError } from "./errors/CredentialSourceError.js";
import { KeysmithError } from "./errors/KeysmithError.js";
import { MissingCredentialError } from "./errors/MissingCredentialError.js";
import type { OAuthTokens } from "./oauth-tokens.js";
import { type OutgoingRequest, RequestDraft } from "./request-draft.js";

/**
 * A credential for one security scheme: a value (or a function returning one, called per request), a
 * user name and password pair (HTTP Basic), or an OAuth2 client's id and secret (client-credentials flow).
 */
export type SchemeCredential =
  | string
  | (() => string | Promise<string>)
  | { readonly username: string; readonly password: string }
  | { readonly clientId: string; readonly clientSecret: string; readonly scopes?: readonly string[] };

export type Found =
  | { readonly kind: "secret"; readonly source: string; readonly get: () => string | Promise<string> }
  | { readonly kind: "pair"; readonly source: string; readonly username: string; readonly password: string }
  | {
      readonly kind: "client";
      readonly source: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scopes: readonly string[] | undefined;
    };

/**
 * Where each scheme's own credential comes from (the `credentials` option, its variables), for APIs with
 * several schemes, Basic pairs or OAuth2 clients: a capability their generated clients pass in, so that
 * single-scheme clients do not carry it.
 */
export interface SchemeCredentials {
  find(
    api: ApiDefinition,
    name: string,
    scheme: AuthScheme,
    option: SchemeCredential | undefined,
    env: Environment,
    apiKey: Found | undefined,
  ): Found | undefined;
  describeNeed(name: string, scheme: AuthScheme): string;
}

/** Puts what one operation needs on a request; `retry` gives a fresh one after a 401 (OAuth2: a new token). */
export interface Authorization {
  readonly apply: (request: OutgoingRequest) => OutgoingRequest;
  readonly retry?: () => Promise<Authorization | undefined>;
}

const NONE: Authorization = { apply: (request) => request };

/** Whether an authorization puts a credential on the request (an operation open to anyone: none). */
export function carriesCredentials(auth: Authorization | undefined): boolean {
  return auth !== undefined && auth !== NONE;
}

/**
 * The security of each operation, as its description says: its own `security`, else the API's. An operation
 * may accept several alternatives (any one suffices: the first the client has credentials for is used) and an
 * alternative may need several schemes together (all are sent). A scheme's credential comes from the
 * `credentials` option (by scheme name), else its environment variables, else the API's key.
 */
export class Security {
  readonly #api: ApiDefinition;
  readonly #found = new Map<string, Found | undefined>();
  readonly #tokens: OAuthTokens | undefined;
  readonly #baseUrl: string;
  readonly #schemes: SchemeCredentials | undefined;
  readonly #timeout: number;
  #lastBasic: { readonly pair: string; readonly header: string } | undefined;

  constructor(
    api: ApiDefinition,
    options: { readonly credentials?: Readonly<Record<string, SchemeCredential>> | undefined },
    env: Environment,
    context: {
      credentials: Credentials;
      tokens: OAuthTokens | undefined;
      baseUrl: string;
      schemeCredentials: SchemeCredentials | undefined;
      /** How long a credential function may take. */
      timeout: number;
    },
  ) {
    this.#api = api;
    this.#tokens = context.tokens;
    this.#baseUrl = context.baseUrl;
    this.#schemes = context.schemeCredentials;
    this.#timeout = context.timeout;
    if (options.credentials && !this.#schemes) {
      throw new ConfigurationError(
        `${api.name}: the \`credentials\` option is for APIs with several security schemes; pass \`apiKey\`.`,
      );
    }
    const source = context.credentials.status().source;
    // the API's key serves every scheme that takes one secret and has nothing of its own
    const apiKey: Found | undefined =
      source === undefined ? undefined : { kind: "secret", source, get: () => context.credentials.current() ?? "" };
    for (const [name, scheme] of Object.entries(api.securitySchemes)) {
      const found = this.#schemes
        ? this.#schemes.find(api, name, scheme, options.credentials?.[name], env, apiKey)
        : scheme.type === "unsupported"
          ? undefined
          : apiKey;
      this.#found.set(name, found);
    }
  }

  /** Whether any alternative of these requirements can be met (an empty one needs nothing). */
  canMeet(requirements: readonly (readonly string[])[]): boolean {
    return requirements.length === 0 || requirements.some((names) => names.every((name) => this.#found.get(name)));
  }

  /** Where each scheme's credential comes from, for `credentials.status()` (never the value). */
  sources(): Record<string, string | undefined> {
    return Object.fromEntries([...this.#found].map(([name, found]) => [name, found?.source]));
  }

  /** What an operation needs, resolved (functions called, tokens fetched); throws naming what is missing. */
  async forOperation(op: OperationDefinition | undefined, scope: CallScope): Promise<Authorization> {
    const requirements = op?.security ?? this.#api.security;
    if (requirements.length === 0) return NONE;
    // an alternative with credentials first; an empty one (anonymous allowed) only when none has them
    const chosen = requirements.find((names) => names.length > 0 && names.every((name) => this.#found.get(name)));
    if (!chosen) {
      if (requirements.some((names) => names.length === 0)) return NONE;
      throw this.missing(requirements, op);
    }
    return this.#authorize(chosen, scope, false);
  }

  async #authorize(names: readonly string[], scope: CallScope, fresh: boolean): Promise<Authorization> {
    const steps: ((request: OutgoingRequest) => OutgoingRequest)[] = [];
    let usesToken = false;
    for (const name of names) {
      const scheme = this.#api.securitySchemes[name];
      const found = this.#found.get(name);
      if (!scheme || !found) continue;
      const value = await this.#value(scheme, found, scope, fresh);
      usesToken ||= found.kind === "client";
      steps.push((request) => place(scheme, value, request));
    }
    const apply = (request: OutgoingRequest): OutgoingRequest =>
      steps.reduce((current, step) => step(current), request);
    return usesToken && !fresh ? { apply, retry: () => this.#authorize(names, scope, true) } : { apply };
  }

  async #value(scheme: AuthScheme, found: Found, scope: CallScope, fresh: boolean): Promise<Applied> {
    switch (found.kind) {
      case "pair":
        return { basic: this.#basicHeader(`${found.username}:${found.password}`) };
      case "client": {
        if (!this.#tokens || scheme.type !== "oauth2" || !scheme.tokenUrl) {
          throw new ConfigurationError(
            `${this.#api.name}: this client cannot fetch OAuth2 tokens; pass a token instead.`,
          );
        }
        const tokenUrl = new URL(scheme.tokenUrl, `${this.#baseUrl}/`).href;
        return { token: await this.#tokens.token(tokenUrl, found, scope.signal, fresh) };
      }
      case "secret": {
        const value = await callCredentialFunction(this.#api.name, found, scope, this.#timeout);
        if (scheme.type === "basic") return { basic: this.#basicHeader(`${value}:`) };
        return { token: value };
      }
    }
  }

  /**
   * `Basic <base64 of the UTF-8 of user:password>` (RFC 7617). The client's last pair is kept with its header: a
   * pair is the same on every call, and is encoded again only when it changes (a key function's new value).
   */
  #basicHeader(pair: string): string {
    if (this.#lastBasic?.pair !== pair) {
      let binary = "";
      for (const byte of new TextEncoder().encode(pair)) binary += String.fromCharCode(byte);
      this.#lastBasic = { pair, header: `Basic ${btoa(binary)}` };
    }
    return this.#lastBasic.header;
  }

  /** The error for requirements the client cannot meet, naming each missing scheme and how to give it. */
  missing(requirements: readonly (readonly string[])[], op?: OperationDefinition): MissingCredentialError {
    const describe = (name: string) => {
      const scheme = this.#api.securitySchemes[name];
      if (!scheme) return name;
      return (
        this.#schemes?.describeNeed(name, scheme) ??
        `${styleOf(scheme)} (pass \`apiKey\` or set ${this.#api.env.apiKey})`
      );
    };
    const what = requirements
      .map((names) =>
        names
          .filter((name) => !this.#found.get(name))
          .map(describe)
          .join(" and "),
      )
      .join("; or ");
    const where = op ? `${op.group}.${op.name}` : "every operation";
    return new MissingCredentialError(this.#api.name, this.#api.env.apiKey, `${where} needs ${what}`);
  }
}

/** A credential ready to place: the whole `Authorization` value of a Basic pair, or a token. */
type Applied = { readonly basic: string } | { readonly token: string };

function place(scheme: AuthScheme, applied: Applied, request: OutgoingRequest): OutgoingRequest {
  if ("basic" in applied) {
    request.headers.set("Authorization", applied.basic);
    return request;
  }
  const value = applied.token;
  switch (scheme.type) {
    case "bearer":
    case "oauth2":
    case "openIdConnect":
      request.headers.set("Authorization", `Bearer ${value}`);
      return request;
    case "header":
      // set in place: copying into `new Request(request, { headers })` makes ky see every header twice under MSW
      request.headers.set(scheme.name, scheme.prefix ? `${scheme.prefix} ${value}` : value);
      return request;
    case "cookie": {
      const cookie = `${scheme.name}=${encodeURIComponent(value)}`;
      const existing = request.headers.get("Cookie");
      request.headers.set("Cookie", existing ? `${existing}; ${cookie}` : cookie);
      return request;
    }
    case "query": {
      const url = new URL(request.url);
      url.searchParams.set(scheme.name, value);
      if (!(request instanceof RequestDraft)) return new Request(url, request);
      request.url = url.toString();
      return request;
    }
    case "basic":
    case "unsupported":
      return request;
  }
}

/**
 * A credential function's answer, bounded like every other wait of the call (the attempt's `timeout`, the
 * deadline, the caller's signal); what it throws becomes a `CredentialSourceError` with a redacted cause.
 */
async function callCredentialFunction(
  apiName: string,
  found: { readonly source: string; readonly get: () => string | Promise<string> },
  scope: CallScope,
  timeout: number,
): Promise<string> {
  let pending: Promise<string>;
  try {
    const value = found.get();
    // a key given as a value (or a function answering at once) has nothing to wait for
    if (typeof value === "string") return value;
    pending = Promise.resolve(value);
  } catch (error) {
    if (error instanceof KeysmithError) throw error;
    pending = Promise.reject(error);
  }
  try {
    return await scope.bound(pending, timeout, found.source);
  } catch (error) {
    if (error instanceof KeysmithError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CredentialSourceError(`${apiName}: ${found.source} failed: ${message}`, { cause: error });
  }
}

/** How a scheme's credential travels, for messages and `credentials.status()`. */
export function styleOf(scheme: AuthScheme): string {
  switch (scheme.type) {
    case "basic":
      return "Authorization: Basic <user:password> (a key alone: as the user, blank password)";
    case "header":
      return `${scheme.name}: ${scheme.prefix ? `${scheme.prefix} ` : ""}<key>`;
    case "query":
    case "cookie":
      return `${scheme.type} ${scheme.name}`;
    case "unsupported":
      return `unsupported (${scheme.description})`;
    default:
      return `Authorization: Bearer <${scheme.type === "oauth2" && scheme.tokenUrl ? "OAuth2 client-credentials token" : "token"}>`;
  }
}
