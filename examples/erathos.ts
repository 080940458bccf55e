/**
 * Erathos: run a job by hand, follow its execution, and call a webhook when it finishes.
 *
 *   ERATHOS_API_KEY=… ERATHOS_WORKSPACE_ID=… npx tsx examples/erathos.ts
 */
import { Erathos } from "@keysmith/sdk";
import { isMain, type Log } from "./log.js";

export async function erathosExample(log: Log = console.log): Promise<void> {
  const erathos = new Erathos(); // ERATHOS_API_KEY; ERATHOS_WORKSPACE_ID fills every workspace_id

  const jobs = await erathos.jobs.list({ is_active: true });
  const job = jobs.results.find((candidate) => !candidate.is_dependent && !candidate.is_running);
  if (!job) throw new Error("no job can be run by hand right now");
  const queued = await erathos.jobs.run({ job_id: job._id });
  log(`Erathos: ran "${job.name}": execution ${queued.execution_id} ${queued.status}`);

  let execution = await erathos.jobs.getExecution({ job_id: job._id, execution_id: queued.execution_id });
  while (execution.status === "QUEUED" || execution.status === "RUNNING") {
    execution = await erathos.jobs.getExecution({ job_id: job._id, execution_id: queued.execution_id });
  }
  log(`Erathos: execution ${execution.status}: ${execution.rows} rows, ${execution.columns} columns`);

  const webhook = await erathos.webhooks.create({
    description: `Notify when ${job.name} finishes`,
    is_active: true,
    method: "POST",
    url: "https://hooks.example.com/erathos",
    rules: [{ variable_name: "STATUS", operation: "EQUAL", value: "FINISHED" }],
    jobs: [job._id],
  });
  const hooks = await erathos.webhooks.list({ job: job._id });
  log(`Erathos: webhook ${webhook._id} created; ${hooks.count} webhook(s) watch this job`);
}

if (isMain(import.meta.url)) await erathosExample();
