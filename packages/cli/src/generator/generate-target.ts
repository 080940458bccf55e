import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { emitMockRoutes } from "./emit-mock.js";
import { emitMockRealtime, emitRealtime, realtimeFacade } from "./emit-realtime.js";
import { emitApiDefinition, emitClient, emitResources } from "./emit-sdk.js";
import { emitTypes } from "./emit-types.js";
import { shortHash, stampMatches, withHeader } from "./header.js";
import { pagingByOperation } from "./list-paging.js";
import { loadSpec } from "./load-spec.js";
import { buildModel } from "./model.js";
import type { OutputFile } from "./outputs.js";
import { prepareSpec } from "./prepare-spec.js";
import { generatorSourceHash } from "./source-hash.js";
import { SpecError } from "./spec-error.js";
import type { Target } from "./targets.js";
import { validateSpec } from "./validate-spec.js";

/** The files one target produces, in the order they are generated. */
export function outputPaths(target: Target): string[] {
  const paths = [
    join(target.sdkDir, "api.ts"),
    join(target.sdkDir, "client.ts"),
    join(target.sdkDir, "resources.d.ts"),
  ];
  if (target.mockDir) paths.push(join(target.mockDir, "routes.ts"));
  // declarations: generated types need no re-checking in users' builds (`skipLibCheck`)
  paths.push(join(target.sdkDir, "types.d.ts"));
  if (target.realtimeSpecPath) {
    paths.push(join(target.sdkDir, "realtime.ts"));
    if (target.mockDir) paths.push(join(target.mockDir, "realtime.ts"));
  }
  return paths;
}

/**
 * What a target's output depends on: the spec's text, the target's options (and how its header names the
 * spec and the command), this generator's own source and the versions of the libraries that print the types.
 * Any change here regenerates.
 */
export async function inputsHash(target: Target, specText: string): Promise<string> {
  const realtime = target.realtimeSpecPath ? await readFile(target.realtimeSpecPath, "utf8").catch(() => "") : "";
  return shortHash(
    await generatorFingerprint(),
    specText,
    realtime,
    target.name,
    target.sdkCoreImport,
    target.mockCoreImport,
    target.specDisplay,
    target.realtimeSpecDisplay ?? "",
    target.regenerate,
  );
}

let fingerprint: Promise<string> | undefined;
function generatorFingerprint(): Promise<string> {
  fingerprint ??= (async () => {
    const require = createRequire(import.meta.url);
    const versions = ["openapi-typescript", "typescript"].map(
      (name) => (require(`${name}/package.json`) as { version: string }).version,
    );
    return shortHash(await generatorSourceHash(), ...versions);
  })();
  return fingerprint;
}

/** True when every output of the target exists, carries the current inputs hash, and was not edited since. */
export async function isUpToDate(target: Target): Promise<boolean> {
  const specText = await readFile(target.specPath, "utf8").catch(() => undefined);
  if (specText === undefined) return false;
  const expected = await inputsHash(target, specText);
  for (const path of outputPaths(target)) {
    const content = await readFile(path, "utf8").catch(() => undefined);
    if (content === undefined || !stampMatches(content, expected)) return false;
  }
  return true;
}

/** Everything one description produces, in memory: nothing is written until every target has succeeded. */
export async function generateTarget(target: Target, warn: (line: string) => void = () => {}): Promise<OutputFile[]> {
  const loaded = await loadSpec(target.specPath, target.specDisplay);
  const { spec, warnings } = await prepareSpec(loaded, target.specPath);
  for (const warning of warnings) warn(`${target.specDisplay}: ${warning}`);
  validateSpec(spec, { requireSource: target.requireSource === true });
  const model = buildModel(spec, target.name);
  for (const warning of model.warnings) warn(`${target.specDisplay}: ${warning}`);
  const hash = await inputsHash(target, spec.text);
  const [apiPath, clientPath, resourcesPath, ...rest] = outputPaths(target);
  const file = (path: string | undefined, body: string): OutputFile => ({
    path: path ?? "",
    content: withHeader(model, target.regenerate, hash, body),
  });
  const realtime = target.realtimeSpecPath
    ? await loadSpec(target.realtimeSpecPath, target.realtimeSpecDisplay ?? target.realtimeSpecPath)
    : undefined;
  const paging = pagingByOperation(model, spec.document, (line) => warn(`${target.specDisplay}: ${line}`));
  const files = [
    file(apiPath, emitApiDefinition(model, target.sdkCoreImport, paging)),
    file(clientPath, emitClient(model, target.sdkCoreImport, realtime && realtimeFacade(realtime))),
    file(resourcesPath, emitResources(model, target.sdkCoreImport, paging)),
  ];
  if (target.mockDir) files.push(file(rest.shift(), emitMockRoutes(model, spec.document, target.mockCoreImport)));
  // last, because it is the slow part
  let types: string;
  try {
    types = await emitTypes(spec);
  } catch (error) {
    // one line naming the file, never a stack trace
    const message = ((error as Error)?.message ?? String(error)).split("\n")[0];
    throw new SpecError(spec.file, "#", `openapi-typescript cannot type it: ${message}`);
  }
  files.push(file(rest.shift(), types));
  if (realtime) {
    const stamp = { ...model, specFile: realtime.file, specHash: shortHash(realtime.text) };
    files.push({
      path: rest.shift() ?? "",
      content: withHeader(stamp, target.regenerate, hash, emitRealtime(realtime)),
    });
    if (target.mockDir) {
      const body = emitMockRealtime(realtime, target.mockCoreImport);
      files.push({ path: rest.shift() ?? "", content: withHeader(stamp, target.regenerate, hash, body) });
    }
  }
  return files;
}
