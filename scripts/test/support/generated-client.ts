import { join } from "node:path";

/**
 * The client class a generated directory exports (its `client.ts` exports exactly one), to build as a user
 * would; `what` names the description in the error when there is none.
 */
export async function generatedClientClass<T = unknown>(
  dir: string,
  what: string,
): Promise<new (options: object) => T> {
  const module = (await import(join(dir, "client.ts"))) as Record<string, new (options: object) => T>;
  const [Client] = Object.values(module);
  if (!Client) throw new Error(`${what}: no client class`);
  return Client;
}
