import { uuidFor } from "../core/ids.js";
import type { Resolver, ResolverContext } from "../core/mock-api.js";
import { conflict, MockProblem, notFound, unprocessable } from "../core/mock-problem.js";
import { pageOf } from "../core/paginate.js";
import type { ErathosState, Execution, Job, NamedValue, Webhook } from "./state.js";

type R = Resolver<ErathosState>;
type Context = ResolverContext<ErathosState>;

/** Erathos's list envelope. */
function page<T>(context: Context, items: readonly T[]) {
  const current = pageOf(items, Number(context.query.page ?? 1), Number(context.query.page_size ?? 10));
  return {
    body: {
      count: current.total,
      next_page: current.page < current.totalPages ? current.page + 1 : null,
      previous_page: current.page > 1 ? current.page - 1 : null,
      page_size: current.size,
      total_pages: current.totalPages,
      current_page: current.page,
      results: current.items,
    },
  };
}

/** The workspace in the path: 404 if it does not exist, 403 if the key's user is not a member. */
function workspace(context: Context): string {
  const id = String(context.params.workspace_id);
  const found = context.state.workspaces.find((candidate) => candidate._id === id);
  if (!found) throw notFound("Workspace", id);
  if (!found.members.includes(context.key.id)) {
    throw new MockProblem(403, {
      code: "permission_denied",
      message: `You do not have permission to act in workspace ${id}`,
    });
  }
  return id;
}

function findJob(context: Context): Job {
  const ws = workspace(context);
  const job = context.state.jobs.find(
    (candidate) => candidate._id === context.params.job_id && candidate.workspace_id === ws,
  );
  if (!job) throw notFound("Job", String(context.params.job_id));
  return job;
}

const publicJob = ({ workspace_id: _w, blocked_by_window: _b, ...job }: Job) => job;
const publicRecord = <T extends { workspace_id: string }>({ workspace_id: _, ...rest }: T) => rest;
const maskSecret = (secret: NamedValue) => ({ ...publicRecord(secret), value: "********" });

function findWebhook(context: Context): Webhook {
  const ws = workspace(context);
  const webhook = context.state.webhooks.find(
    (candidate) => candidate._id === context.params.webhook_id && candidate.workspace_id === ws,
  );
  if (!webhook) throw notFound("Webhook", String(context.params.webhook_id));
  return webhook;
}

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

function checkWebhook(context: Context, ws: string, input: Partial<Webhook>): void {
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
    if (!context.state.jobs.some((job) => job._id === jobId && job.workspace_id === ws)) {
      throw unprocessable(`jobs.${index}`, `job ${jobId} is not in this workspace`);
    }
  });
}

function createNamed(context: Context, list: NamedValue[], namespace: string) {
  const ws = workspace(context);
  const input = context.body as { name: string; value: string };
  if (list.some((item) => item.workspace_id === ws && item.name === input.name)) {
    throw conflict("duplicate_name", `A ${namespace} named ${input.name} already exists`);
  }
  context.state.counter += 1;
  const created: NamedValue = {
    _id: uuidFor(namespace, context.state.counter),
    _created_at: context.now.toISOString(),
    _updated_at: context.now.toISOString(),
    workspace_id: ws,
    name: input.name,
    value: input.value,
  };
  list.push(created);
  return created;
}

export const erathosResolvers: Record<string, R> = {
  listWorkspaces: (context) =>
    page(
      context,
      context.state.workspaces.filter((ws) => ws.members.includes(context.key.id)).map(({ members: _, ...ws }) => ws),
    ),

  listJobs: (context) => {
    const ws = workspace(context);
    const { connection, is_active } = context.query;
    const jobs = context.state.jobs
      .filter((job) => job.workspace_id === ws)
      .filter((job) => connection === undefined || job.connection_id === connection)
      .filter((job) => is_active === undefined || job.is_active === is_active);
    return page(context, jobs.map(publicJob));
  },

  getJob: (context) => ({ body: publicJob(findJob(context)) }),

  runJob: (context) => {
    const job = findJob(context);
    if (job.is_dependent) throw unprocessable("job_id", "a dependent job runs only after the jobs it depends on");
    if (job.is_running) throw conflict("job_running", `Job ${job._id} is already running`);
    if (job.blocked_by_window)
      throw conflict("block_window", "A Block Window that does not allow manual executions is active");
    context.state.counter += 1;
    const execution: Execution = {
      _id: uuidFor("execution", context.state.counter),
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

  listWebhooks: (context) => {
    const ws = workspace(context);
    const q = context.query;
    const ordering = typeof q.ordering === "string" ? q.ordering : "-_created_at";
    const field = ordering.replace(/^-/, "") as keyof Webhook;
    const webhooks = context.state.webhooks
      .filter((hook) => hook.workspace_id === ws)
      .filter((hook) => q.description === undefined || hook.description.includes(String(q.description)))
      .filter((hook) => q.is_active === undefined || hook.is_active === q.is_active)
      .filter((hook) => q.job === undefined || hook.jobs.includes(String(q.job)))
      .filter((hook) => q.method === undefined || hook.method === q.method)
      .filter((hook) => q.url === undefined || hook.url.includes(String(q.url)))
      .sort((a, b) => String(a[field]).localeCompare(String(b[field])) * (ordering.startsWith("-") ? -1 : 1));
    // the reference's list shows only these fields of each webhook
    return page(
      context,
      webhooks.map(({ _id, _created_at, _updated_at, description, is_active }) => ({
        _id,
        _created_at,
        _updated_at,
        description,
        is_active,
      })),
    );
  },

  createWebhook: (context) => {
    const ws = workspace(context);
    const input = context.body as Omit<Webhook, "_id" | "_created_at" | "_updated_at" | "workspace_id">;
    checkWebhook(context, ws, input);
    context.state.counter += 1;
    const webhook: Webhook = {
      ...input,
      rules: input.rules ?? [],
      _id: uuidFor("webhook", context.state.counter),
      _created_at: context.now.toISOString(),
      _updated_at: context.now.toISOString(),
      workspace_id: ws,
    };
    context.state.webhooks.push(webhook);
    return { body: publicRecord(webhook) };
  },

  getWebhook: (context) => ({ body: publicRecord(findWebhook(context)) }),

  updateWebhook: (context) => {
    const webhook = findWebhook(context);
    const changes = context.body as Partial<Webhook>;
    checkWebhook(context, webhook.workspace_id, changes);
    Object.assign(webhook, changes, { _updated_at: context.now.toISOString() });
    return { body: publicRecord(webhook) };
  },

  deleteWebhook: (context) => {
    const webhook = findWebhook(context);
    context.state.webhooks.splice(context.state.webhooks.indexOf(webhook), 1);
    return { status: 204 };
  },

  listVariables: (context) => {
    const ws = workspace(context);
    return page(context, context.state.variables.filter((v) => v.workspace_id === ws).map(publicRecord));
  },

  createVariable: (context) => ({ body: publicRecord(createNamed(context, context.state.variables, "variable")) }),

  listSecrets: (context) => {
    const ws = workspace(context);
    return page(context, context.state.secrets.filter((s) => s.workspace_id === ws).map(maskSecret));
  },

  createSecret: (context) => ({ body: maskSecret(createNamed(context, context.state.secrets, "secret")) }),
};
