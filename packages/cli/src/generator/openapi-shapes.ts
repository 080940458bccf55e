/** The few OpenAPI shapes the generator reads, loosely typed: descriptions come from users and may be wrong. */

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Each operation of a description with its location, in document order. */
export interface OperationSite {
  readonly path: string;
  readonly method: HttpMethod;
  readonly operation: Json;
  readonly pathItem: Json;
  readonly pointer: (string | number)[];
}

export function listOperations(document: Json): OperationSite[] {
  const sites: OperationSite[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, pathItem] of Object.entries(paths)) {
    if (!isObject(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (isObject(operation)) sites.push({ path, method, operation, pathItem, pointer: ["paths", path, method] });
    }
  }
  return sites;
}
