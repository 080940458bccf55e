import { setAtPointer } from "./json-pointer.js";
import type { MockApiSpec } from "./mock-api-spec.js";
import type { ProblemDetails } from "./mock-problem.js";

/**
 * An error body in the shape the spec describes (`x-keysmith-error`: JSON pointers to where the API keeps the
 * code, message, request id, field at fault and retry delay); undefined when the spec describes none.
 */
export function specErrorBody(spec: MockApiSpec, problem: ProblemDetails, requestId: string): unknown {
  const shape = spec.errorShape;
  if (!shape) return undefined;
  const body: Record<string, unknown> = {};
  if (shape.code) setAtPointer(body, shape.code, problem.code);
  if (shape.message) setAtPointer(body, shape.message, problem.message);
  if (shape.requestId) setAtPointer(body, shape.requestId, requestId);
  if (shape.field && problem.field) setAtPointer(body, shape.field, problem.field);
  if (shape.retryAfter && problem.retryAfter !== undefined) setAtPointer(body, shape.retryAfter, problem.retryAfter);
  return body;
}

/** `errorBody` for an API whose spec describes its error shape: nothing written by hand. */
export function errorBodyFromSpec(spec: MockApiSpec) {
  return (_status: number, problem: ProblemDetails, requestId: string): unknown => {
    const body = specErrorBody(spec, problem, requestId);
    if (body === undefined) throw new TypeError(`${spec.name}: the spec describes no error shape (x-keysmith-error)`);
    return body;
  };
}
