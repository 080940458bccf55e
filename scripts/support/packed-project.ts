import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const exec = promisify(execFile);

/**
 * A scratch project outside the repository (so nothing resolves from the repository's node_modules) with
 * @keysmith/sdk and @keysmith/mock-server installed from their packed tarballs, beside `dependencies`.
 */
export async function packedProject(
  prefix: string,
  dependencies: Readonly<Record<string, string>>,
  devDependencies: Readonly<Record<string, string>> = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `keysmith-${prefix}-`));
  const tarballs = join(dir, "tarballs");
  await mkdir(tarballs);
  for (const pkg of ["packages/sdk", "packages/mock-server"]) {
    await exec("npm", ["pack", "--silent", "--pack-destination", tarballs], { cwd: join(repoRoot, pkg) });
  }
  const files = await readdir(tarballs);
  const tarball = (name: string) => `file:tarballs/${files.find((file) => file.startsWith(name))}`;
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({
      name: `keysmith-${prefix}-check`,
      private: true,
      type: "module",
      dependencies: {
        "@keysmith/sdk": tarball("keysmith-sdk-"),
        "@keysmith/mock-server": tarball("keysmith-mock-server-"),
        ...dependencies,
      },
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
