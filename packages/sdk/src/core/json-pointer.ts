/** The value at a JSON pointer (`/response/data/permissions`) in parsed JSON, or undefined where any step is missing. */
export function valueAt(document: unknown, pointer: string): unknown {
  let node = document;
  for (const token of pointer.split("/").slice(1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[token.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return node;
}

/** The first string or number found at `pointer`, else at each of `fallbacks` in turn, as text. */
export function textAt(
  document: unknown,
  pointer: string | undefined,
  fallbacks: readonly string[],
): string | undefined {
  for (const candidate of pointer ? [pointer] : fallbacks) {
    const value = valueAt(document, candidate);
    if (typeof value === "string" || typeof value === "number") return String(value);
  }
  return undefined;
}
