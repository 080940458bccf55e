import fc from "fast-check";
import { isObject } from "./openapi-spec.js";

/**
 * One deliberate change to a (valid) JSON value, aimed at a node picked by its pre-order index (modulo the
 * number of nodes, so any index fits any value and shrinking keeps working).
 */
export type JsonMutation =
  /** The node becomes a value of another type or out of any sensible range. */
  | { readonly kind: "replace"; readonly at: number; readonly with: unknown }
  /** An object member disappears (a required one, often). */
  | { readonly kind: "drop"; readonly at: number }
  /** An object gains a member no schema names. */
  | { readonly kind: "add"; readonly at: number; readonly name: string; readonly value: unknown }
  /** The node is wrapped once more: `x` → `[x]` or `{"value": x}`. */
  | { readonly kind: "wrap"; readonly at: number; readonly as: "array" | "object" }
  /** The node becomes arrays or objects nested `depth` deep (rendered as text: no such value is ever built). */
  | { readonly kind: "deep"; readonly at: number; readonly depth: number; readonly as: "array" | "object" };

const odd: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    -(2 ** 53),
    2 ** 53 + 2,
    "",
    " ",
    "0",
    "true",
    "null",
    "\u0000",
    "\ud800",
    "💥👩🏽‍🚀",
    "\u202eevil",
    [],
    {},
    [null],
    { "": null },
  ),
  fc.integer(),
  fc.string({ unit: "binary", maxLength: 40 }),
);

export const jsonMutationArbitrary: fc.Arbitrary<JsonMutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), with: odd }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("drop" as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      at: fc.nat(),
      name: fc.constantFrom("extra", "__proto__", "constructor", "", "id", "💥"),
      value: odd,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("wrap" as const),
      at: fc.nat(),
      as: fc.constantFrom("array" as const, "object" as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("deep" as const),
      at: fc.nat(),
      depth: fc.constantFrom(64, 1_000, 10_000, 100_000),
      as: fc.constantFrom("array" as const, "object" as const),
    }),
  },
);

/** A sentinel the JSON text of a `deep` mutation replaces; no generated string holds a NUL followed by this. */
const DEEP = "\u0000keysmith-fuzz-deep\u0000";

/** The mutated value's JSON text, and a label saying what changed where (`drop /team_id`). */
export function mutateJson(value: unknown, mutation: JsonMutation): { text: string; label: string } {
  const nodes = pointersOf(value, mutation.kind === "drop");
  if (nodes.length === 0) {
    // nothing of that kind to aim at (no member to drop): change the whole value instead
    return mutateJson(value, { kind: "replace", at: 0, with: mutation.kind === "drop" ? {} : null });
  }
  const target = nodes[mutation.at % nodes.length] ?? "";
  const label = `${mutation.kind} ${target || "(root)"}`;
  switch (mutation.kind) {
    case "replace":
      return { text: JSON.stringify(setAt(value, target, mutation.with)), label };
    case "drop":
      return { text: JSON.stringify(setAt(value, target, REMOVE)), label };
    case "add": {
      const holder = objectAtOrAbove(value, target);
      const next = setAt(value, holder, { ...(getAt(value, holder) as object), [mutation.name]: mutation.value });
      return { text: JSON.stringify(next), label: `add ${holder || "(root)"}/${mutation.name}` };
    }
    case "wrap": {
      const inner = getAt(value, target);
      return {
        text: JSON.stringify(setAt(value, target, mutation.as === "array" ? [inner] : { value: inner })),
        label,
      };
    }
    case "deep": {
      const open = mutation.as === "array" ? "[" : '{"a":';
      const close = mutation.as === "array" ? "]" : "}";
      const nested = `${open.repeat(mutation.depth)}${mutation.as === "array" ? "" : "1"}${close.repeat(mutation.depth)}`;
      return {
        text: JSON.stringify(setAt(value, target, DEEP)).replace(JSON.stringify(DEEP), nested),
        label: `deep ${mutation.as} ×${mutation.depth} at ${target || "(root)"}`,
      };
    }
  }
}

const REMOVE = Symbol("remove");

/** JSON pointers of every node (or, with `membersOnly`, of every object member), in pre-order. */
function pointersOf(value: unknown, membersOnly: boolean, at = ""): string[] {
  const out = membersOnly ? [] : [at];
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) out.push(...pointersOf(item, membersOnly, `${at}/${index}`));
  } else if (isObject(value)) {
    for (const [name, item] of Object.entries(value)) {
      const path = `${at}/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`;
      if (membersOnly) out.push(path);
      out.push(...pointersOf(item, membersOnly, path));
    }
  }
  return out;
}

function tokens(path: string): string[] {
  return path
    .split("/")
    .slice(1)
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function getAt(value: unknown, path: string): unknown {
  return tokens(path).reduce<unknown>((node, token) => (node as Record<string, unknown>)?.[token], value);
}

/** The closest object at or above `path`, or the root. */
function objectAtOrAbove(value: unknown, path: string): string {
  const parts = tokens(path);
  for (let end = parts.length; end >= 0; end -= 1) {
    const candidate = parts
      .slice(0, end)
      .map((token) => `/${token.replaceAll("~", "~0").replaceAll("/", "~1")}`)
      .join("");
    if (isObject(getAt(value, candidate))) return candidate;
  }
  return "";
}

/** A copy of `value` with the node at `path` replaced (or removed, for `REMOVE`). */
function setAt(value: unknown, path: string, next: unknown): unknown {
  const [head, ...rest] = tokens(path);
  if (head === undefined) return next === REMOVE ? undefined : next;
  const restPath = rest.map((token) => `/${token.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
  if (Array.isArray(value)) {
    const copy = [...value];
    const index = Number(head);
    if (rest.length === 0 && next === REMOVE) copy.splice(index, 1);
    else copy[index] = setAt(copy[index], restPath, next);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && next === REMOVE) delete copy[head];
  else
    Object.defineProperty(copy, head, {
      value: setAt(copy[head], restPath, next),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}
