import { base62Id } from "../core/ids.js";
import type { MockEvent, Resolver } from "../core/mock-api.js";
import { conflict, MockProblem, notFound } from "../core/mock-problem.js";
import type { Command, Epsilon3State, Run, TelemetryParameter } from "./state.js";

type R = Resolver<Epsilon3State>;
type Body = Record<string, unknown>;

const findRun = (state: Epsilon3State, id: unknown): Run => {
  const run = state.runs.find((candidate) => candidate._id === id);
  if (!run) throw notFound("Run", String(id));
  return run;
};

const requireDictionary = (state: Epsilon3State, id: number): void => {
  if (!state.dictionaries.some((dictionary) => dictionary.id === id)) throw notFound("Dictionary", id);
};

const summary = (run: Run) => ({
  _id: run._id,
  procedure_id: run.procedure_id,
  name: run.name,
  state: run.state,
  status: run.status,
});

/** Cursor pagination as Epsilon3's search documents it: `page-token` in, `pagination.next_page_token` out. */
export function cursorPage<T>(
  items: T[],
  limit: number,
  token: unknown,
): { data: T[]; pagination: { next_page_token: string | null; limit: number } } {
  let offset = 0;
  if (typeof token === "string") {
    const decoded = /^o:(\d+)$/.exec(safeAtob(token));
    if (!decoded)
      throw new MockProblem(422, {
        code: "invalid",
        field: "page-token",
        message: "page-token: not a token this API issued",
      });
    offset = Number(decoded[1]);
  }
  const data = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? btoa(`o:${offset + limit}`) : null;
  return { data, pagination: { next_page_token: next, limit } };
}

function safeAtob(text: string): string {
  try {
    return atob(text);
  } catch {
    return "";
  }
}

export const epsilon3Resolvers: Record<string, R> = {
  listProcedures: ({ state }) => ({
    body: { data: state.procedures.map(({ _id, code, name, version }) => ({ _id, code, name, version })) },
  }),

  getProcedure: ({ state, params }) => {
    const procedure = state.procedures.find((candidate) => candidate._id === params.procedureId);
    if (!procedure) throw notFound("Procedure", String(params.procedureId));
    return { body: procedure };
  },

  startRun: ({ state, body, now, publish }) => {
    const input = body as Body;
    const procedure = state.procedures.find((candidate) => candidate._id === input.procedure_id);
    if (!procedure) throw notFound("Procedure", String(input.procedure_id));
    state.counter += 1;
    const run: Run = {
      _id: base62Id("run", state.counter),
      procedure_id: procedure._id,
      name: procedure.name,
      state: "running",
      status: null,
      starttime: now.toISOString(),
      completed_at: null,
      variables: (input.variables as Record<string, unknown> | undefined) ?? {},
      metadata: {},
    };
    state.runs.push(run);
    publish(runNotification("run_started", run, `${procedure.code} ${procedure.name} started`));
    return { body: { run_id: run._id } };
  },

  listRuns: ({ state, query }) => {
    const states = query["run-state"] as string[] | undefined;
    const runs = states ? state.runs.filter((run) => states.includes(run.state)) : state.runs;
    return { body: cursorPage(runs.map(summary), Number(query.limit ?? 100), query["page-token"]) };
  },

  getRun: ({ state, params }) => ({ body: findRun(state, params.runId) }),

  endRun: ({ state, params, body, now, publish }) => {
    const run = findRun(state, params.runId);
    if (run.state === "completed") throw conflict("run_completed", `Run ${run._id} has already ended`);
    run.state = "completed";
    run.status = ((body as Body | undefined)?.status as Run["status"] | undefined) ?? "success";
    run.completed_at = now.toISOString();
    publish(runNotification("run_ended", run, `${run.name} ended: ${run.status}`));
    return { body: run };
  },

  getRunMetadata: ({ state, params }) => ({ body: findRun(state, params.runId).metadata }),

  updateRunMetadata: ({ state, params, body }) => {
    const run = findRun(state, params.runId);
    for (const [key, value] of Object.entries(body as Body)) {
      if (value === null) delete run.metadata[key];
      else run.metadata[key] = value;
    }
    return { body: run.metadata };
  },

  listDictionaries: ({ state }) => ({ body: state.dictionaries }),

  createDictionary: ({ state, body }) => {
    const name = String((body as Body).name);
    if (state.dictionaries.some((dictionary) => dictionary.name === name)) {
      throw conflict("duplicate_name", `A dictionary named "${name}" already exists`);
    }
    const id = Math.max(0, ...state.dictionaries.map((dictionary) => dictionary.id)) + 1;
    state.dictionaries.push({ id, name });
    return { body: { id } };
  },

  listTelemetryParameters: ({ state }) => ({ body: state.parameters }),

  createTelemetryParameter: ({ state, body }) => {
    const parameter = body as TelemetryParameter;
    requireDictionary(state, parameter.dictionary_id);
    if (state.parameters.some((p) => p.name === parameter.name && p.dictionary_id === parameter.dictionary_id)) {
      throw conflict(
        "duplicate_name",
        `Parameter "${parameter.name}" already exists in dictionary ${parameter.dictionary_id}`,
      );
    }
    state.parameters.push(parameter);
    return { body: parameter };
  },

  bulkUpsertTelemetryParameters: ({ state, body }) => ({
    body: upsertAll(state, state.parameters, body as TelemetryParameter[]),
  }),

  listCommands: ({ state }) => ({ body: state.commands }),

  createCommand: ({ state, body }) => {
    const command = body as Command;
    requireDictionary(state, command.dictionary_id);
    if (state.commands.some((c) => c.name === command.name && c.dictionary_id === command.dictionary_id)) {
      throw conflict(
        "duplicate_name",
        `Command "${command.name}" already exists in dictionary ${command.dictionary_id}`,
      );
    }
    state.commands.push(command);
    return { body: command };
  },
};

/** Creates or replaces each entry, matched by name and dictionary; checks every dictionary first, so a 404 changes nothing. */
function upsertAll<T extends { name: string; dictionary_id: number }>(state: Epsilon3State, items: T[], incoming: T[]) {
  for (const item of incoming) requireDictionary(state, item.dictionary_id);
  let created = 0;
  let updated = 0;
  for (const item of incoming) {
    const index = items.findIndex(
      (existing) => existing.name === item.name && existing.dictionary_id === item.dictionary_id,
    );
    if (index === -1) {
      items.push(item);
      created += 1;
    } else {
      items[index] = item;
      updated += 1;
    }
  }
  return { created, updated };
}

/** The realtime notification a run's start or end raises (delivered by the realtime mock, if one runs). */
function runNotification(subtype: string, run: Run, message: string): MockEvent {
  return {
    topic: "notification",
    payload: {
      type: "run",
      subtype,
      data: { message, run_url: `https://app.epsilon3.io/runs/${run._id}` },
    },
  };
}
