import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CONFIG_FILES, ConfigError, findConfig, loadConfig } from "./config.js";
import { generateTarget, isUpToDate, outputPaths } from "./generator/generate-target.js";
import { displayPath, findStale, findUnexpected, type OutputFile, writeOutputs } from "./generator/outputs.js";
import { SpecError, SpecErrors } from "./generator/spec-error.js";
import { externalTarget, type Target } from "./generator/targets.js";
import type { CliIO } from "./io.js";
import { progressReporter } from "./progress.js";
import { watchInputs } from "./watch.js";

export const GENERATE_USAGE = `usage: keysmith generate [--config <file>] [--check | --force | --watch]
       keysmith generate --spec <file> --name <name> --out <dir> [--core-import <specifier>] [--check | --force | --watch]
  --config       the config file (default: ${CONFIG_FILES.join(", ")} in the working directory)
  --spec         one OpenAPI 3.x or Swagger 2.0 description (YAML or JSON), instead of a config file
  --name         the API's name (letters, digits, -): names the client class and its environment variables
  --out          the folder the client is written to
  --core-import  where the generated code imports the SDK runtime from (default @keysmith/sdk/core)
  --check        write nothing; exit 1 naming every missing, stale or unexpected file
  --force        regenerate even what is up to date
  --watch        regenerate whenever a description or the config changes, until Ctrl-C
  --quiet        print only problems`;

/** What one generation works on: the targets, the folders only they write, and the files to watch. */
interface Plan {
  readonly targets: readonly Target[];
  readonly generatedDirs: readonly string[];
  readonly inputs: readonly string[];
  readonly regenerate: string;
}

type GenerateArgs = ReturnType<typeof parseGenerateArgs>;

function parseGenerateArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      config: { type: "string" },
      check: { type: "boolean", default: false },
      force: { type: "boolean", default: false },
      watch: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      spec: { type: "string" },
      name: { type: "string" },
      out: { type: "string" },
      "core-import": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  }).values;
}

