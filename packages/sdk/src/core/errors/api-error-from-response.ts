import type { ErrorPointers } from "../api-definition.js";
import { APIError, type APIErrorDetails } from "./APIError.js";
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "./status-errors.js";

const BY_STATUS: Readonly<Record<number, typeof APIError>> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/**
 * Builds the `APIError` subclass for a response, reading code, message and request id through the API's
 * `x-keysmith-error` pointers, then through the usual places (`message`, `error.message`, `detail`…).
 */
export function apiErrorFromResponse(
  pointers: ErrorPointers | undefined,
  method: string,
  url: string,
  response: Response,
  body: unknown,
): APIError {
  const code = pick(body, pointers?.code, ["/error/code", "/code"]);
  const message =
    pick(body, pointers?.message, ["/error/message", "/message", "/error", "/detail"]) ??
    (typeof body === "string" && body.length > 0 && body.length < 500 ? body : undefined) ??
    response.statusText ??
    "request failed";
  const requestId =
    response.headers.get("x-request-id") ??
    response.headers.get("request-id") ??
    pick(body, pointers?.requestId, ["/error/request_id", "/request_id"]);
  const details: APIErrorDetails = {
    status: response.status,
    headers: response.headers,
    code,
    requestId,
    body,
    method,
    // query strings can carry keys (`api_key=`): messages show the path only
    url: url.split("?")[0] ?? url,
  };
  const ErrorClass = BY_STATUS[response.status] ?? (response.status >= 500 ? InternalServerError : APIError);
  return new ErrorClass(message, details);
}

function pick(body: unknown, pointer: string | undefined, fallbacks: readonly string[]): string | undefined {
  for (const candidate of pointer ? [pointer] : fallbacks) {
    const value = at(body, candidate);
    if (typeof value === "string" || typeof value === "number") return String(value);
  }
  return undefined;
}

function at(body: unknown, pointer: string): unknown {
  return pointer
    .split("/")
    .slice(1)
    .reduce<unknown>(
      (node, token) =>
        node !== null && typeof node === "object" ? (node as Record<string, unknown>)[token] : undefined,
      body,
    );
}
