import { execFile } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const exec = promisify(execFile);

/** A workspace package `packedProject` can pack, by its folder under packages/. */
export type WorkspacePackage = "sdk" | "mock-server" | "cli";

export interface PackedProjectOptions {
  /** The workspace packages packed and installed (default: sdk and mock-server). */
  readonly packages?: readonly WorkspacePackage[];
}

/**
 * A scratch project outside the repository (so nothing resolves from the repository's node_modules) with the
 * workspace packages (@keysmith/sdk and @keysmith/mock-server unless `options.packages` says otherwise)
 * installed from their packed tarballs, beside `dependencies`.
 */
export async function packedProject(
  prefix: string,
  dependencies: Readonly<Record<string, string>>,
  devDependencies: Readonly<Record<string, string>> = {},
  options: PackedProjectOptions = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `keysmith-${prefix}-`));
  const tarballs = join(dir, "tarballs");
  await mkdir(tarballs);
  const packed: Record<string, string> = {};
  for (const pkg of options.packages ?? ["sdk", "mock-server"]) {
    const { stdout } = await exec("npm", ["pack", "--json", "--pack-destination", tarballs], {
      cwd: join(repoRoot, "packages", pkg),
    });
    const [tarball] = JSON.parse(stdout) as { name: string; filename: string }[];
    if (!tarball) throw new Error(`npm pack named no tarball for packages/${pkg}`);
    packed[tarball.name] = `file:tarballs/${tarball.filename}`;
  }
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({
      name: `keysmith-${prefix}-check`,
      private: true,
      type: "module",
      dependencies: { ...packed, ...dependencies },
      devDependencies,
    }),
  );
  await exec("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir });
  return dir;
}

/** A command's output without its terminal colours. */
export function plainText(output: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape that starts a colour is the point
  return output.replace(/\u001b\[[0-9;]*m/g, "");
}
