import type { JsonMutation } from "./json-mutations.js";

/**
 * One generated HTTP request to one operation, as plain data: what fast-check generates, shrinks and prints.
 * Credentials are named (`demoKeys.epoch.token`), never written out; huge and deeply nested bodies are
 * described (`{ bytes: 6000000 }`), and rendered only when sent (see `request-render.ts`).
 */
export interface FuzzRequest {
  readonly operationId: string;
  readonly path: Readonly<Record<string, PathValue>>;
  readonly query: readonly QueryEntry[];
  readonly headers: Readonly<Record<string, string>>;
  readonly credential: Credential;
  readonly body: BodySpec | undefined;
  /**
   * What is deliberately wrong with the request (`body:malformed-json`, `credential:none`…); empty when it
   * is meant to be valid (the runner still checks that with ajv before treating it as valid).
   */
  readonly tags: readonly string[];
}

export type PathValue =
  /** A value of the parameter's schema, serialised and percent-encoded. */
  | { readonly value: unknown }
  /** A value seen in the mock's answers (an existing id), picked at send time; `fallback` when none fits. */
  | { readonly pool: number; readonly fallback: unknown }
  /** Sent as written, escapes and all (`%zz`, `%E0%A4`). */
  | { readonly raw: string };

export type QueryEntry =
  | { readonly name: string; readonly value: unknown }
  /** Appended to the query string as written. */
  | { readonly raw: string };

/** Where a credential travels: the API's own schemes, or another API's (a wrong style). */
export type Placement =
  | { readonly style: "basic" }
  | { readonly style: "bearer" }
  | { readonly style: "header"; readonly name: string; readonly prefix: string | undefined }
  | { readonly style: "query"; readonly name: string }
  /** A field of a form or JSON body (`x-keysmith-also-in-body`). */
  | { readonly style: "body"; readonly name: string };

export type Credential =
  /** One of the demo keys (`demoKeys[api][key]`): this API's, or another API's. */
  | { readonly kind: "demo"; readonly api: string; readonly key: string; readonly via: Placement }
  /** A made-up secret in a right place. */
  | { readonly kind: "garbage"; readonly secret: string; readonly via: Placement }
  /** An `Authorization` header as written (`Basic !!!`, `Bearer`). */
  | { readonly kind: "authorization"; readonly value: string }
  | { readonly kind: "none" };

export type BodySpec =
  /** JSON text of a value (a schema's, then maybe mutated). */
  | {
      readonly kind: "json";
      readonly contentType: string | null;
      readonly value: unknown;
      readonly mutation?: JsonMutation;
    }
  /** `application/x-www-form-urlencoded` fields; a list or object field travels as JSON text. */
  | { readonly kind: "form"; readonly value: unknown; readonly mutation?: JsonMutation }
  /** Text as written (malformed JSON…); `contentType: null` sends no Content-Type at all. */
  | {
      readonly kind: "text";
      readonly contentType: string | null;
      readonly text: string;
      /** A `Content-Encoding` the text does not have. */
      readonly contentEncoding?: string;
    }
  /** Bytes as written (hex): text that is not UTF-8. */
  | { readonly kind: "bytes"; readonly contentType: string; readonly hex: string }
  /** About `bytes` of JSON (one long string member, a long array) or of garbage. */
  | {
      readonly kind: "huge";
      readonly contentType: string;
      readonly bytes: number;
      readonly shape: "string-member" | "array" | "garbage";
    };

/**
 * Deviations after which the spec allows no success: a body that is malformed, missing where required, of an
 * undocumented media type, or in a coding it does not have. A 2xx to such a request is a failure.
 */
export const NEVER_SUCCEEDS = [
  "body:malformed-json",
  "body:missing",
  "body:wrong-content-type",
  "body:content-encoding",
];

/** The marker a pooled body member is generated as, resolved to a value seen in the mock's answers when sent. */
export interface PoolPick {
  readonly $pool: string;
  readonly pick: number;
  readonly fallback: unknown;
}

export function isPoolPick(value: unknown): value is PoolPick {
  return value !== null && typeof value === "object" && "$pool" in value && "pick" in value;
}
