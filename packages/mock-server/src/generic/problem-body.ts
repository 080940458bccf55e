import { specErrorBody } from "../core/error-shapes.js";
import type { MockApiSpec, RouteSpec } from "../core/mock-api-spec.js";
import type { ProblemDetails } from "../core/mock-problem.js";
import { documentedStatus } from "../core/request-validator.js";
import type { SchemaSampler } from "./sample.js";
import { objectShape, resolveSchema, typeOf } from "./schema-walk.js";

const TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
};

/**
 * An error body: in the description's own shape where it says where the code, message and request id go
 * (`x-keysmith-error`); else, where the operation documents the status with a schema, a body of that schema
 * (generated, with its message and code fields set); else an RFC 9457 problem details object.
 */
export function problemBody(
  spec: MockApiSpec,
  status: number,
  problem: ProblemDetails,
  requestId: string,
  route: RouteSpec | undefined,
  sampler: SchemaSampler,
): unknown {
  const described = specErrorBody(spec, problem, requestId);
  if (described !== undefined) return described;
  // a status the operation documents without a body is answered without one
  if (documentsNoBody(status, route)) return undefined;
  const documented = documentedErrorSchema(spec, status, route);
  if (documented) {
    const body = sampler.sample(documented, `error:${route?.operationId}:${status}`);
    if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
    const fields = objectShape(spec.schemas, documented)?.properties ?? {};
    const record = body as Record<string, unknown>;
    const text = (name: string) => typeOf(fields[name]) === "string" && fields[name]?.enum === undefined;
    for (const name of ["message", "detail", "error_description", "description", "error"]) {
      if (text(name)) record[name] = problem.message;
    }
    if (text("code")) record.code = problem.code;
    if (typeOf(fields.status) === "integer" || typeOf(fields.status) === "number") record.status = status;
    return record;
  }
  return {
    type: "about:blank",
    title: TITLES[status] ?? "Error",
    status,
    detail: problem.message,
    code: problem.code,
    ...(problem.field ? { field: problem.field } : {}),
    requestId,
  };
}

/** The media type of `problemBody`'s answer: problem+json where it wrote one of its own. */
export function problemContentType(
  spec: MockApiSpec,
  status: number,
  route: RouteSpec | undefined,
): string | undefined {
  if (spec.errorShape || documentsNoBody(status, route) || documentedErrorSchema(spec, status, route)) return undefined;
  return "application/problem+json";
}

function documentsNoBody(status: number, route: RouteSpec | undefined): boolean {
  const key = route ? documentedStatus(route, status) : undefined;
  return key !== undefined && route?.responses[key] === null;
}

function documentedErrorSchema(spec: MockApiSpec, status: number, route: RouteSpec | undefined) {
  const key = route ? documentedStatus(route, status) : undefined;
  const schema = key === undefined ? undefined : route?.responses[key];
  return schema === null || schema === undefined ? undefined : resolveSchema(spec.schemas, schema);
}
