/**
 * Epsilon3: find a procedure, start a run of it, tag the run, and end it; then look up a part in Builds.
 *
 *   EPSILON3_API_KEY=… npx tsx examples/epsilon3.ts          (against the real API)
 *   EPSILON3_API_URL=http://127.0.0.1:4010/epsilon3 …         (against `npm run mock`)
 */
import { ConflictError, Epsilon3 } from "@keysmith/sdk";
import { isMain, type Log } from "./log.js";

export async function epsilon3Example(log: Log = console.log): Promise<void> {
  const epsilon3 = new Epsilon3(); // EPSILON3_API_KEY, and EPSILON3_API_URL if set

  const { data: procedures } = await epsilon3.procedures.list();
  const procedure = procedures[0];
  if (!procedure) throw new Error("the workspace has no procedures to run");
  log(`Epsilon3: ${procedures.length} procedures; starting "${procedure.name}" (${procedure.code})`);

  const { run_id } = await epsilon3.runs.start({ procedure_id: procedure._id, variables: { operator: "keysmith" } });
  await epsilon3.runs.updateMetadata({ runId: run_id, body: { ticket: "OPS-42" } });
  const running = await epsilon3.runs.list({ "run-state": ["running"] });
  log(`Epsilon3: run ${run_id} started; ${running.data.length} run(s) now running`);

  const ended = await epsilon3.runs.end({ runId: run_id, status: "success" });
  log(`Epsilon3: run ended with state=${ended.state} status=${ended.status}`);
  try {
    await epsilon3.runs.end({ runId: run_id });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    log(
      `Epsilon3: ending it twice is refused (${error.status}): ${error.body && (error.body as { message?: string }).message}`,
    );
  }

  const { parts } = await epsilon3.builds.listParts();
  const first = parts[0];
  if (first) {
    const part = await epsilon3.builds.getPart({ partId: first.id });
    log(`Epsilon3: part ${part.part_number} "${part.name}" rev ${part.revision} (${part.tracking})`);
  }
}

if (isMain(import.meta.url)) await epsilon3Example();
