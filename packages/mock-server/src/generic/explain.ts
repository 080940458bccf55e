import type { MockApiSpec } from "../core/mock-api-spec.js";
import { type Paging, planApi } from "./resources.js";
import { tokenRoutes } from "./token-endpoint.js";

/**
 * How the mock reads a description, as lines for a person: each resource with its paths, id field, parents,
 * paging and the operations that drive it; then the operations answered from examples or schemas.
 */
export function explainApi(spec: MockApiSpec): string[] {
  const plan = planApi(spec);
  const lines = [`${spec.name} (${spec.title}): ${spec.operations.length} operation(s)`];
  for (const resource of plan.resources) {
    const paths = [resource.collectionPath, resource.itemPath].filter(Boolean).join(" + ");
    lines.push(`  resource ${resource.name}: ${paths}`);
    lines.push(
      `    id: ${resource.idField ? `field "${resource.idField}"` : "no id field (kept by the path's value)"}${resource.idParam ? `, path parameter {${resource.idParam}}` : ""}`,
    );
    if (resource.parentParams.length > 0)
      lines.push(`    kept per parent: ${resource.parentParams.map((name) => `{${name}}`).join(", ")}`);
    for (const [role, operationId] of Object.entries(resource.operations)) {
      const planned = plan.operations.get(operationId);
      const paging =
        planned && "list" in planned && planned.list
          ? ` (${planned.list.shape.kind === "array" ? "an array" : `items in "${planned.list.shape.itemsField}"`}, ${describePaging(planned.list.paging)})`
          : "";
      lines.push(`    ${role.padEnd(8)} ${operationId}${paging}`);
    }
    const actions = spec.operations.filter((route) => {
      const planned = plan.operations.get(route.operationId);
      return planned?.kind === "action" && planned.resource === resource;
    });
    for (const route of actions)
      lines.push(`    action   ${route.operationId} (404 for an unknown item, else generated)`);
  }
  const tokens = tokenRoutes(spec);
  for (const route of tokens.routes) {
    lines.push(`  OAuth2 tokens: POST ${route.path} (client credentials; the client secret is one of the keys)`);
  }
  for (const skipped of tokens.skipped) lines.push(`  OAuth2 tokens not served: ${skipped}`);
  const statics = spec.operations.filter((route) => plan.operations.get(route.operationId)?.kind === "static");
  if (statics.length > 0) {
    lines.push("  answered from the spec's examples, else generated from its schemas:");
    for (const route of statics)
      lines.push(`    ${route.method.toUpperCase().padEnd(6)} ${route.path} (${route.operationId})`);
  }
  return lines;
}

function describePaging(paging: Paging): string {
  switch (paging.style) {
    case "page":
      return `paged by ${paging.pageParam}${paging.sizeParam ? ` and ${paging.sizeParam}` : ""}`;
    case "offset":
      return `paged by ${paging.offsetParam}${paging.limitParam ? ` and ${paging.limitParam}` : ""}`;
    case "cursor":
      return `paged by the cursor ${paging.cursorParam}${paging.limitParam ? ` and ${paging.limitParam}` : ""}`;
    default:
      return "all at once";
  }
}
