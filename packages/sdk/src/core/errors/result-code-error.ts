import type { ApiDefinition, OperationDefinition } from "../api-definition.js";
import { textAt, valueAt } from "../json-pointer.js";
import { APIError } from "./APIError.js";
import { API_ERRORS_BY_NAME } from "./status-errors.js";

/**
 * For APIs that report failures inside a 2xx body (`x-keysmith-result-code`): the typed error for a body
 * whose result code is not one of the operation's success codes, else undefined. The error keeps the HTTP
 * status (200) and carries the API's code and message; its class is the one the spec maps the code to
 * (`NotFoundError`…), else `APIError`. A body without a code is not judged.
 */
export function apiErrorFromResultCode(
  api: ApiDefinition,
  op: OperationDefinition,
  method: string,
  url: string,
  response: Response,
  body: unknown,
): APIError | undefined {
  const resultCode = api.resultCode;
  if (!resultCode) return undefined;
  const raw = valueAt(body, resultCode.code);
  if (typeof raw !== "string" && typeof raw !== "number") return undefined;
  const code = String(raw).trim();
  const success = op.successCodes ?? resultCode.success;
  if (!success || success.includes(code)) return undefined;
  const message = textAt(body, resultCode.message, []) ?? "the API reported a failure";
  const ErrorClass = API_ERRORS_BY_NAME[resultCode.errors?.[code] ?? ""] ?? APIError;
  return new ErrorClass(`${message} (result code ${code})`, {
    status: response.status,
    headers: response.headers,
    code,
    requestId: response.headers.get("x-request-id") ?? response.headers.get("request-id") ?? undefined,
    body,
    method,
    url: url.split("?")[0] ?? url,
  });
}
