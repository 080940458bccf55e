/** Environment variables, from the `env` option or `process.env` where there is one (not in browsers). */
export type Environment = Readonly<Record<string, string | undefined>>;

export function readEnvironment(env: Environment | undefined): Environment {
  return env ?? (globalThis as { process?: { env?: Environment } }).process?.env ?? {};
}

/** A setting and where it came from (an option's name or a variable's), for messages that never show the value. */
export interface Setting {
  readonly value: string;
  readonly source: string;
}

/** A setting from its option, else from its environment variable. Blank counts as unset; values are trimmed. */
export function readSetting(
  option: string | undefined,
  optionName: string,
  env: Environment,
  variable: string | undefined,
): Setting | undefined {
  if (option?.trim()) return { value: option.trim(), source: `the \`${optionName}\` option` };
  const value = variable === undefined ? undefined : env[variable]?.trim();
  return value && variable ? { value, source: variable } : undefined;
}
