import type { ApiDefinition, OperationDefinition } from "./api-definition.js";
import { KeysmithError } from "./errors/KeysmithError.js";
import { valueAt } from "./json-pointer.js";

/**
 * Asks the API what the key may do, through its `x-keysmith-introspection` operation (`call` runs it as the
 * client's own method would), and returns the permission list the answer holds. A capability: generated clients
 * of APIs with key introspection pass it (`introspectKey`), so that the others' bundles leave it out.
 */
export async function introspectKey(
  api: ApiDefinition,
  call: (op: OperationDefinition) => Promise<unknown>,
): Promise<string[]> {
  const introspection = api.introspection;
  const op = introspection && api.operations[introspection.operationId];
  if (!introspection || !op) {
    throw new KeysmithError(`${api.name}: this API has no key introspection; pass \`permissions\` instead.`);
  }
  const permissions = valueAt(await call(op), introspection.permissions);
  if (!Array.isArray(permissions))
    throw new KeysmithError(`${api.name}: the key introspection answered no permission list.`);
  return permissions.map(String);
}
