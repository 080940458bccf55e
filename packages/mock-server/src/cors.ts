import type { MockApiRuntime } from "./core/api-runtime.js";

/** Pages served from loopback, on any port: the default origins of the standalone server's CORS. */
export const LOOPBACK_ORIGINS: readonly string[] = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"];

/** Response headers every browser may read anyway (the CORS-safelisted ones), never listed as exposed. */
const SAFELISTED = new Set([
  "cache-control",
  "content-language",
  "content-length",
  "content-type",
  "expires",
  "last-modified",
  "pragma",
]);

/** How long a browser may cache a preflight's answer, in seconds. */
const MAX_AGE = "600";

/**
 * The standalone server's CORS (the Fetch standard's protocol), for browser pages calling the mock: which
 * origins may, and the request headers the mocked APIs' specs use (`Authorization`, `Content-Type`,
 * `Idempotency-Key`, each header security scheme and header parameter).
 */
export class CorsPolicy {
  readonly #patterns: readonly RegExp[];
  readonly #allowHeaders: string;

  /**
   * @param origins exact origins (`https://app.example.com`), origins with any port (`http://localhost:*`),
   * or `*` for any; none turns CORS off.
   */
  constructor(origins: readonly string[], runtimes: readonly MockApiRuntime[]) {
    this.#patterns = origins.map(originPattern);
    this.#allowHeaders = requestHeaders(runtimes).join(", ");
  }

  get enabled(): boolean {
    return this.#patterns.length > 0;
  }

  allows(origin: string): boolean {
    return this.#patterns.some((pattern) => pattern.test(origin));
  }

  /**
   * The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`) from an allowed origin: the
   * methods the path answers to, the headers the specs use, and Private Network Access where asked for.
   */
  preflight(origin: string, methods: readonly string[], privateNetwork: boolean): Record<string, string> {
    return {
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Allow-Methods": methods.join(", "),
      "Access-Control-Allow-Headers": this.#allowHeaders,
      "Access-Control-Max-Age": MAX_AGE,
      ...(privateNetwork ? { "Access-Control-Allow-Private-Network": "true" } : {}),
      Vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    };
  }

  /** The headers of an actual answer to an allowed origin: the origin, and every header it carries exposed. */
  actual(origin: string, headers: Readonly<Record<string, string>>): Record<string, string> {
    const exposed = Object.keys(headers).filter((name) => !SAFELISTED.has(name.toLowerCase()));
    const actual: Record<string, string> = { "Access-Control-Allow-Origin": origin };
    if (exposed.length > 0) actual["Access-Control-Expose-Headers"] = exposed.join(", ");
    return actual;
  }
}

/** `http://localhost:*` matches that scheme and host on any port, or on none (the scheme's default). */
function originPattern(origin: string): RegExp {
  if (origin === "*") return /^/;
  const escaped = origin
    .trim()
    .replace(/\/+$/, "")
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replace(/:\\\*$/, "(?::\\d{1,5})?")}$`, "i");
}

/** The request headers the mocked APIs use, each once, in a stable order. */
function requestHeaders(runtimes: readonly MockApiRuntime[]): string[] {
  const names = new Map<string, string>();
  const add = (name: string) => names.set(name.toLowerCase(), names.get(name.toLowerCase()) ?? name);
  for (const name of ["Authorization", "Content-Type", "Idempotency-Key"]) add(name);
  for (const { definition } of runtimes) {
    for (const scheme of Object.values(definition.spec.securitySchemes)) {
      if (scheme.type === "header") add(scheme.name);
    }
    for (const route of definition.spec.operations) {
      for (const parameter of route.parameters) if (parameter.in === "header") add(parameter.name);
    }
  }
  return [...names.values()];
}
