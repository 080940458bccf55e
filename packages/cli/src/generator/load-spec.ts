import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname } from "node:path";
import { load as loadYaml } from "js-yaml";
import type { Node } from "yaml";
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
    // a UTF-8 byte-order mark is not part of the JSON or YAML
    text = (await readFile(file, "utf8")).replace(/^\uFEFF/, "");
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

/**
 * YAML goes through js-yaml, which is fast; the `yaml` library, which keeps source positions, is loaded only
 * to report a problem: the line and pointer of a syntax error, or the line of a pointer.
 */
function parseYaml(text: string, file: string): LoadedSpec {
  let document: unknown;
  try {
    document = loadYaml(text);
  } catch {
    throw yamlSyntaxError(text, file);
  }
  let tree: { document: YamlDocument; lineCounter: LineCounter } | undefined;
  return {
    file,
    text,
    document: asRootObject(document, file),
    lineOf(pointer) {
      tree ??= syntaxTree(text);
      const tokens = pointer.replace(/^#\/?/, "").split("/").filter(Boolean);
      const path = tokens.map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
      const node = tree.document.getIn(path, true) as Node | undefined;
      const offset = node?.range?.[0];
      return offset === undefined ? undefined : tree.lineCounter.linePos(offset).line;
    },
  };
}

type YamlLibrary = typeof import("yaml");
type YamlDocument = ReturnType<YamlLibrary["parseDocument"]>;
type LineCounter = InstanceType<YamlLibrary["LineCounter"]>;

function yamlLibrary(): YamlLibrary {
  return createRequire(import.meta.url)("yaml") as YamlLibrary;
}

function syntaxTree(text: string): { document: YamlDocument; lineCounter: LineCounter } {
  const yaml = yamlLibrary();
  const lineCounter = new yaml.LineCounter();
  return { document: yaml.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true }), lineCounter };
}

function yamlSyntaxError(text: string, file: string): SpecError {
  const { document, lineCounter } = syntaxTree(text);
  const [first] = document.errors;
  if (!first) return new SpecError(file, "#", "bad YAML");
  const offset = first.pos[0];
  return new SpecError(
    file,
    pointerAtOffset(document.contents, offset),
    `bad YAML: ${first.message}`,
    lineCounter.linePos(offset).line,
  );
}

function asRootObject(document: unknown, file: string): Record<string, unknown> {
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new SpecError(file, "#", "the description must be an object at the top level");
  }
  return document as Record<string, unknown>;
}

/** The pointer of the deepest node whose source range contains `offset`, for locating syntax errors. */
function pointerAtOffset(root: unknown, offset: number): string {
  const { isMap, isPair, isScalar, isSeq } = yamlLibrary();
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
