import type { ProblemDetails } from "./mock-problem.js";

/** The `{error:{code,message,request_id}}` shape, for APIs that publish no error shape of their own. */
export function nestedErrorBody(_status: number, problem: ProblemDetails, requestId: string): unknown {
  return {
    error: {
      code: problem.code,
      message: problem.message,
      request_id: requestId,
      ...(problem.field ? { field: problem.field } : {}),
    },
  };
}
