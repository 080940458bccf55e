import type { PaginationDefinition } from "./pagination.js";
import type { QueryStyle } from "./query-serializer.js";

/**
 * The runtime description of one API that a generated client hands to {@link KeysmithClient}: produced by
 * `npm run generate` from the OpenAPI description and its `x-keysmith-*` extensions, never written by hand.
 */
export interface ApiDefinition {
  /** The client's name, used in messages ("Epsilon3: …"). */
  readonly name: string;
  readonly servers: readonly ServerDefinition[];
  /** Environment variable names: `apiKey` and `baseUrl` always; `apiKeyExpiresAt`, `environment`… when the spec names them. */
  readonly env: Readonly<Record<string, string>> & { readonly apiKey: string; readonly baseUrl: string };
  readonly securitySchemes: Readonly<Record<string, AuthScheme>>;
  /** Alternatives, each a list of scheme names that apply together; empty when the API needs no credential. */
  readonly security: readonly (readonly string[])[];
  /** JSON pointers into the API's error body. */
  readonly error?: ErrorPointers;
  /** `x-keysmith-hints`: troubleshooting advice by HTTP status, from the API's own documentation. */
  readonly hints?: Readonly<Record<string, string>>;
  readonly signature?: SignatureDefinition;
  /** `x-keysmith-key-format`: the keys' format; enforced only when the vendor documents it. */
  readonly keyFormat?: { readonly pattern: string; readonly description?: string; readonly documented: boolean };
  /** `x-keysmith-result-code`: the API reports some failures inside a 2xx body, by a code of its own. */
  readonly resultCode?: ResultCodeDefinition;
  readonly introspection?: IntrospectionDefinition;
  /** Parameters that default to an environment variable (`x-keysmith-env` on the parameter), by name. */
  readonly paramEnv?: Readonly<Record<string, string>>;
  readonly operations: Readonly<Record<string, OperationDefinition>>;
}

export interface ServerDefinition {
  readonly url: string;
  readonly description?: string;
  /** `x-keysmith-environment`: the environment this server serves (`production`, `sandbox`…). */
  readonly environment?: string;
  /** `x-keysmith-key-prefix`: how the keys of this environment begin. */
  readonly keyPrefix?: string;
  /** The prefix is documented by the vendor, so a key without any documented prefix is refused; else it is only a hint. */
  readonly keyPrefixDocumented?: boolean;
  readonly variables?: Readonly<
    Record<string, { readonly default: string; readonly env?: string; readonly enum?: readonly string[] }>
  >;
}

/**
 * How a credential travels, from the spec's security scheme. `env`, where present, is the environment
 * variable for this scheme's own credential (`<env>_USERNAME`/`_PASSWORD` for Basic pairs, `<env>_CLIENT_ID`/
 * `_CLIENT_SECRET` for OAuth2 clients); without one the scheme takes the API's key.
 */
export type AuthScheme =
  | { readonly type: "basic"; readonly env?: string }
  | { readonly type: "bearer"; readonly env?: string }
  | { readonly type: "header"; readonly name: string; readonly prefix?: string; readonly env?: string }
  /** `alsoInBody`: the server also takes it as a body field (the SDK always sends it in the query). */
  | { readonly type: "query"; readonly name: string; readonly alsoInBody?: boolean; readonly env?: string }
  | { readonly type: "cookie"; readonly name: string; readonly env?: string }
  /** `tokenUrl`: the client-credentials flow's, when the scheme has one; otherwise a token is given. */
  | { readonly type: "oauth2"; readonly tokenUrl?: string; readonly env?: string }
  | { readonly type: "openIdConnect"; readonly env?: string }
  | { readonly type: "unsupported"; readonly description: string };

export interface ErrorPointers {
  readonly code?: string;
  readonly message?: string;
  readonly requestId?: string;
  /** Seconds to wait before retrying, where the API puts them in the error body. */
  readonly retryAfter?: string;
  /** The field at fault in a validation error, where the API names it. */
  readonly field?: string;
}

/**
 * `x-keysmith-signature`: how a signed answer is verified. `body-without-signature`: the signature covers the
 * parsed body without its top-level signature member, serialised compactly in the order received (what the
 * vendor SDKs verify: `JSON.stringify` in JavaScript, `json_encode` with unescaped slashes and Unicode in PHP).
 */
export interface SignatureDefinition {
  /** JSON pointer to the base64 signature (a top-level member). */
  readonly signature: string;
  readonly covers: "body-without-signature";
  readonly algorithm: "RSASSA-PKCS1-v1_5-SHA256";
}

/**
 * `x-keysmith-result-code`: where a 2xx body keeps the API's own result code, which codes mean success, and
 * which error class each failure code is thrown as (any other failure code: `APIError`).
 */
export interface ResultCodeDefinition {
  /** JSON pointer to the code (a number or a string; compared as a string). */
  readonly code: string;
  /** JSON pointer to the message that goes with it. */
  readonly message?: string;
  /** The success codes of operations that list none of their own. */
  readonly success?: readonly string[];
  /** Failure code → error class name (`NotFoundError`…). */
  readonly errors?: Readonly<Record<string, string>>;
  /** `#/components/schemas/…` of a failure body, for the mock's contract checks. */
  readonly failure?: string;
}

/** `x-keysmith-introspection`: the operation that describes the calling key, and where its permissions are. */
export interface IntrospectionDefinition {
  readonly operationId: string;
  /** JSON pointer to the key's permissions (a list of strings) in the answer. */
  readonly permissions: string;
}

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

export interface OperationDefinition {
  readonly method: HttpMethod;
  readonly path: string;
  readonly group: string;
  readonly name: string;
  readonly security?: readonly (readonly string[])[];
  /** `x-keysmith-permission`: the permission a key needs for this operation. */
  readonly permission?: string;
  /** The operation takes an `Idempotency-Key` header: the SDK sends one, and may then retry the write. */
  readonly idempotencyKey?: boolean;
  /** How the list pages, for iterating over every item (`for await`) and page (`.pages()`). */
  readonly pagination?: PaginationDefinition;
  /** `x-keysmith-source`: from the vendor's documentation, or Keysmith's model of what it does not document. */
  readonly source?: "documented" | "modelled";
  /** The result codes (`x-keysmith-result-code`) that mean success for this operation. */
  readonly successCodes?: readonly string[];
  /** Query parameters by name (path parameters are the `{names}` in `path`). */
  readonly queryParams?: readonly string[];
  readonly headerParams?: readonly string[];
  /** Cookie parameters by name, sent in the `Cookie` header. */
  readonly cookieParams?: readonly string[];
  /** Query parameters serialised other than `form` + explode (`style`, `explode`, `allowReserved`, `content`). */
  readonly queryStyles?: Readonly<Record<string, QueryStyle>>;
  /** `flat`: the body's fields sit beside the parameters in the method's argument; `nested`: under `body`. */
  readonly body?: "flat" | "nested";
  /** The body's media type when it is not JSON: form fields, multipart, text or binary, each encoded as such. */
  readonly bodyType?: string;
  /** Another documented 2xx has no body (a 204 beside a 200 with JSON): an empty answer is then expected. */
  readonly emptySuccess?: boolean;
  /** How to read a 2xx body: text, a Blob (binary media types) or nothing; JSON when absent. */
  readonly response?: "text" | "blob" | "none";
  /** The `Accept` header, when the operation answers in more than JSON (its media types, JSON first). */
  readonly accept?: string;
}
