import { relative, resolve, sep } from "node:path";

/** One description to generate from, and where each kind of output goes. */
export interface Target {
  readonly specPath: string;
  /**
   * How the spec is named in headers and messages: relative to the config file's folder (or, for `--spec`, to the
   * working directory), so the output does not depend on the machine.
   */
  readonly specDisplay: string;
  readonly name: string;
  readonly sdkDir: string;
  readonly sdkCoreImport: string;
  /** Where the mock server's route table goes (the `@keysmith/mock-server` package's own APIs only). */
  readonly mockDir: string | undefined;
  readonly mockCoreImport: string;
  /** An AsyncAPI description of the same API's Socket.IO side, when there is one. */
  readonly realtimeSpecPath?: string;
  readonly realtimeSpecDisplay?: string;
  /** Every operation must carry `x-keysmith-source` (the repository's own specs, not a user's description). */
  readonly requireSource?: boolean;
  /** The command that regenerates this target, written into every generated file's header. */
  readonly regenerate: string;
}

/** The import of the SDK runtime that generated clients use unless told otherwise. */
export const DEFAULT_CORE_IMPORT = "@keysmith/sdk/core";

/** `path` relative to `from`, with forward slashes on every platform (for headers that must not vary). */
export function portableRelative(from: string, path: string): string {
  const shown = relative(from, path) || ".";
  return sep === "/" ? shown : shown.split(sep).join("/");
}

export interface ExternalTargetOptions {
  readonly spec: string;
  readonly name: string;
  readonly out: string;
  readonly coreImport?: string | undefined;
  /** The folder relative paths are read from and shown relative to (the working directory). */
  readonly cwd: string;
}

/** A description from anywhere (`--spec`), generated into one directory as a standalone client. */
export function externalTarget(options: ExternalTargetOptions): Target {
  const { cwd, name } = options;
  const specPath = resolve(cwd, options.spec);
  const sdkDir = resolve(cwd, options.out);
  const coreImport = options.coreImport ?? DEFAULT_CORE_IMPORT;
  const command = [
    "npx keysmith generate",
    `--spec ${shellWord(portableRelative(cwd, specPath))}`,
    `--name ${name}`,
    `--out ${shellWord(portableRelative(cwd, sdkDir))}`,
    coreImport === DEFAULT_CORE_IMPORT ? "" : `--core-import ${shellWord(coreImport)}`,
  ];
  return {
    specPath,
    specDisplay: portableRelative(cwd, specPath),
    name,
    sdkDir,
    sdkCoreImport: coreImport,
    mockDir: undefined,
    mockCoreImport: "",
    regenerate: command.filter(Boolean).join(" "),
  };
}

/** A word as a POSIX shell reads it: bare when safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
