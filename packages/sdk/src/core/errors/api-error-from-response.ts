import type { ApiDefinition } from "../api-definition.js";
import { textAt } from "../json-pointer.js";
import { APIError, type APIErrorDetails } from "./APIError.js";
import {
  API_ERRORS_BY_NAME,
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
 * Builds the `APIError` subclass for a response, the one place that maps statuses to classes (an API code
 * mapped by `x-keysmith-result-code.errors` refines a 4xx: a 401 whose code the spec maps to
 * `PermissionDeniedError` is one). Code, message,
 * request id and retry delay are read through the API's `x-keysmith-error` pointers, else from the usual
 * places (`message`, `error.message`, `detail`…); the API's hint for the status is appended.
 */
export function apiErrorFromResponse(
  api: ApiDefinition,
  method: string,
  url: string,
  response: Response,
  body: unknown,
): APIError {
  const pointers = api.error;
  const code = textAt(body, pointers?.code, ["/error/code", "/code"]);
  const message =
    textAt(body, pointers?.message, ["/error/message", "/message", "/error", "/detail"]) ??
    (typeof body === "string" && body.length > 0 && body.length < 500 ? body : undefined) ??
    (response.statusText || "request failed");
  const retryAfter = Number(textAt(body, pointers?.retryAfter, []));
  const details: APIErrorDetails = {
    status: response.status,
    headers: response.headers,
    code,
    requestId:
      response.headers.get("x-request-id") ??
      response.headers.get("request-id") ??
      textAt(body, pointers?.requestId, ["/error/request_id", "/request_id"]),
    body,
    method,
    // query strings can carry keys (`api_key=`): messages show the path only
    url: url.split("?")[0] ?? url,
    hint: api.hints?.[String(response.status)],
    retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  };
  // an API code the spec maps to a class (`x-keysmith-result-code.errors`) refines a 4xx's class; a 429 stays
  // a RateLimitError and a 5xx an InternalServerError whatever their code
  const refinable = response.status >= 400 && response.status < 500 && response.status !== 429;
  const mapped = refinable && code !== undefined ? api.resultCode?.errors?.[code.trim()] : undefined;
  const ErrorClass =
    API_ERRORS_BY_NAME[mapped ?? ""] ??
    BY_STATUS[response.status] ??
    (response.status >= 500 ? InternalServerError : APIError);
  return new ErrorClass(message, details);
}
