import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where examples write their lines: the console when run alone, a collector in tests. */
export type Log = (line: string) => void;

/** True when this module is the script Node was started with, not an import. */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
}
