/**
 * `@keysmith/mock-server/browser`: the mock and its MSW handlers, for `setupWorker` from `msw/browser`. Nothing
 * here imports a Node module (no `node:*`, no Socket.IO server): the standalone server is in the root entry.
 */
export { type MockApiName, mockApis } from "./apis.js";
export { MockApiRuntime, type MockRuntimeOptions } from "./core/api-runtime.js";
export { DEFAULT_BODY_LIMIT } from "./core/body-limit.js";
export { FaultInjector, type FaultRule } from "./core/faults.js";
export { type KeyRecord, KeyRing } from "./core/key-record.js";
export type { MockApiDefinition, Resolver, ResolverContext, ResolverResult, SeedMode } from "./core/mock-api.js";
export type { MockApiSpec, MockRealtimeSpec, RouteSpec } from "./core/mock-api-spec.js";
export type { MockRequest, MockResponse } from "./core/mock-http.js";
export { MockProblem, type ProblemDetails } from "./core/mock-problem.js";
export type { RequestLogEntry } from "./core/request-log.js";
export { MockContractError } from "./core/request-validator.js";
export { demoErathosWorkspaceId, demoKeys } from "./demo-keys.js";
export type {
  Epsilon3RealtimeMock,
  MockCommandResult,
  MockTelemetryStream,
  NotificationStats,
  RealtimeProtocolError,
} from "./epsilon3/realtime-mock.js";
export type { GenericRealtimeMock, ReceivedEvent } from "./generic/realtime-mock.js";
export { getKeyManagerDemoPublicKey, getKeyManagerPublicKey } from "./getkeymanager/index.js";
export { type Fixtures, Mock, type MockOptions, type MockRuntimes } from "./mock.js";
export { createHandlers, type HandlerOptions } from "./msw-handlers.js";
