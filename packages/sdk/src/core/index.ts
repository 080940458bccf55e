export type {
  ApiDefinition,
  AuthScheme,
  ErrorPointers,
  HttpMethod,
  IntrospectionDefinition,
  OperationDefinition,
  ResultCodeDefinition,
  ServerDefinition,
  SignatureDefinition,
} from "./api-definition.js";
export type { APIPromise, APIResponse } from "./api-promise.js";
export { type BinaryBody, encodeBody, type MultipartFields } from "./body-encoding.js";
export type { ClientOptions, RequestOptions, WithOptional } from "./client-options.js";
export type { ApiKeyOption } from "./credential-source.js";
export type { CredentialStatus, Credentials } from "./credentials.js";
export { AbortError } from "./errors/AbortError.js";
export { APIError, type APIErrorDetails } from "./errors/APIError.js";
export { ConfigurationError } from "./errors/ConfigurationError.js";
export { ConnectionError } from "./errors/ConnectionError.js";
export { CredentialExpiredError } from "./errors/CredentialExpiredError.js";
export { CredentialSourceError } from "./errors/CredentialSourceError.js";
export { HookError } from "./errors/HookError.js";
export { InvalidCredentialError } from "./errors/InvalidCredentialError.js";
export { isKeysmithError, KeysmithError } from "./errors/KeysmithError.js";
export { MissingCredentialError } from "./errors/MissingCredentialError.js";
export { RedirectError } from "./errors/RedirectError.js";
export { ResponseParseError } from "./errors/ResponseParseError.js";
export { ResponseTooLargeError } from "./errors/ResponseTooLargeError.js";
export { apiErrorFromResultCode } from "./errors/result-code-error.js";
export { SignatureError } from "./errors/SignatureError.js";
export {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "./errors/status-errors.js";
export { TimeoutError } from "./errors/TimeoutError.js";
export type {
  ErrorHookEvent,
  HookEvent,
  HookOperation,
  Hooks,
  RequestHookEvent,
  ResponseHookEvent,
} from "./hooks.js";
export { introspectKey } from "./key-introspection.js";
export { checkKeyRules } from "./key-rules.js";
export { type ClientCapabilities, KeysmithClient } from "./keysmith-client.js";
export type { Logger, LogLevel } from "./logger.js";
export { OAuthTokens } from "./oauth-tokens.js";
export type { Page, PagePromise, PaginationDefinition } from "./pagination.js";
export { type QueryStyle, serializeQuery } from "./query-serializer.js";
export type { RateLimitState } from "./rate-limit.js";
export { redact } from "./redact.js";
export { schemeCredentials } from "./scheme-credentials.js";
export type { Authorization, SchemeCredential, SchemeCredentials } from "./security.js";
export { type ChosenServer, chooseServer } from "./server-choice.js";
export { SignatureVerifier } from "./signature.js";
