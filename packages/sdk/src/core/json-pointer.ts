/** The value at a JSON pointer (`/response/data/permissions`) in parsed JSON, or undefined where any step is missing. */
export function valueAt(document: unknown, pointer: string): unknown {
  let node = document;
  for (const token of pointer.split("/").slice(1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[token.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return node;
}
