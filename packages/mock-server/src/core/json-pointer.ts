/** JSON pointers (RFC 6901) into JSON values: reading and writing. */

/** The value at a JSON pointer (`/pagination/next_page_token`) of a JSON value. */
export function atPointer(value: unknown, pointer: string): unknown {
  let current = value;
  for (const token of pointerTokens(pointer)) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[token];
  }
  return current;
}

/** Sets the value at a JSON pointer, creating objects on the way. */
export function setAtPointer(target: Record<string, unknown>, pointer: string, value: unknown): void {
  const tokens = pointerTokens(pointer);
  const last = tokens.pop();
  if (last === undefined) return;
  let current = target;
  for (const token of tokens) {
    const next = current[token];
    if (typeof next !== "object" || next === null || Array.isArray(next)) current[token] = {};
    current = current[token] as Record<string, unknown>;
  }
  current[last] = value;
}

function pointerTokens(pointer: string): string[] {
  return pointer
    .replace(/^#?\/?/, "")
    .split("/")
    .filter((token) => token !== "")
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
}
