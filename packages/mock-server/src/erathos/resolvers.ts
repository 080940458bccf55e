import { uuidFor } from "../core/ids.js";
import type { Resolver, ResolverContext } from "../core/mock-api.js";
import { conflict, MockProblem, notFound, unprocessable } from "../core/mock-problem.js";
import type { CollectionBinding, DescribedApiKit } from "../generic/described-api.js";
import type { Item } from "../generic/item-store.js";
import type { ErathosState, Execution, Job, NamedValue, Webhook } from "./state.js";

type Context = ResolverContext<ErathosState>;

/** A new record's id, numbered across the API's records as Erathos's seed data is. */
const newId = (namespace: string) => (state: ErathosState) => uuidFor(namespace, ++state.counter);

/**
 * Where Erathos's resources live in its state, and what its description cannot say of them: only a workspace's
 * members act in it (403), and secrets are shown masked. Answers show only the fields their schema names (a
 * workspace's members and a job's Block Window stay inside the mock; webhook lists show the reference's few).
 */
export const erathosCollections: Readonly<Record<string, CollectionBinding<ErathosState>>> = {
  workspaces: {
    items: (state) => state.workspaces,
    schemaFieldsOnly: true,
    guard: (workspace, context) => {
      if (!(workspace.members as string[]).includes(context.key.id)) {
        throw new MockProblem(403, {
          code: "permission_denied",
          message: `You do not have permission to act in workspace ${workspace._id}`,
        });
      }
    },
  },
  jobs: { items: (state) => state.jobs, parentFields: { workspace_id: "workspace_id" }, schemaFieldsOnly: true },
  webhooks: {
    items: (state) => state.webhooks,
    parentFields: { workspace_id: "workspace_id" },
    newId: newId("webhook"),
    schemaFieldsOnly: true,
  },
  variables: {
    items: (state) => state.variables,
    parentFields: { workspace_id: "workspace_id" },
    newId: newId("variable"),
  },
  secrets: {
    items: (state) => state.secrets,
    parentFields: { workspace_id: "workspace_id" },
    view: (secret) => ({ ...secret, value: "********" }),
  },
};

/** The type of each metadata variable rules may test, and the operations each type allows (docs: Concepts → Rules). */
const VARIABLE_TYPES: Record<string, "string" | "integer" | "date" | "boolean"> = {
  JOB_ID: "string",
  CONNECTION_ID: "string",
  CONNECTION_NAME: "string",
  SCHEMA_NAME: "string",
  TABLE_NAME: "string",
  EXECUTION_ID: "string",
  STATUS: "string",
  TRIGGERED_BY: "string",
  ROWS: "integer",
  COLUMNS: "integer",
  TOTAL_DURATION: "integer",
  FINISHED_AT_WEEKDAY: "integer",
  FINISHED_AT_TIME: "date",
  IS_ORCHESTRATION: "boolean",
  NESTED_TABLE: "boolean",
  FORCE_HISTORY: "boolean",
};
const OPERATIONS: Record<string, string[]> = {
  string: ["EQUAL", "NOT_EQUAL", "IN", "NOT_IN"],
  integer: ["EQUAL", "NOT_EQUAL", "IN", "NOT_IN", "LESS_THAN", "GREATER_THAN"],
  date: ["LESS_THAN", "GREATER_THAN"],
  boolean: ["EQUAL", "NOT_EQUAL"],
};

/** A webhook's rules must test known variables with operations their type allows; its jobs must be the workspace's. */
function checkWebhook(jobs: readonly Job[], input: Partial<Webhook>): void {
  (input.rules ?? []).forEach((rule, index) => {
    const type = VARIABLE_TYPES[rule.variable_name];
    if (!type) throw unprocessable(`rules.${index}.variable_name`, `unknown variable ${rule.variable_name}`);
    if (!OPERATIONS[type]?.includes(rule.operation)) {
      throw unprocessable(
        `rules.${index}.operation`,
        `${rule.operation} does not apply to ${rule.variable_name} (a ${type})`,
      );
    }
    const list = rule.operation === "IN" || rule.operation === "NOT_IN";
    if (list !== Array.isArray(rule.value)) {
      throw unprocessable(
        `rules.${index}.value`,
        list ? `${rule.operation} takes a list` : `${rule.operation} takes one value`,
      );
    }
  });
  (input.jobs ?? []).forEach((jobId, index) => {
    if (!jobs.some((job) => job._id === jobId)) {
      throw unprocessable(`jobs.${index}`, `job ${jobId} is not in this workspace`);
    }
  });
}

