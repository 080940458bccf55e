/** What `npm run generate` extracts from a spec for the mock (see `src/generated/<api>/routes.ts`). */
export interface MockApiSpec {
  readonly name: string;
  readonly title: string;
  readonly servers: readonly MockServerSpec[];
  readonly securitySchemes: Readonly<Record<string, MockAuthScheme>>;
  readonly security: readonly (readonly string[])[];
  readonly operations: readonly RouteSpec[];
  /**
   * `x-keysmith-result-code`: the API answers some failures with a 2xx status and a code of its own in the
   * body; such answers are checked against the `failure` schema, not the operation's success schema.
   */
  readonly resultCode?: MockResultCodeSpec;
  /** `components.schemas`, which the request schemas refer to as `#/components/schemas/…`. */
  readonly schemas: Readonly<Record<string, unknown>>;
  /** `x-keysmith-pagination`, as the description writes it: the style, its parameters and JSON pointers. */
  readonly pagination?: Readonly<Record<string, unknown>>;
  /** `x-keysmith-error`: JSON pointers to where the API's error body keeps its code, message and request id. */
  readonly errorShape?: MockErrorShape;
}

export interface MockErrorShape {
  readonly code?: string;
  readonly message?: string;
  readonly requestId?: string;
  readonly retryAfter?: string;
  readonly field?: string;
}

export interface MockResultCodeSpec {
  /** JSON pointer to the code in a body. */
  readonly code: string;
  readonly message?: string;
  /** The success codes of operations that list none of their own. */
  readonly success?: readonly string[];
  /** Failure code → the SDK's error class name. */
  readonly errors?: Readonly<Record<string, string>>;
  /** `#/components/schemas/…` of a failure body. */
  readonly failure?: string;
}

export interface MockServerSpec {
  readonly url: string;
  readonly description?: string;
  readonly environment?: string;
  readonly keyPrefix?: string;
  readonly variables?: Readonly<Record<string, { readonly default: string; readonly env?: string }>>;
}

export type MockAuthScheme =
  | { readonly type: "basic" }
  | { readonly type: "bearer" }
  | { readonly type: "header"; readonly name: string; readonly prefix?: string }
  /** `alsoInBody`: the same name is accepted as a field of a form or JSON body (`x-keysmith-also-in-body`). */
  | { readonly type: "query"; readonly name: string; readonly alsoInBody?: boolean }
  | { readonly type: "cookie"; readonly name: string }
  | { readonly type: "oauth2"; readonly tokenUrl?: string }
  | { readonly type: "openIdConnect" }
  | { readonly type: "unsupported"; readonly description: string };

export type RouteMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

export interface RouteSpec {
  readonly operationId: string;
  readonly method: RouteMethod;
  readonly path: string;
  readonly security?: readonly (readonly string[])[];
  readonly permission?: string;
  readonly idempotencyKey?: boolean;
  readonly successStatus: number;
  /** The result codes that mean success (`x-keysmith-result-code`), when the API has them. */
  readonly successCodes?: readonly string[];
  /** The failure codes documented for this operation: the mock answers no other. */
  readonly failureCodes?: readonly string[];
  /** `x-keysmith-source`: documented by the vendor, or modelled by Keysmith. */
  readonly source?: "documented" | "modelled";
  readonly parameters: readonly ParameterSpec[];
  /**
   * `x-keysmith-sort`: the item field a list answer is ordered by (`default`, `-` first for descending), and the
   * query parameter that names another (`param`).
   */
  readonly sort?: { readonly default?: string; readonly param?: string };
  readonly requestBody?: {
    readonly required: boolean;
    readonly schema: unknown;
    /** The operation also takes the body as form fields (`application/x-www-form-urlencoded`). */
    readonly form?: boolean;
  };
  /** Per documented status, the JSON body's schema, or null for a response without a body. */
  readonly responses: Readonly<Record<string, unknown>>;
  /** Per documented status, the JSON example the description gives (`example`, or the first of `examples`). */
  readonly examples?: Readonly<Record<string, unknown>>;
}

export interface ParameterSpec {
  readonly name: string;
  readonly in: "path" | "query" | string;
  readonly required: boolean;
  readonly schema: unknown;
  /** `x-keysmith-filter`: the item field a list's query parameter keeps items by, and how it compares. */
  readonly filter?: { readonly field: string; readonly op: "eq" | "gt" | "gte" | "lt" | "lte" | "contains" | "has" };
}

/** One Socket.IO event of a realtime API, as the mock checks it. */
export interface MockRealtimeEventSpec {
  readonly direction: "toClient" | "toServer";
  /** `{ $ref: "#/components/schemas/…" }` into `MockRealtimeSpec.schemas`. */
  readonly payload: { readonly $ref: string };
  readonly ack?: { readonly $ref: string };
  /** The payload field that identifies a delivery, for events redelivered until acknowledged. */
  readonly dedupeBy?: string;
}

/** A realtime (Socket.IO) API generated from its AsyncAPI description: namespaces, events and their schemas. */
export interface MockRealtimeSpec {
  readonly channels: Readonly<
    Record<string, { readonly namespace: string; readonly events: Readonly<Record<string, MockRealtimeEventSpec>> }>
  >;
  readonly schemas: Readonly<Record<string, unknown>>;
  /** `x-keysmith-socketio-auth`: the field of the handshake's `auth` payload that carries the key. */
  readonly auth?: { readonly field: string };
}