/** `keysmith generate …`: resolves with the exit code (0 done or up to date, 1 failed or stale, 2 bad usage). */
export async function runGenerate(args: readonly string[], io: CliIO): Promise<number> {
  let values: GenerateArgs;
  try {
    values = parseGenerateArgs(args);
  } catch (error) {
    io.error(`keysmith generate: ${(error as Error).message}\n${GENERATE_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.log(GENERATE_USAGE);
    return 0;
  }
  const modes = (["check", "force", "watch"] as const).filter((mode) => values[mode]);
  if (modes.length > 1) {
    io.error(`keysmith generate: --${modes.join(" and --")} cannot be used together`);
    return 2;
  }
  const usageProblem = checkUsage(values);
  if (usageProblem) {
    io.error(`keysmith generate: ${usageProblem}\n${GENERATE_USAGE}`);
    return 2;
  }
  const plan = () => makePlan(values, io.cwd);
  if (values.watch) {
    // while the config is broken, it is the file to watch
    const config = values.spec === undefined ? configFile(values, io.cwd) : undefined;
    return watchAndGenerate(plan, io, values.quiet, config ? [config] : []);
  }
  let resolved: Plan;
  try {
    resolved = await plan();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.error(`keysmith generate: ${error.message}`);
      return 2;
    }
    throw error;
  }
  return generateOnce(resolved, { check: values.check, force: values.force, quiet: values.quiet }, io);
}

function checkUsage(values: GenerateArgs): string | undefined {
  const external = values.spec !== undefined || values.name !== undefined || values.out !== undefined;
  if (!external) {
    return values["core-import"] === undefined ? undefined : "--core-import goes with --spec, --name and --out";
  }
  if (values.config !== undefined) return "--config and --spec are two ways to say what to generate; give one";
  const missing = (["spec", "name", "out"] as const).filter((option) => !values[option]);
  if (missing.length > 0) return `--${missing.join(", --")} missing; --spec, --name and --out go together`;
  if (!/^[a-z][a-z0-9-]*$/i.test(values.name ?? "")) {
    return `--name "${values.name}" must start with a letter and hold only letters, digits and -`;
  }
  return undefined;
}

async function makePlan(values: GenerateArgs, cwd: string): Promise<Plan> {
  if (values.spec !== undefined) {
    const target = externalTarget({
      spec: values.spec,
      name: values.name ?? "",
      out: values.out ?? "",
      coreImport: values["core-import"],
      cwd,
    });
    return { targets: [target], generatedDirs: [], inputs: [target.specPath], regenerate: target.regenerate };
  }
  const file = configFile(values, cwd);
  if (file === undefined) {
    throw new ConfigError(
      `no ${CONFIG_FILES.slice(0, -1).join(", ")} or ${CONFIG_FILES.at(-1)} in ${cwd}; give --config <file>, or --spec, --name and --out for one description`,
    );
  }
  const config = await loadConfig(file);
  return {
    targets: config.targets,
    generatedDirs: config.generatedDirs,
    inputs: config.inputs,
    regenerate: config.regenerate,
  };
}

function configFile(values: GenerateArgs, cwd: string): string | undefined {
  return values.config === undefined ? findConfig(cwd) : resolve(cwd, values.config);
}

interface RunOptions {
  readonly check: boolean;
  readonly force: boolean;
  readonly quiet: boolean;
  /** In watch mode: targets regenerated whatever their stamps say (an input they may bundle has changed). */
  readonly forceTargets?: ReadonlySet<Target>;
}

/** One generation (or check) of every target; nothing is written unless every target succeeds. */
async function generateOnce(plan: Plan, options: RunOptions, io: CliIO): Promise<number> {
  const { targets } = plan;
  const progress = progressReporter(io, targets.length, options.quiet);
  // Without --check or --force, a target whose outputs carry its current inputs hash is skipped unread.
  const stale =
    options.check || options.force ? targets : await pendingTargets(targets, options.forceTargets ?? new Set());
  const files: OutputFile[] = [];
  const failures: string[] = [];
  const warnings: string[] = [];
  const results = await Promise.allSettled(
    stale.map(async (target) => {
      try {
        return await generateTarget(target, (line) => warnings.push(line));
      } finally {
        progress.done(target.name);
      }
    }),
  );
  progress.end();
  for (const warning of warnings) io.error(`keysmith generate: warning: ${warning}`);
  for (const result of results) {
    if (result.status === "fulfilled") files.push(...result.value);
    else if (result.reason instanceof SpecErrors || result.reason instanceof SpecError)
      failures.push(result.reason.message);
    else throw result.reason;
  }
  if (failures.length > 0) {
    io.error(`keysmith generate: invalid description, nothing written:\n${failures.join("\n")}`);
    return 1;
  }
  const unexpected = await findUnexpected(plan.generatedDirs, targets.flatMap(outputPaths));

  if (options.check) {
    const drift = [...(await findStale(files)), ...unexpected].sort((a, b) => a.path.localeCompare(b.path));
    if (drift.length > 0) {
      io.error(`keysmith generate --check: generated files differ from the descriptions; run \`${plan.regenerate}\`:`);
      for (const entry of drift) io.error(`  ${entry.problem.padEnd(10)} ${displayPath(entry.path, io.cwd)}`);
      return 1;
    }
    if (!options.quiet) {
      io.log(`keysmith generate --check: ${files.length} files up to date for ${targets.length} description(s)`);
    }
    return 0;
  }

  const written = await writeOutputs(files);
  if (!options.quiet) for (const path of written) io.log(`wrote ${displayPath(path, io.cwd)}`);
  for (const entry of unexpected) {
    io.error(`keysmith generate: warning: ${displayPath(entry.path, io.cwd)} is not generated by any API; remove it`);
  }
  const skipped = targets.length - stale.length;
  if (!options.quiet) {
    io.log(
      `keysmith generate: ${written.length} file(s) written for ${targets.length} description(s)` +
        (skipped > 0 ? `; ${skipped} unchanged since the last run (--force regenerates them)` : ""),
    );
  }
  return 0;
}

async function pendingTargets(targets: readonly Target[], forced: ReadonlySet<Target>): Promise<Target[]> {
  const upToDate = await Promise.all(targets.map((target) => !forced.has(target) && isUpToDate(target)));
  return targets.filter((_, index) => !upToDate[index]);
}

/**
 * `--watch`: generates once, then again after each change to the config or a description (debounced), until
 * the signal or Ctrl-C. A broken description or config prints its problem and the watch goes on; the next good
 * save regenerates. A change to a file a description may bundle (beside it) regenerates that description.
 */
async function watchAndGenerate(
  makeWatchPlan: () => Promise<Plan>,
  io: CliIO,
  quiet: boolean,
  fallbackInputs: readonly string[],
): Promise<number> {
  let plan: Plan | undefined;
  const run = async (changed: readonly string[]): Promise<readonly string[]> => {
    try {
      plan = await makeWatchPlan();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.error(`keysmith generate: ${error.message}`);
      // keep watching what was watched, or at least the config the user is fixing
      return plan?.inputs ?? fallbackInputs;
    }
    // a changed description or config is caught by the stamps; any other file may be one a description bundles
    const inputs = new Set(plan.inputs);
    const folders = new Set(changed.filter((file) => !inputs.has(file)).map((file) => dirname(file)));
    const forceTargets = new Set(
      plan.targets.filter(
        (target) =>
          folders.has(dirname(target.specPath)) ||
          (target.realtimeSpecPath !== undefined && folders.has(dirname(target.realtimeSpecPath))),
      ),
    );
    try {
      await generateOnce(plan, { check: false, force: false, quiet, forceTargets }, io);
    } catch (error) {
      io.error(`keysmith generate: ${error instanceof Error ? error.message : String(error)}`);
    }
    return plan.inputs;
  };
  return watchInputs(run, io);
}
