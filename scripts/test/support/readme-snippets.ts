/**
 * Finds the code blocks of the READMEs and checks them: TypeScript and JavaScript blocks are type-checked as
 * modules with the repository's strict settings, JSON blocks that are Keysmith configs are validated as the CLI
 * validates a config file.
 *
 * A block can be annotated with HTML comments on the lines right above its fence (invisible on GitHub):
 *
 * - `<!-- snippet: continues -->`: the block uses names from the previous block in the same language of the
 *   same README section, and is compiled appended to it (after whatever that one continues).
 * - `<!-- snippet: generate <description> as <name> -->`: the block imports a client generated from its own
 *   description (a path from the repository's root), as `keysmith generate --spec <description> --name <name>
 *   --out <name>` would write it, so `./<name>/client.js` resolves from the block.
 * - `<!-- snippet: skip (<reason>) -->`: the block is deliberately not checked; the reason is required.
 *
 * Any other `snippet:` comment is an error, as is a marker above a block that is not checked.
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, posix, resolve } from "node:path";
import ts from "typescript";
import { ConfigError, validateConfig } from "../../../packages/cli/src/config.js";
import { runCli } from "../../../packages/cli/src/main.js";

/** A README as text, named by its path from the repository's root. */
export interface Document {
  readonly file: string;
  readonly text: string;
}

export type SnippetKind = "ts" | "js" | "mjs" | "cjs" | "config";

/** One checked code block of a README. */
export interface Snippet {
  readonly file: string;
  /** The 1-based line of the opening fence. */
  readonly line: number;
  readonly kind: SnippetKind;
  readonly code: string;
  /** The heading the block sits under (empty before the first one). */
  readonly section: string;
  readonly continues: boolean;
  readonly skip?: string | undefined;
  readonly generate?: { readonly description: string; readonly name: string } | undefined;
}

/** What checking one snippet found: nothing when it compiles (or, for a config, validates). */
export interface SnippetResult {
  readonly snippet: Snippet;
  readonly problems: string[];
}

const LANGUAGES: Readonly<Record<string, SnippetKind>> = {
  ts: "ts",
  typescript: "ts",
  js: "js",
  javascript: "js",
  mjs: "mjs",
  cjs: "cjs",
  json: "config",
};

const EXTENSIONS: Readonly<Record<Exclude<SnippetKind, "config">, string>> = {
  ts: ".ts",
  js: ".js",
  mjs: ".mjs",
  cjs: ".cjs",
};

const MARKER = /^<!--\s*snippet:\s*(.*?)\s*-->$/;

/** `snippet` as a reader finds it: `README.md:42 (ts)`. */
export function describeSnippet(snippet: Snippet): string {
  return `${snippet.file}:${snippet.line} (${snippet.kind === "config" ? "json config" : snippet.kind})`;
}

