import type { KeyRecord, KeyRing } from "./key-record.js";
import type { MockApiSpec, RouteSpec } from "./mock-api-spec.js";
import type { MockRequest } from "./mock-http.js";
import type { ProblemDetails } from "./mock-problem.js";

/** Which data a fresh store starts with. */
export type SeedMode = "demo" | "empty";

/** What a resolver sees of one request, after auth and validation have passed. */
export interface ResolverContext<S> {
  readonly state: S;
  readonly route: RouteSpec;
  /** Path parameters, coerced to their schema types. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Query parameters, coerced to their schema types, with the schema's defaults filled in. */
  readonly query: Readonly<Record<string, unknown>>;
  /** The parsed JSON body, validated against the operation's schema. */
  readonly body: unknown;
  readonly key: KeyRecord;
  readonly request: MockRequest;
  /** The URL as the client sent it, for building `next` links. */
  readonly url: URL;
  /** The environment of the server that was called, for APIs with environments. */
  readonly environment: string | undefined;
  readonly now: Date;
  readonly requestId: string;
  /** Tells listeners (the realtime mock) what happened: starting a run raises a `notification`, say. */
  readonly publish: (event: MockEvent) => void;
}

/** Something a REST action raised for the API's realtime side. */
export interface MockEvent {
  /** The realtime event it becomes, such as `notification`. */
  readonly topic: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface ResolverResult {
  /** Defaults to the operation's documented success status. */
  readonly status?: number;
  /** JSON-serialised; absent for 204. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Resolver<S> = (context: ResolverContext<S>) => ResolverResult | Promise<ResolverResult>;

/**
 * One mocked API: its generated spec, a store factory, one resolver per operation, and its error shape.
 * Core code drives every API through this and knows none of them by name.
 */
export interface MockApiDefinition<S> {
  readonly spec: MockApiSpec;
  createState(seed: SeedMode): S;
  keys(state: S): KeyRing;
  readonly resolvers: Readonly<Record<string, Resolver<S>>>;
  /** The error body in the API's own shape; `route` is the operation, when the request matched one. */
  errorBody(status: number, problem: ProblemDetails, requestId: string, now: Date, route?: RouteSpec): unknown;
  /**
   * The HTTP status a problem is answered with, where the API's differs from the problem's own (GetKeyManager
   * answers a missing permission with 401, and logical failures with 200 and a result code).
   */
  errorStatus?(status: number, problem: ProblemDetails, route: RouteSpec): number;
  /** The media type of an error body, where it is not `application/json`. */
  errorContentType?(status: number, route?: RouteSpec): string | undefined;
  /**
   * Statuses the mock may answer where the spec documents none (a description of one's own may not list its
   * 404s): answers with them are not checked against the spec.
   */
  readonly undocumentedStatuses?: ReadonlySet<number>;
  /** The rate limit of keys that set none. */
  readonly defaultRateLimit: { readonly requests: number; readonly perSeconds: number };
}
