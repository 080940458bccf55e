import { APIError } from "./APIError.js";

/** 400: the request is malformed. */
export class BadRequestError extends APIError {
  override name = "BadRequestError";
}

/** 401: the credential is missing, invalid, inactive, expired or for another environment. */
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}

/** 403: the credential is valid but may not do this (a missing permission). */
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
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

/** 429: the rate limit is exhausted. */
export class RateLimitError extends APIError {
  override name = "RateLimitError";
}

/** 5xx: the API failed. */
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}
