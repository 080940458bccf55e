import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { pointerOf } from "./json-pointer.js";
import { SpecError } from "./spec-error.js";

/** A parsed description, with a way to turn a JSON pointer back into a line of the source. */
export interface LoadedSpec {
  readonly file: string;
  readonly text: string;
  readonly document: Record<string, unknown>;
  lineOf(pointer: string): number | undefined;
}

/**
 * Reads an OpenAPI description from YAML or JSON. JSON is parsed natively (GitHub's 13 MB description
 * would take seconds through a YAML parser); YAML keeps its syntax tree so errors can name lines.
 */
export async function loadSpec(file: string, displayName = file): Promise<LoadedSpec> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new SpecError(displayName, "#", `cannot read the file (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  return extname(file).toLowerCase() === ".json" ? parseJson(text, displayName) : parseYaml(text, displayName);
}

function parseJson(text: string, file: string): LoadedSpec {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new SpecError(file, "#", `bad JSON: ${(error as Error).message}`);
  }
  return { file, text, document: asRootObject(document, file), lineOf: () => undefined };
}

function parseYaml(text: string, file: string): LoadedSpec {
  const lineCounter = new LineCounter();
  const parsed = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const [first] = parsed.errors;
  if (first) {
    const offset = first.pos[0];
    const line = lineCounter.linePos(offset).line;
    throw new SpecError(file, pointerAtOffset(parsed.contents, offset), `bad YAML: ${first.message}`, line);
  }
  const document = asRootObject(parsed.toJS({ maxAliasCount: 1000 }), file);
  return {
    file,
    text,
    document,
    lineOf(pointer) {
      const tokens = pointer.replace(/^#\/?/, "").split("/").filter(Boolean);
      const path = tokens.map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
      const node = parsed.getIn(path, true) as Node | undefined;
      const offset = node?.range?.[0];
      return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    },
  };
}

function asRootObject(document: unknown, file: string): Record<string, unknown> {
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new SpecError(file, "#", "the description must be an object at the top level");
  }
  return document as Record<string, unknown>;
}

/** The pointer of the deepest node whose source range contains `offset`, for locating syntax errors. */
function pointerAtOffset(root: unknown, offset: number): string {
  const path: (string | number)[] = [];
  let node: unknown = root;
  for (;;) {
    let next: unknown;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const start = (pair.key as Node | null)?.range?.[0] ?? Number.POSITIVE_INFINITY;
        const end = (pair.value as Node | null)?.range?.[2] ?? (pair.key as Node | null)?.range?.[2] ?? -1;
        if (offset >= start && offset <= end) {
          path.push(isScalar(pair.key) ? String(pair.key.value) : "?");
          next = pair.value;
          break;
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const range = (item as Node | null)?.range;
        if (next === undefined && range && offset >= range[0] && offset <= range[2]) {
          path.push(index);
          next = item;
        }
      });
    }
    if (next === undefined || next === null) return pointerOf(path);
    node = next;
  }
}
