import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import jsYaml from "js-yaml";
import { expect, test } from "vitest";
import { listOperations } from "../../packages/cli/src/generator/openapi-shapes.js";
import gkmReference from "../../packages/sdk/test/vendor/getkeymanager-reference.json" with { type: "json" };

const root = fileURLToPath(new URL("../..", import.meta.url));
const APIS = { GetKeyManager: "getkeymanager", Epsilon3: "epsilon3", Erathos: "erathos", Epoch: "epoch" } as const;

async function sources(name: string): Promise<{ documented: number; modelled: number }> {
  const document = jsYaml.load(await readFile(join(root, "specs", `${name}.openapi.yaml`), "utf8")) as Record<
    string,
    unknown
  >;
  const counts = { documented: 0, modelled: 0 };
  for (const { operation } of listOperations(document)) {
    const source = operation["x-keysmith-source"];
    if (source && typeof source === "object" && "documented" in source) counts.documented += 1;
    else if (source === "modelled" || (source && typeof source === "object" && "modelled" in source))
      counts.modelled += 1;
    else throw new Error(`${name}: ${String(operation.operationId)} has no x-keysmith-source`);
  }
  return counts;
}

test("README's coverage table counts what the specs say of each operation", async () => {
  const readme = await readFile(join(root, "README.md"), "utf8");
  for (const [label, name] of Object.entries(APIS)) {
    const row = readme.split("\n").find((line) => line.startsWith(`| ${label} |`));
    expect(row, label).toBeDefined();
    const cells = (row ?? "").split("|").map((cell) => cell.trim());
    const leading = (cell: string | undefined) => Number(/^\d+/.exec(cell ?? "")?.[0]);
    const counts = await sources(name);
    expect([leading(cells[3]), leading(cells[4])], label).toEqual([counts.documented, counts.modelled]);
    if (name === "getkeymanager") expect(leading(cells[2])).toBe(gkmReference.endpoints.length);
  }
});
