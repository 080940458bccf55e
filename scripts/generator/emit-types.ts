import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { generatedHeader } from "./header.js";
import type { ApiModel } from "./model.js";
import type { Json } from "./openapi-shapes.js";

/** `types.ts`: openapi-typescript's `paths`, `components` and `operations` for the description. */
export async function emitTypes(model: ApiModel, document: Json): Promise<string> {
  // openapi-typescript reads the object without writing to it; `silent` keeps its warnings off our output.
  const ast = await openapiTS(document as unknown as OpenAPI3, { silent: true });
  return `${generatedHeader(model)}\n${astToString(ast)}`;
}
