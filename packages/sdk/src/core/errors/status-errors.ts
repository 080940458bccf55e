import { retryAfterMs } from "../rate-limit.js";
import { APIError, type APIErrorDetails } from "./APIError.js";

/** 400: the request is malformed. */
export class BadRequestError extends APIError {
  override name = "BadRequestError";
}

/** 401: the credential is missing, invalid, inactive, expired or for another environment. */
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}

/**
 * 403: the credential may not do this. Also thrown before sending when the key's permissions are known and
 * lack the operation's `x-keysmith-permission`; `permission` then names it.
 */
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
  readonly permission: string | undefined;

  constructor(message: string, details: APIErrorDetails & { readonly permission?: string | undefined }) {
    super(message, details);
    this.permission = details.permission;
  }
}

/** 404: no such resource. */
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}

/** 409: the request conflicts with the resource's current state. */
export class ConflictError extends APIError {
  override name = "ConflictError";
}

/** 422: the request is well-formed but invalid. */
export class UnprocessableEntityError extends APIError {
  override name = "UnprocessableEntityError";
}

/** 429: the rate limit is exhausted. `retryAfter` is how long the API asks to wait, in seconds. */
export class RateLimitError extends APIError {
  override name = "RateLimitError";
  readonly retryAfter: number | undefined;

  constructor(message: string, details: APIErrorDetails) {
    super(message, details);
    const ms = retryAfterMs(details.headers);
    this.retryAfter = ms !== undefined ? ms / 1000 : details.retryAfter;
  }
}

/** 5xx: the API failed. */
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}

/** The classes an API's own error code may name (`x-keysmith-result-code.errors`), by name. */
export const API_ERRORS_BY_NAME: Readonly<Record<string, typeof APIError>> = {
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
};
