import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ErrorObject } from "ajv";
import type { ApiConfig, KeysmithConfig } from "./config-types.js";
import { validate as validator } from "./generated/config-validator.js";
import { DEFAULT_CORE_IMPORT, portableRelative, type Target } from "./generator/targets.js";

/** The names `keysmith generate` looks for in the working directory, in this order. */
export const CONFIG_FILES = ["keysmith.config.json", "keysmith.config.mjs", "keysmith.config.ts"] as const;

/** A config file that cannot be read, run or accepted; the message names the file and the field. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** A loaded config, resolved into generator targets. */
export interface ResolvedConfig {
  readonly file: string;
  readonly targets: Target[];
  /** Absolute folders only the generator writes. */
  readonly generatedDirs: string[];
  /** The files whose change means regenerating: the config, every spec and AsyncAPI description. */
  readonly inputs: string[];
  /** The command generated headers name. */
  readonly regenerate: string;
}

/** The config file in `dir`, if there is one. */
export function findConfig(dir: string): string | undefined {
  return CONFIG_FILES.map((name) => join(dir, name)).find((file) => existsSync(file));
}

/** Reads, runs (`.mjs`, `.ts`) and validates a config file, and resolves its paths. */
export async function loadConfig(file: string): Promise<ResolvedConfig> {
  const shown = basename(file);
  const value = await readConfigValue(file, shown);
  const config = validateConfig(value, shown);
  const dir = dirname(file);
  const isDefault = CONFIG_FILES.some((name) => name === shown);
  const regenerate = config.regenerate ?? `npx keysmith generate${isDefault ? "" : ` --config ${shown}`}`;
  const targets = config.apis.map((api) => apiTarget(api, dir, regenerate));
  checkDistinct(targets, shown);
  return {
    file,
    targets,
    regenerate,
    generatedDirs: (config.generatedDirs ?? []).map((path) => resolve(dir, path)),
    inputs: [
      file,
      ...targets.flatMap((target) => [target.specPath, ...(target.realtimeSpecPath ? [target.realtimeSpecPath] : [])]),
    ],
  };
}

function apiTarget(api: ApiConfig, dir: string, regenerate: string): Target {
  const specPath = resolve(dir, api.spec);
  const realtimeSpecPath = api.asyncapi === undefined ? undefined : resolve(dir, api.asyncapi);
  return {
    specPath,
    specDisplay: portableRelative(dir, specPath),
    name: api.name,
    sdkDir: resolve(dir, api.out),
    sdkCoreImport: api.coreImport ?? DEFAULT_CORE_IMPORT,
    mockDir: api.mockRoutes ? resolve(dir, api.mockRoutes.out) : undefined,
    mockCoreImport: api.mockRoutes?.coreImport ?? "",
    ...(realtimeSpecPath ? { realtimeSpecPath, realtimeSpecDisplay: portableRelative(dir, realtimeSpecPath) } : {}),
    ...(api.requireSource ? { requireSource: true } : {}),
    regenerate,
  };
}

/** Two APIs with one name, or writing into one folder, would overwrite each other. */
function checkDistinct(targets: readonly Target[], shown: string): void {
  const seen = new Map<string, number>();
  targets.forEach((target, index) => {
    for (const [key, field] of [
      [`name:${target.name.toLowerCase()}`, "name"],
      [`out:${target.sdkDir}`, "out"],
    ] as const) {
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        throw new ConfigError(`${shown}: apis[${index}].${field} is the same as apis[${earlier}].${field}`);
      }
      seen.set(key, index);
    }
  });
}

async function readConfigValue(file: string, shown: string): Promise<unknown> {
  const extension = extname(file).toLowerCase();
  if (extension === ".json") {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new ConfigError(`${shown}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
    try {
      return JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch (error) {
      throw new ConfigError(`${shown}: bad JSON: ${(error as Error).message}`);
    }
  }
  if (extension === ".mjs" || extension === ".js") return importDefault(file, shown);
  if (extension === ".ts" || extension === ".mts") return importTypeScript(file, shown);
  throw new ConfigError(`${shown}: a config file is .json, .mjs or .ts`);
}

async function importDefault(file: string, shown: string): Promise<unknown> {
  let module: { default?: unknown };
  try {
    module = (await import(`${pathToFileURL(file).href}?t=${Date.now()}`)) as { default?: unknown };
  } catch (error) {
    throw new ConfigError(`${shown}: failed to load: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (module.default === undefined)
    throw new ConfigError(`${shown}: has no default export (export default { apis: […] })`);
  return await module.default;
}

/**
 * A TypeScript config is transpiled with the TypeScript the generator already depends on, into a temporary
 * module beside it (so its relative imports and packages resolve as written), imported, and removed.
 */
async function importTypeScript(file: string, shown: string): Promise<unknown> {
  const ts = createRequire(import.meta.url)("typescript") as typeof import("typescript");
  const source = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`${shown}: cannot read the file (${error.code ?? error.message})`);
  });
  const { outputText, diagnostics } = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  });
  const problem = diagnostics?.[0];
  if (problem) {
    const where =
      problem.file && problem.start !== undefined
        ? problem.file.getLineAndCharacterOfPosition(problem.start)
        : undefined;
    const text = ts.flattenDiagnosticMessageText(problem.messageText, " ");
    throw new ConfigError(`${shown}${where ? `:${where.line + 1}` : ""}: ${text}`);
  }
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.mjs`);
  await writeFile(temporary, outputText);
  try {
    return await importDefault(temporary, shown);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Checks a config against keysmith.config.schema.json; every problem is named by its field. */
export function validateConfig(value: unknown, shown: string): KeysmithConfig {
  // compiled ahead of time (config-validator-source.ts): no ajv to load nor schema to compile on every run
  if (validator(value)) return value as KeysmithConfig;
  const problems = (validator.errors ?? []).map((error) => `  ${fieldOf(error)}: ${describe(error)}`);
  throw new ConfigError(`${shown}: not a Keysmith config:\n${[...new Set(problems)].join("\n")}`);
}

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((shown, token) => (/^\d+$/.test(token) ? `${shown}[${token}]` : shown ? `${shown}.${token}` : token), "");
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const child = params.missingProperty ?? params.additionalProperty;
  if (child === undefined) return path || "(the config)";
  return path ? `${path}.${child}` : child;
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case "required":
      return "missing";
    case "additionalProperties":
      return "not a config field";
    case "pattern":
      return error.instancePath.endsWith("/name")
        ? "must start with a letter and hold only letters, digits and -"
        : "must be one line without backticks";
    default:
      return error.message ?? error.keyword;
  }
}
