import { join } from "node:path";
import { emitMockRoutes } from "./emit-mock.js";
import { emitApiDefinition, emitClient } from "./emit-sdk.js";
import { emitTypes } from "./emit-types.js";
import { loadSpec } from "./load-spec.js";
import { buildModel } from "./model.js";
import type { OutputFile } from "./outputs.js";
import type { Target } from "./targets.js";
import { validateSpec } from "./validate-spec.js";

/** Everything one description produces, in memory: nothing is written until every target has succeeded. */
export async function generateTarget(target: Target): Promise<OutputFile[]> {
  const spec = await loadSpec(target.specPath, target.specDisplay);
  validateSpec(spec);
  const model = buildModel(spec, target.name);
  const files: OutputFile[] = [
    { path: join(target.sdkDir, "api.ts"), content: emitApiDefinition(model, target.sdkCoreImport) },
    { path: join(target.sdkDir, "client.ts"), content: emitClient(model, target.sdkCoreImport) },
  ];
  if (target.mockDir) {
    files.push({
      path: join(target.mockDir, "routes.ts"),
      content: emitMockRoutes(model, spec.document, target.mockCoreImport),
    });
  }
  // last, because it is the slow part and the only one that needs the whole document
  files.push({ path: join(target.sdkDir, "types.ts"), content: await emitTypes(model, spec.document) });
  return files;
}