/** The root README and every package's README that exists, read from `root`. */
export function readmes(root: string): Document[] {
  const files = [
    "README.md",
    ...readdirSync(join(root, "packages"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => posix.join("packages", entry.name, "README.md"))
      .sort(),
  ];
  return files.flatMap((file) => {
    try {
      return [{ file, text: readFileSync(join(root, file), "utf8") }];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
  });
}

/**
 * Every checked block of `document`: TypeScript and JavaScript, and JSON holding `"apis"`. Throws, naming the
 * line, on a marker it does not know, a marker above a block it does not check, or an unclosed fence.
 */
export function extractSnippets(document: Document): Snippet[] {
  const lines = document.text.split(/\r?\n/);
  const snippets: Snippet[] = [];
  const attached = new Set<number>();
  const found: number[] = [];
  let section = "";
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const fence = /^ {0,3}(`{3,}|~{3,})\s*([^\s`{]*)/.exec(line);
    if (!fence) {
      if (/^ {0,3}#{1,6}\s/.test(line)) section = line.trim();
      else if (MARKER.test(line.trim())) found.push(index);
      else if (/^\s*<!--\s*snippet\b/.test(line)) {
        throw new Error(`${document.file}:${index + 1}: a snippet marker must be one line, <!-- snippet: … -->`);
      }
      continue;
    }
    const [, marks = "", info = ""] = fence;
    const close = new RegExp(`^ {0,3}${marks[0] === "`" ? "`" : "~"}{${marks.length},}\\s*$`);
    const end = lines.findIndex((candidate, at) => at > index && close.test(candidate));
    if (end === -1) throw new Error(`${document.file}:${index + 1}: a code block that is never closed`);
    const code = lines.slice(index + 1, end).join("\n");
    const markers = markersAbove(lines, index);
    for (let at = index - markers.length; at < index; at++) attached.add(at);
    const at = `${document.file}:${index + 1}`;
    const language = info.toLowerCase();
    const kind = LANGUAGES[language];
    const checked = kind !== undefined && (kind !== "config" || isConfig(code));
    if (!checked && markers.length > 0) throw new Error(`${at}: a snippet marker above a block that is not checked`);
    if (checked) {
      const snippet: { -readonly [K in keyof Snippet]: Snippet[K] } = {
        file: document.file,
        line: index + 1,
        kind,
        code,
        section,
        continues: false,
      };
      for (const marker of markers) applyMarker(snippet, marker, at);
      if (snippet.kind === "config" && (snippet.continues || snippet.generate))
        throw new Error(`${at}: a JSON config cannot continue a block or import a generated client`);
      snippets.push(snippet);
    }
    index = end;
  }
  const stray = found.find((index) => !attached.has(index));
  if (stray !== undefined) {
    throw new Error(`${document.file}:${stray + 1}: a snippet marker must be on the line right above a code block`);
  }
  return snippets;
}

/** The `snippet:` comments on the lines right above the fence at `index`, top first. */
function markersAbove(lines: readonly string[], index: number): string[] {
  const found: string[] = [];
  for (let at = index - 1; at >= 0; at--) {
    const marker = MARKER.exec((lines[at] ?? "").trim());
    if (!marker) break;
    found.unshift(marker[1] ?? "");
  }
  return found;
}

function applyMarker(snippet: { -readonly [K in keyof Snippet]: Snippet[K] }, text: string, at: string): void {
  if (text === "continues") {
    snippet.continues = true;
    return;
  }
  const skip = /^skip\s*\((.*\S.*)\)$/.exec(text);
  if (skip) {
    snippet.skip = skip[1]?.trim();
    return;
  }
  const generate = /^generate\s+(\S+)\s+as\s+([A-Za-z][A-Za-z0-9-]*)$/.exec(text);
  if (generate?.[1] && generate[2]) {
    snippet.generate = { description: generate[1], name: generate[2] };
    return;
  }
  throw new Error(
    `${at}: unknown snippet marker "${text}" (continues, generate <description> as <name>, or skip (<reason>))`,
  );
}

function isConfig(code: string): boolean {
  try {
    const value: unknown = JSON.parse(code);
    return typeof value === "object" && value !== null && "apis" in value;
  } catch {
    return false;
  }
}

/** A run of a snippet file's lines that came from one README block. */
interface Segment {
  readonly snippet: Snippet;
  /** The 0-based line of the snippet file the block's first line is on. */
  readonly start: number;
  readonly lines: number;
}

/**
 * Checks `snippets`: writes each code block as a module under `dir` (which must be inside the repository, so
 * that node_modules resolves), generates the clients that blocks ask for, and type-checks all of them in one
 * program with `tsconfig.json`'s options (and the packages' sources for `@keysmith/*`). Every problem names the
 * README line it is on.
 */
export async function checkSnippets(snippets: readonly Snippet[], root: string, dir: string): Promise<SnippetResult[]> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const problems = new Map<Snippet, string[]>(snippets.map((snippet) => [snippet, []]));
  const report = (snippet: Snippet, problem: string) => problems.get(snippet)?.push(problem);

  for (const snippet of snippets) {
    if (snippet.kind !== "config" || snippet.skip !== undefined) continue;
    try {
      validateConfig(JSON.parse(snippet.code), describeSnippet(snippet));
    } catch (error) {
      report(snippet, error instanceof ConfigError ? error.message : `${describeSnippet(snippet)}: ${error}`);
    }
  }

  await generateClients(snippets, root, dir, report);

  const files = new Map<string, Segment[]>();
  for (const snippet of snippets) {
    if (snippet.kind === "config" || snippet.skip !== undefined) continue;
    const chain = chainOf(snippet, snippets);
    if (typeof chain === "string") {
      report(snippet, chain);
      continue;
    }
    const segments: Segment[] = [];
    let start = 0;
    for (const part of chain) {
      const lines = part.code.split("\n").length;
      segments.push({ snippet: part, start, lines });
      start += lines;
    }
    const name = `${snippet.file.replace(/[^A-Za-z0-9]+/g, "-")}-L${snippet.line}${EXTENSIONS[snippet.kind]}`;
    const path = join(dir, name);
    await writeFile(path, `${chain.map((part) => part.code).join("\n")}\n`);
    files.set(resolve(path), segments);
  }

  const options = compilerOptions(root);
  const program = ts.createProgram({ rootNames: [...files.keys()], options });
  for (const diagnostic of [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]) {
    for (const snippet of snippets) report(snippet, `the compiler: ${flatten(diagnostic)}`);
  }
  for (const [path, segments] of files) {
    const source = program.getSourceFile(path);
    const owner = segments.at(-1)?.snippet;
    if (!owner) continue;
    if (!source) {
      report(owner, `${describeSnippet(owner)}: not part of the program`);
      continue;
    }
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    for (const diagnostic of diagnostics) report(owner, locate(diagnostic, segments, owner));
  }
  return snippets.map((snippet) => ({ snippet, problems: problems.get(snippet) ?? [] }));
}

/** The blocks `snippet` is compiled from, first to last, or why it cannot be. */
function chainOf(snippet: Snippet, snippets: readonly Snippet[]): Snippet[] | string {
  const chain = [snippet];
  let current = snippet;
  while (current.continues) {
    const position = snippets.indexOf(current);
    const previous = snippets
      .slice(0, position)
      .reverse()
      .find((candidate) => candidate.file === current.file && candidate.kind === current.kind);
    if (!previous || previous.section !== current.section || previous.skip !== undefined) {
      return `${describeSnippet(current)}: marked "continues", but no checked block in its language comes before it in its section (${current.section || "the top"})`;
    }
    chain.unshift(previous);
    current = previous;
  }
  return chain;
}

/** Runs `keysmith generate --spec … --name … --out <dir>/<name>` for each client the snippets import. */
async function generateClients(
  snippets: readonly Snippet[],
  root: string,
  dir: string,
  report: (snippet: Snippet, problem: string) => void,
): Promise<void> {
  const done = new Map<string, string>();
  for (const snippet of snippets) {
    if (!snippet.generate || snippet.skip !== undefined) continue;
    const { description, name } = snippet.generate;
    const earlier = done.get(name);
    if (earlier !== undefined) {
      if (earlier !== description) {
        report(snippet, `${describeSnippet(snippet)}: "${name}" is already generated from ${earlier}`);
      }
      continue;
    }
    done.set(name, description);
    const errors: string[] = [];
    const args = ["generate", "--spec", join(root, description), "--name", name, "--out", join(dir, name)];
    const code = await runCli([...args, "--core-import", "@keysmith/sdk/core", "--quiet"], {
      log() {},
      error: (line) => errors.push(line),
      cwd: root,
    });
    if (code !== 0) {
      report(snippet, `${describeSnippet(snippet)}: keysmith generate ${description} failed:\n${errors.join("\n")}`);
    }
  }
}

/**
 * `tsconfig.json`'s compiler options (the strict ones of tsconfig.base.json, and its paths to the packages'
 * sources), plus the entries a reader imports that the repository's own code does not, and JavaScript checked.
 */
function compilerOptions(root: string): ts.CompilerOptions {
  const configFile = join(root, "tsconfig.json");
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) throw new Error(flatten(read.error));
  const noFiles: ts.ParseConfigHost = { ...ts.sys, readDirectory: () => [] };
  const parsed = ts.parseJsonConfigFileContent(read.config, noFiles, root, undefined, configFile);
  const NO_INPUTS = 18003;
  const errors = parsed.errors.filter((error) => error.code !== NO_INPUTS);
  if (errors.length > 0) throw new Error(errors.map(flatten).join("\n"));
  return {
    ...parsed.options,
    noEmit: true,
    allowJs: true,
    checkJs: true,
    paths: {
      ...parsed.options.paths,
      "@keysmith/mock-server/browser": ["./packages/mock-server/src/browser.ts"],
      "@keysmith/cli": ["./packages/cli/src/index.ts"],
      "@keysmith/cli/describe": ["./packages/cli/src/describe.ts"],
    },
  };
}

/** `README.md:250:7 (the block at line 244): TS2339 Property 'launch' does not exist…`. */
function locate(diagnostic: ts.Diagnostic, segments: readonly Segment[], owner: Snippet): string {
  const text = `TS${diagnostic.code} ${flatten(diagnostic)}`;
  if (!diagnostic.file || diagnostic.start === undefined) return `${describeSnippet(owner)}: ${text}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const segment = segments.find((candidate) => line >= candidate.start && line < candidate.start + candidate.lines);
  if (!segment) return `${describeSnippet(owner)}: ${text}`;
  const readmeLine = segment.snippet.line + 1 + (line - segment.start);
  const block = segment.snippet === owner ? "" : ", in the block it continues";
  return `${segment.snippet.file}:${readmeLine}:${character + 1} (the block at line ${segment.snippet.line}${block}): ${text}`;
}

function flatten(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
}
