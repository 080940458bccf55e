/** Deterministic ids, so seeded data and test expectations stay stable run after run. */

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A 22-character base62 id (Epsilon3's opaque id shape), derived from a namespace and a counter. */
export function base62Id(namespace: string, n: number): string {
  let state = hash(`${namespace}:${n}`);
  let id = "";
  for (let i = 0; i < 22; i++) {
    state = (Math.imul(state ^ (state >>> 15), 2246822507) + i) >>> 0;
    id += BASE62[state % 62];
  }
  return id;
}

/** A UUID (version 4 layout) derived from a namespace and a counter. */
export function uuidFor(namespace: string, n: number): string {
  const hex = (value: number) => (value >>> 0).toString(16).padStart(8, "0");
  const a = hex(hash(`${namespace}:${n}:a`));
  const b = hex(hash(`${namespace}:${n}:b`));
  const c = hex(hash(`${namespace}:${n}:c`));
  const d = hex(hash(`${namespace}:${n}:d`));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${(8 + (Number.parseInt(c[0] ?? "0", 16) % 4)).toString(16)}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** A random secret of `length` base62 characters, for keys the mock issues at run time. */
export function randomSecret(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => BASE62[byte % 62]).join("");
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
