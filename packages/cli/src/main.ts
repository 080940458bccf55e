import { createRequire } from "node:module";
import { GENERATE_USAGE, runGenerate } from "./generate-command.js";
import type { CliIO } from "./io.js";

const USAGE = `usage: keysmith <command> [options]

commands:
  generate   typed clients from OpenAPI descriptions (a config file, or --spec --name --out)
  mock       the standalone mock server of Epsilon3, Epoch, GetKeyManager and Erathos

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

/** `keysmith mock`: the mock server's own command line, loaded only when asked for. */
async function runMock(args: readonly string[], io: CliIO): Promise<number> {
  const { runMockCli } = await import("@keysmith/mock-server/cli");
  return runMockCli(args, {
    program: "keysmith mock",
    log: (line) => io.log(line),
    error: (line) => io.error(line),
    ...(io.signal ? { signal: io.signal } : {}),
  });
}

/** Written in by the package build; read from package.json when run from the repository's sources. */
declare const KEYSMITH_CLI_VERSION: string | undefined;

function version(): string {
  if (typeof KEYSMITH_CLI_VERSION === "string") return KEYSMITH_CLI_VERSION;
  return (createRequire(import.meta.url)("../package.json") as { version: string }).version;
}
