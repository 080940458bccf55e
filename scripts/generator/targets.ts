import { readdir } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { REPO_ROOT } from "./paths.js";

/** One description to generate from, and where each kind of output goes. */
export interface Target {
  readonly specPath: string;
  /** How the spec is named in headers and messages: relative to the repo, so output does not depend on the machine. */
  readonly specDisplay: string;
  readonly name: string;
  readonly sdkDir: string;
  readonly sdkCoreImport: string;
  readonly mockDir: string | undefined;
  readonly mockCoreImport: string;
  /** An AsyncAPI description of the same API's Socket.IO side (`specs/<name>.asyncapi.yaml`), when there is one. */
  readonly realtimeSpecPath?: string;
  readonly realtimeSpecDisplay?: string;
  /** Every operation must carry `x-keysmith-source` (the repository's own specs, not a user's description). */
  readonly requireSource?: boolean;
}

const SPEC_SUFFIX = ".openapi.yaml";

/** The directories only the generator writes, under a repository root. */
export function generatedDirs(root: string): [sdk: string, mock: string] {
  return [join(root, "packages/sdk/src/generated"), join(root, "packages/mock-server/src/generated")];
}

/** Every `specs/<name>.openapi.yaml` of the repository, generated into both packages. */
export async function repoTargets(root = REPO_ROOT): Promise<Target[]> {
  const specsDir = join(root, "specs");
  const [sdkGenerated, mockGenerated] = generatedDirs(root);
  const names = (await readdir(specsDir))
    .filter((file) => file.endsWith(SPEC_SUFFIX))
    .map((file) => file.slice(0, -SPEC_SUFFIX.length))
    .sort();
  const files = new Set(await readdir(specsDir));
  return names.map((name) => ({
    ...(files.has(`${name}.asyncapi.yaml`)
      ? {
          realtimeSpecPath: join(specsDir, `${name}.asyncapi.yaml`),
          realtimeSpecDisplay: `specs/${name}.asyncapi.yaml`,
        }
      : {}),
    specPath: join(specsDir, `${name}${SPEC_SUFFIX}`),
    specDisplay: `specs/${name}${SPEC_SUFFIX}`,
    name,
    sdkDir: join(sdkGenerated, name),
    sdkCoreImport: "../../core/index.js",
    mockDir: join(mockGenerated, name),
    mockCoreImport: "../../core/mock-api-spec.js",
    requireSource: true,
  }));
}

/** A description from anywhere, generated into one directory as a standalone client. */
export function externalTarget(spec: string, name: string, out: string, coreImport: string): Target {
  const specPath = resolve(spec);
  const shown = relative(REPO_ROOT, specPath);
  return {
    specPath,
    specDisplay: shown.startsWith("..") ? spec : shown,
    name,
    sdkDir: resolve(out),
    sdkCoreImport: coreImport,
    mockDir: undefined,
    mockCoreImport: "",
  };
}
