import { uuidFor } from "../core/ids.js";
import { type KeyRecord, KeyRing } from "../core/key-record.js";
import type { SeedMode } from "../core/mock-api.js";

export interface RecordFields {
  _id: string;
  _created_at: string;
  _updated_at: string;
}

export interface Job extends RecordFields {
  workspace_id: string;
  name: string;
  connection_id: string;
  schema_name: string;
  table_name: string;
  is_dependent: boolean;
  is_active: boolean;
  is_running: boolean;
  /** Inside a Block Window that does not allow manual executions (not part of the API's Job shape). */
  blocked_by_window: boolean;
}

export interface Execution {
  _id: string;
  job_id: string;
  status: "QUEUED" | "RUNNING" | "FINISHED" | "FAILED";
  rows: number | null;
  columns: number | null;
  total_duration: number | null;
  triggered_by: "SCHEDULE" | "MANUAL" | "API" | "ORCHESTRATION";
  started_at: string | null;
  finished_at: string | null;
}

export interface Webhook extends RecordFields {
  workspace_id: string;
  description: string;
  is_active: boolean;
  method: string;
  url: string;
  header?: Record<string, unknown> | null;
  body?: unknown;
  rules: { variable_name: string; operation: string; value: string | string[] }[];
  jobs: string[];
}

export interface NamedValue extends RecordFields {
  workspace_id: string;
  name: string;
  value: string;
}

export interface ErathosState {
  readonly keys: KeyRing;
  readonly workspaces: (RecordFields & { name: string; members: string[] })[];
  readonly jobs: Job[];
  readonly executions: Execution[];
  readonly webhooks: Webhook[];
  readonly variables: NamedValue[];
  readonly secrets: NamedValue[];
  counter: number;
}

/** Demo keys in djangorestframework-api-key's `prefix.secret` form: a live one and one past its expiry date. */
export const erathosDemoKeys = {
  key: "Xh3kP9aB.q7Lm2Vn8Rt4Yw6Zc1Bd5Fg9Hj3Kp7Ms",
  expired: "Ot5rW2eQ.a1Sd4Fg7Hj0Kl3Zx6Cv9Bn2Mq5Wr8Ty",
} as const;

/** The demo workspace the live key may use, and one that exists but the key's user cannot see (403). */
export const erathosDemoWorkspaceId = uuidFor("workspace", 1);

const at = "2026-10-15T12:00:00.000Z";
const record = (namespace: string, n: number): RecordFields => ({
  _id: uuidFor(namespace, n),
  _created_at: at,
  _updated_at: at,
});

export function createErathosState(seed: SeedMode): ErathosState {
  const keys = new KeyRing<KeyRecord>([
    {
      id: "user_demo",
      secret: erathosDemoKeys.key,
      label: "Demo user key",
      status: "active",
      expiresAt: "2099-01-01T00:00:00.000Z",
    },
    {
      id: "user_expired",
      secret: erathosDemoKeys.expired,
      label: "Expired key",
      status: "active",
      expiresAt: "2025-06-30T00:00:00.000Z",
    },
  ]);
  const workspaces = [
    { ...record("workspace", 1), name: "Analytics", members: ["user_demo", "user_expired"] },
    { ...record("workspace", 2), name: "Finance", members: [] },
  ];
  if (seed === "empty") {
    return { keys, workspaces, jobs: [], executions: [], webhooks: [], variables: [], secrets: [], counter: 100 };
  }
  const ws = erathosDemoWorkspaceId;
  const job = (n: number, name: string, table: string, extra: Partial<Job> = {}): Job => ({
    ...record("job", n),
    workspace_id: ws,
    name,
    connection_id: uuidFor("connection", n <= 2 ? 1 : 2),
    schema_name: n <= 2 ? "hubspot" : "stripe",
    table_name: table,
    is_dependent: false,
    is_active: true,
    is_running: false,
    blocked_by_window: false,
    ...extra,
  });
  const jobs = [
    job(1, "HubSpot contacts", "contacts"),
    job(2, "HubSpot deals", "deals", { is_dependent: true }),
    job(3, "Stripe charges", "charges", { is_running: true }),
    job(4, "Stripe payouts", "payouts", { blocked_by_window: true }),
  ];
  return {
    keys,
    workspaces,
    jobs,
    executions: [
      {
        _id: uuidFor("execution", 1),
        job_id: jobs[0]?._id ?? "",
        status: "FINISHED",
        rows: 1204,
        columns: 18,
        total_duration: 42.5,
        triggered_by: "SCHEDULE",
        started_at: "2026-11-21T03:00:00.000Z",
        finished_at: "2026-11-21T03:00:42.500Z",
      },
    ],
    webhooks: [
      {
        ...record("webhook", 1),
        workspace_id: ws,
        description: "Trigger dbt when contacts finish",
        is_active: true,
        method: "POST",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Erathos's own template syntax, sent as is
        url: "https://cloud.getdbt.com/api/v2/accounts/${{variables.DBT_ACCOUNT}}/jobs/42/run/",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Erathos's own template syntax, sent as is
        header: { Authorization: "Token ${{secrets.DBT_TOKEN}}" },
        rules: [{ variable_name: "STATUS", operation: "EQUAL", value: "FINISHED" }],
        jobs: [jobs[0]?._id ?? ""],
      },
    ],
    variables: [{ ...record("variable", 1), workspace_id: ws, name: "DBT_ACCOUNT", value: "70403" }],
    secrets: [{ ...record("secret", 1), workspace_id: ws, name: "DBT_TOKEN", value: "dbt-demo-token" }],
    counter: 100,
  };
}
