import { createRequire } from "node:module";
import { resolve } from "node:path";
import type { MockApiSpec, MockRealtimeSpec } from "@keysmith/mock-server";
import { GENERATE_USAGE, runGenerate } from "./generate-command.js";
import { SpecError, SpecErrors } from "./generator/spec-error.js";
import type { CliIO } from "./io.js";
import { loadMockRealtimeSpec, loadMockSpec } from "./mock-spec.js";

const USAGE = `usage: keysmith <command> [options]

commands:
  generate   typed clients from OpenAPI descriptions (a config file, or --spec --name --out)
  mock       the standalone mock server of Epsilon3, Epoch, GetKeyManager and Erathos, or of any description
             (--spec <file>, repeatable; --explain prints how it is read)

keysmith <command> --help shows a command's options; keysmith --version prints the version.`;

/** Runs the `keysmith` command line with `args`; resolves with the exit code. */
export async function runCli(args: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "generate":
      return runGenerate(rest, io);
    case "mock":
      return runMock(rest, io);
    case "--version":
    case "-v":
      io.log(version());
      return 0;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      io.log(rest[0] === "generate" ? GENERATE_USAGE : USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.error(`keysmith: unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

const MOCK_SPEC_USAGE = `  --spec         an OpenAPI description to mock instead of the four APIs (repeat for several): resources
                 inferred from its paths, its security enforced with the --key values
  --asyncapi     after a --spec: the AsyncAPI 3 description of that API's Socket.IO side, served at
                 /<api>/socket.io (one namespace per channel; a key as auth.token)
  --explain      with --spec: print how each description is read (resources, ids, paging), and exit`;

/**
 * `keysmith mock`: the mock server's own command line, loaded only when asked for. `--spec <file>` (repeatable)
 * mocks those descriptions instead of the four APIs; `--explain` prints how each is read, without serving.
 */
async function runMock(args: readonly string[], io: CliIO): Promise<number> {
  const files: { spec: string; asyncapi?: string }[] = [];
  const rest: string[] = [];
  let explain = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    if (flag === "--explain") explain = true;
    else if (flag === "--spec" || flag === "--asyncapi") {
      const file = inline ?? args[index + 1];
      if (file === undefined || file === "" || file.startsWith("-")) {
        io.error(`keysmith mock: ${flag} needs a description file`);
        return 2;
      }
      if (inline === undefined) index++;
      if (flag === "--spec") files.push({ spec: file });
      else {
        const last = files.at(-1);
        if (!last || last.asyncapi !== undefined) {
          io.error("keysmith mock: --asyncapi <file> follows the --spec <file> of the same API");
          return 2;
        }
        last.asyncapi = file;
      }
    } else rest.push(arg);
  }
  if (explain && files.length === 0) {
    io.error("keysmith mock: --explain goes with --spec <file>");
    return 2;
  }
  const specs: MockApiSpec[] = [];
  const realtimeSpecs: Record<string, MockRealtimeSpec> = {};
  try {
    for (const { spec: file, asyncapi } of files) {
      const loaded = await loadMockSpec(resolve(io.cwd, file), io.cwd);
      for (const warning of loaded.warnings) io.error(`keysmith mock: warning: ${warning}`);
      specs.push(loaded.spec);
      if (asyncapi !== undefined) {
        realtimeSpecs[loaded.spec.name] = await loadMockRealtimeSpec(resolve(io.cwd, asyncapi), io.cwd);
      }
    }
  } catch (error) {
    if (error instanceof SpecError || error instanceof SpecErrors) {
      io.error(`keysmith mock: invalid description:\n${error.message}`);
      return 1;
    }
    throw error;
  }
  const { runMockCli } = await import("@keysmith/mock-server/cli");
  if (rest.includes("--help") || rest.includes("-h")) {
    const code = await runMockCli(rest, { program: "keysmith mock", log: (line) => io.log(line) });
    io.log(MOCK_SPEC_USAGE);
    return code;
  }
  return runMockCli(rest, {
    program: "keysmith mock",
    log: (line) => io.log(line),
    error: (line) => io.error(line),
    ...(io.signal ? { signal: io.signal } : {}),
    ...(specs.length > 0 ? { specs } : {}),
    ...(Object.keys(realtimeSpecs).length > 0 ? { realtimeSpecs } : {}),
    ...(explain ? { explain } : {}),
  });
}

/** Written in by the package build; read from package.json when run from the repository's sources. */
declare const KEYSMITH_CLI_VERSION: string | undefined;

function version(): string {
  if (typeof KEYSMITH_CLI_VERSION === "string") return KEYSMITH_CLI_VERSION;
  return (createRequire(import.meta.url)("../package.json") as { version: string }).version;
}
