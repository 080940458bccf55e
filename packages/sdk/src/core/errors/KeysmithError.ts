import { redact } from "../redact.js";

/** Marks Keysmith errors across realms (another copy of the SDK, a VM context): `Symbol.for` is shared. */
export const ERROR_BRAND = Symbol.for("@keysmith/sdk/error");
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * The base of every error the SDK throws. Its message, `toJSON()` and `util.inspect` output, `cause` chain
 * included, are redacted: no key, Authorization value or `api_key` parameter survives in them.
 */
export class KeysmithError extends Error {
  override name = "KeysmithError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(redact(message), options && "cause" in options ? { cause: sanitizeCause(options.cause, 0) } : undefined);
    const kinds: string[] = [];
    for (let proto = new.target.prototype; proto && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
      kinds.push((proto.constructor as { name: string }).name);
    }
    Object.defineProperty(this, ERROR_BRAND, { value: kinds });
  }

  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key !== "headers" && key !== "name") fields[key] = value;
    }
    if (this.cause !== undefined) fields.cause = causeToJSON(this.cause);
    return JSON.parse(redact(JSON.stringify(fields)));
  }

  [INSPECT](_depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    const copy = Object.assign(new Error(this.message, this.cause === undefined ? {} : { cause: this.cause }), this);
    copy.stack = this.stack ?? "";
    Object.defineProperty(copy, "name", { value: this.name, enumerable: false });
    return redact(inspect(copy, options));
  }
}

/**
 * A redacted stand-in for a foreign cause (a fetch `TypeError` whose message holds a URL with `api_key=`,
 * say), chain included, so that even `error.cause` read directly shows no secret.
 */
function sanitizeCause(cause: unknown, depth: number): unknown {
  if (cause instanceof KeysmithError || cause === undefined || cause === null || depth > 8) return cause;
  if (cause instanceof Error || (typeof cause === "object" && "message" in cause)) {
    const source = cause as Error & { code?: unknown };
    const copy = new Error(
      redact(String(source.message)),
      source.cause === undefined ? {} : { cause: sanitizeCause(source.cause, depth + 1) },
    );
    Object.defineProperty(copy, "name", { value: source.name, enumerable: false });
    if (source.code !== undefined) Object.assign(copy, { code: source.code });
    copy.stack = redact(source.stack ?? `${source.name}: ${copy.message}`);
    return copy;
  }
  return typeof cause === "string" ? redact(cause) : cause;
}

function causeToJSON(cause: unknown): unknown {
  if (cause instanceof KeysmithError) return cause.toJSON();
  if (cause instanceof Error) {
    return { name: cause.name, message: cause.message, ...(cause.cause ? { cause: causeToJSON(cause.cause) } : {}) };
  }
  return String(cause);
}

/**
 * True for an error of the SDK, from any copy of it or any realm; with `kind`, only for that class or its
 * subclasses (`isKeysmithError(error, "RateLimitError")`). Use it where `instanceof` cannot see across copies.
 */
export function isKeysmithError(value: unknown, kind = "KeysmithError"): value is KeysmithError {
  const kinds = (value as { [ERROR_BRAND]?: unknown } | null)?.[ERROR_BRAND];
  return Array.isArray(kinds) && kinds.includes(kind);
}
