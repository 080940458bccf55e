import type { Environment } from "./environment.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";
import { redact } from "./redact.js";

export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/** Where log lines go: `console` by default, or anything with these four methods (pino, winston…). */
export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

const LEVELS: Readonly<Record<LogLevel, number>> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** A logger that drops lines below its level and redacts every line it passes on. */
export class SdkLogger {
  readonly level: LogLevel;
  readonly #rank: number;
  readonly #sink: Logger;
  readonly #prefix: string;

  constructor(apiName: string, level: LogLevel, sink: Logger) {
    this.level = level;
    this.#rank = LEVELS[level];
    this.#sink = sink;
    this.#prefix = `[keysmith ${apiName}] `;
  }

  enabled(level: Exclude<LogLevel, "off">): boolean {
    return LEVELS[level] <= this.#rank;
  }

  log(level: Exclude<LogLevel, "off">, message: string): void {
    if (LEVELS[level] <= this.#rank) this.#sink[level](redact(this.#prefix + message));
  }
}

/** The level from the `logLevel` option, else `KEYSMITH_LOG`, else `warn`; anything else is refused by name. */
export function createLogger(
  apiName: string,
  options: { logLevel?: LogLevel; logger?: Logger },
  env: Environment,
): SdkLogger {
  const raw = options.logLevel ?? env.KEYSMITH_LOG?.trim().toLowerCase() ?? "warn";
  if (!Object.hasOwn(LEVELS, raw)) {
    const source = options.logLevel !== undefined ? "the `logLevel` option" : "KEYSMITH_LOG";
    throw new ConfigurationError(`${apiName}: ${source} must be one of off, error, warn, info, debug.`);
  }
  return new SdkLogger(apiName, raw as LogLevel, options.logger ?? console);
}
