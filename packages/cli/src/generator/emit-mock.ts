import type { ApiModel, ParamModel } from "./model.js";
import { deref } from "./model.js";
import { instanceName } from "./naming.js";
import { isObject, type Json, listOperations } from "./openapi-shapes.js";

/** Per documented status, the JSON body's schema (null when the response has no body), for validating answers. */
function responseSchemas(document: Json, operationId: string): Record<string, unknown> {
  const site = listOperations(document).find((candidate) => candidate.operation.operationId === operationId);
  const responses = isObject(site?.operation.responses) ? site.operation.responses : {};
  const out: Record<string, unknown> = {};
  for (const [status, raw] of Object.entries(responses)) {
    const response = deref(document, raw);
    const content = isObject(response.content) ? response.content : {};
    const json = Object.entries(content).find(([type]) => /json/i.test(type))?.[1];
    out[status] = isObject(json) && isObject(json.schema) ? json.schema : null;
  }
  return out;
}

/**
 * `routes.ts` for the mock server: per operation, what is checked before its resolver runs (auth, permission,
 * the request's parameters and body against their schemas), plus the schemas those checks refer to.
 */
export function emitMockRoutes(model: ApiModel, document: Json, coreImport: string): string {
  const components = isObject(document.components) ? document.components : {};
  const param = (location: string) => (p: ParamModel) => ({
    name: p.name,
    in: location,
    required: p.required,
    schema: p.schema,
  });
  const spec = {
    name: model.name,
    title: model.title,
    servers: model.servers,
    // the mock checks how a credential travels; which variable a client reads it from is no concern of it
    securitySchemes: Object.fromEntries(
      Object.entries(model.securitySchemes).map(([name, scheme]) => {
        const { env: _, ...rest } = scheme as { env?: string };
        return [name, rest];
      }),
    ),
    security: model.security,
    ...(model.resultCode ? { resultCode: model.resultCode } : {}),
    operations: model.operations.map((op) => ({
      operationId: op.operationId,
      method: op.method,
      path: op.path,
      ...(op.security ? { security: op.security } : {}),
      ...(op.permission ? { permission: op.permission } : {}),
      ...(op.idempotencyKey ? { idempotencyKey: true } : {}),
      successStatus: /^\d+$/.test(op.success.status) ? Number(op.success.status) : 200,
      ...(op.successCodes ? { successCodes: op.successCodes } : {}),
      ...(op.failureCodes ? { failureCodes: op.failureCodes } : {}),
      ...(op.source ? { source: op.source.kind } : {}),
      // header parameters are not checked, but a browser may send them: the standalone server's CORS allows them
      parameters: [
        ...op.params.path.map(param("path")),
        ...op.params.query.map(param("query")),
        ...op.params.header.map(param("header")),
      ],
      ...(op.body?.schema
        ? {
            requestBody: {
              required: op.body.required,
              schema: op.body.schema,
              ...(op.body.formToo ? { form: true } : {}),
            },
          }
        : {}),
      responses: responseSchemas(document, op.operationId),
    })),
    schemas: isObject(components.schemas) ? components.schemas : {},
  };
  return [
    "",
    `import type { MockApiSpec } from "${coreImport}";`,
    "",
    `export const ${instanceName(model.className, "Spec")}: MockApiSpec = ${JSON.stringify(spec, null, 2)};`,
    "",
  ].join("\n");
}
