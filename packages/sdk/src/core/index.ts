export type {
  ApiDefinition,
  AuthScheme,
  ErrorPointers,
  HttpMethod,
  OperationDefinition,
  ServerDefinition,
} from "./api-definition.js";
export type { ClientOptions, RequestOptions, WithOptional } from "./client-options.js";
export { APIError, type APIErrorDetails } from "./errors/APIError.js";
export { ConfigurationError } from "./errors/ConfigurationError.js";
export { ConnectionError } from "./errors/ConnectionError.js";
export { InvalidCredentialError } from "./errors/InvalidCredentialError.js";
export { KeysmithError } from "./errors/KeysmithError.js";
export { MissingCredentialError } from "./errors/MissingCredentialError.js";
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
export { KeysmithClient } from "./keysmith-client.js";
