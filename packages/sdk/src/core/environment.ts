/** Environment variables, from the `env` option or `process.env` where there is one (not in browsers). */
export type Environment = Readonly<Record<string, string | undefined>>;

export function readEnvironment(env: Environment | undefined): Environment {
  if (env) return env;
  const processEnv = (globalThis as { process?: { env?: Environment } }).process?.env;
  return processEnv ?? {};
}

/** A variable's value, or undefined when it is unset or only white space. */
export function readVariable(env: Environment, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