/**
 * What Erathos's description cannot say: which workspaces a key's user sees, a job's manual run (dependent jobs,
 * one run at a time, Block Windows) and its execution moving on as it is polled, webhook rules and jobs checked,
 * webhook lists searched by text and job and ordered as asked, names unique per workspace, and secrets kept as
 * sent. Lists, reads, pages, 404s and the rest of each write are the generic ones.
 */
export function erathosResolvers(kit: DescribedApiKit<ErathosState>): Record<string, Resolver<ErathosState>> {
  const findJob = (context: Context) => kit.find(context, "jobs") as unknown as Job;
  const jobsOf = (context: Context) => kit.items(context, "jobs") as unknown as Job[];
  const generic = (context: Context) => {
    const resolver = kit.defaults[context.route.operationId];
    if (!resolver) throw new TypeError(`erathos: no generic resolver for ${context.route.operationId}`);
    return resolver(context);
  };
  // names are unique in a workspace
  const checkUnique = (context: Context, resource: string, namespace: string) => {
    const { name } = context.body as { name: string };
    if ((kit.items(context, resource) as unknown as NamedValue[]).some((item) => item.name === name)) {
      throw conflict("duplicate_name", `A ${namespace} named ${name} already exists`);
    }
  };
  return {
    listWorkspaces: (context) =>
      kit.list(
        context,
        kit.items(context, "workspaces").filter((ws) => (ws.members as string[]).includes(context.key.id)),
      ),

    runJob: (context) => {
      const job = findJob(context);
      if (job.is_dependent) throw unprocessable("job_id", "a dependent job runs only after the jobs it depends on");
      if (job.is_running) throw conflict("job_running", `Job ${job._id} is already running`);
      if (job.blocked_by_window)
        throw conflict("block_window", "A Block Window that does not allow manual executions is active");
      const execution: Execution = {
        _id: uuidFor("execution", ++context.state.counter),
        job_id: job._id,
        status: "QUEUED",
        rows: null,
        columns: null,
        total_duration: null,
        triggered_by: "API",
        started_at: null,
        finished_at: null,
      };
      context.state.executions.push(execution);
      job.is_running = true;
      return { body: { execution_id: execution._id, status: "QUEUED" } };
    },

    getExecution: (context) => {
      const job = findJob(context);
      const execution = context.state.executions.find(
        (candidate) => candidate._id === context.params.execution_id && candidate.job_id === job._id,
      );
      if (!execution) throw notFound("Execution", String(context.params.execution_id));
      // Each poll moves a manual execution one step on: QUEUED → RUNNING → FINISHED.
      const answer = { ...execution };
      if (execution.status === "QUEUED") {
        execution.status = "RUNNING";
        execution.started_at = context.now.toISOString();
      } else if (execution.status === "RUNNING") {
        Object.assign(execution, {
          status: "FINISHED",
          rows: 1000,
          columns: 12,
          total_duration: 12.5,
          finished_at: context.now.toISOString(),
        });
        job.is_running = false;
      }
      return { body: answer };
    },

    // text, job and ordering are searched here; is_active and method, pages and the envelope are generic
    createWebhook: (context) => {
      const input = context.body as Partial<Webhook>;
      checkWebhook(jobsOf(context), input);
      return generic({ ...context, body: { ...input, rules: input.rules ?? [] } });
    },

    updateWebhook: (context) => {
      const webhook = kit.find(context, "webhooks") as unknown as Webhook;
      checkWebhook(jobsOf(context), context.body as Partial<Webhook>);
      Object.assign(webhook, context.body, { _updated_at: context.now.toISOString() });
      return { body: kit.view(context, "webhooks", webhook as unknown as Item) };
    },

    createVariable: (context) => {
      checkUnique(context, "variables", "variable");
      return generic(context);
    },

    // kept as sent, shown masked: the description's Secret is the masked one, so the generic create cannot keep it
    createSecret: (context) => {
      checkUnique(context, "secrets", "secret");
      const { name, value } = context.body as { name: string; value: string };
      const secret: NamedValue = {
        _id: newId("secret")(context.state),
        _created_at: context.now.toISOString(),
        _updated_at: context.now.toISOString(),
        workspace_id: String(context.params.workspace_id),
        name,
        value,
      };
      context.state.secrets.push(secret);
      return { body: kit.view(context, "secrets", { ...secret }) };
    },
  };
}
