import type { ApiModel, ParamModel } from "./model.js";
import { deref } from "./model.js";
import { instanceName } from "./naming.js";
import { isObject, type Json, listOperations } from "./openapi-shapes.js";

/**
 * Per documented status, the JSON body's schema (null when the response has no body), for validating answers,
 * and the example the description gives of it, for answering.
 */
function responseSchemas(
  document: Json,
  operationId: string,
): { schemas: Record<string, unknown>; examples: Record<string, unknown> } {
  const site = listOperations(document).find((candidate) => candidate.operation.operationId === operationId);
  const responses = isObject(site?.operation.responses) ? site.operation.responses : {};
  const schemas: Record<string, unknown> = {};
  const examples: Record<string, unknown> = {};
  for (const [status, raw] of Object.entries(responses)) {
    const response = deref(document, raw);
    const content = isObject(response.content) ? response.content : {};
    const json = Object.entries(content).find(([type]) => /json/i.test(type))?.[1];
    schemas[status] = isObject(json) && isObject(json.schema) ? json.schema : null;
    const example = isObject(json) ? exampleOf(document, json) : undefined;
    if (example !== undefined) examples[status] = example;
  }
  return { schemas, examples };
}

/** A media type's `example`, or the value of the first of its `examples`. */
function exampleOf(document: Json, media: Json): unknown {
  if (media.example !== undefined) return media.example;
  const first = isObject(media.examples) ? Object.values(media.examples)[0] : undefined;
  const example = first === undefined ? undefined : deref(document, first);
  return example && "value" in example ? example.value : undefined;
}

/**
 * What the mock server needs of a description: per operation, what is checked before its resolver runs (auth,
 * permission, the request's parameters and body against their schemas) and the documented answers, plus the
 * schemas those refer to, the pagination and the error shape. Plain data: `routes.ts` holds it for the four
 * APIs, and `keysmith mock --spec` builds it at start-up for any description.
 */
export function mockApiSpecOf(model: ApiModel, document: Json): Json {
  const components = isObject(document.components) ? document.components : {};
  const param = (location: string) => (p: ParamModel) => ({
    name: p.name,
    in: location,
    required: p.required,
    schema: p.schema,
    ...(p.filter ? { filter: p.filter } : {}),
  });
  return {
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
    operations: model.operations.map((op) => {
      const { schemas, examples } = responseSchemas(document, op.operationId);
      return {
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
        ...(op.sort ? { sort: op.sort } : {}),
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
        responses: schemas,
        ...(Object.keys(examples).length > 0 ? { examples } : {}),
      };
    }),
    schemas: isObject(components.schemas) ? components.schemas : {},
    ...(model.pagination ? { pagination: model.pagination } : {}),
    ...(model.error ? { errorShape: model.error } : {}),
  };
}

/** `routes.ts` for the mock server: `mockApiSpecOf` as a typed constant. */
export function emitMockRoutes(model: ApiModel, document: Json, coreImport: string): string {
  const spec = mockApiSpecOf(model, document);
  return [
    "",
    `import type { MockApiSpec } from "${coreImport}";`,
    "",
    `export const ${instanceName(model.className, "Spec")}: MockApiSpec = ${JSON.stringify(spec, null, 2)};`,
    "",
  ].join("\n");
}
