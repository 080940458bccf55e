/** JSON Pointer (RFC 6901) helpers, in the URI-fragment form OpenAPI uses (`#/paths/~1runs/post`). */

export function escapeToken(token: string | number): string {
  return String(token).replaceAll("~", "~0").replaceAll("/", "~1");
}

export function pointerOf(path: readonly (string | number)[]): string {
  return `#${path.map((token) => `/${escapeToken(token)}`).join("")}`;
}

/** Splits `#/a/b~1c` into `["a", "b/c"]`; returns undefined for anything but a local pointer. */
export function parsePointer(ref: string): string[] | undefined {
  if (ref === "#") return [];
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((token) => decodeURIComponent(token).replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** Follows a local pointer through plain JSON data; undefined when any step is missing. */
export function resolvePointer(root: unknown, ref: string): unknown {
  const tokens = parsePointer(ref);
  if (tokens === undefined) return undefined;
  let node: unknown = root;
  for (const token of tokens) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}
