/** A JSON Schema object of a description, as the mock reads it. */
export type Schema = Readonly<Record<string, unknown>>;

const COMPONENT_REF = "#/components/schemas/";

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The schema behind `$ref`s into `components.schemas` (followed to the end), or undefined where there is none.
 * A ref elsewhere is left as it is.
 */
export function resolveSchema(schemas: Readonly<Record<string, unknown>>, schema: unknown): Schema | undefined {
  let current = schema;
  for (let depth = 0; depth < 32 && isSchema(current); depth++) {
    const ref = current.$ref;
    if (typeof ref !== "string" || !ref.startsWith(COMPONENT_REF)) return current;
    current = schemas[decodeURIComponent(ref.slice(COMPONENT_REF.length)).replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return isSchema(current) ? current : undefined;
}

/** An object schema's properties and required names, `allOf` members merged in. */
export interface ObjectShape {
  readonly properties: Readonly<Record<string, Schema>>;
  readonly required: readonly string[];
}

export function objectShape(schemas: Readonly<Record<string, unknown>>, schema: unknown): ObjectShape | undefined {
  const resolved = resolveSchema(schemas, schema);
  if (!resolved) return undefined;
  const properties: Record<string, Schema> = {};
  const required = new Set<string>();
  const visit = (node: Schema | undefined, depth: number) => {
    if (!node || depth > 8) return;
    if (isSchema(node.properties)) {
      for (const [name, property] of Object.entries(node.properties)) {
        const value = resolveSchema(schemas, property);
        if (value) properties[name] = value;
      }
    }
    if (Array.isArray(node.required))
      for (const name of node.required) if (typeof name === "string") required.add(name);
    if (Array.isArray(node.allOf)) for (const member of node.allOf) visit(resolveSchema(schemas, member), depth + 1);
  };
  visit(resolved, 0);
  const typed = typeOf(resolved);
  if (Object.keys(properties).length === 0 && typed !== "object") return undefined;
  return { properties, required: [...required] };
}

/** The schema's one non-null type, if it has one (`["string", "null"]` is a string). */
export function typeOf(schema: Schema | undefined): string | undefined {
  if (!schema) return undefined;
  const { type } = schema;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) {
    const types = type.filter((entry) => entry !== "null");
    return types.length === 1 && typeof types[0] === "string" ? types[0] : undefined;
  }
  if (isSchema(schema.properties)) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
}

/** The item schema of an array schema. */
export function itemsOf(schemas: Readonly<Record<string, unknown>>, schema: unknown): Schema | undefined {
  const resolved = resolveSchema(schemas, schema);
  if (!resolved || typeOf(resolved) !== "array") return undefined;
  return resolveSchema(schemas, resolved.items) ?? {};
}
