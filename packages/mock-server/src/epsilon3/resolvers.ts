import { base62Id } from "../core/ids.js";
import type { MockEvent, Resolver } from "../core/mock-api.js";
import { conflict, notFound } from "../core/mock-problem.js";
import type { CollectionBinding, DescribedApiKit } from "../generic/described-api.js";
import type { Command, Epsilon3State, Part, Run, TelemetryParameter } from "./state.js";

type Body = Record<string, unknown>;

/**
 * Where Epsilon3's resources live in its state. Procedures and runs are listed as summaries (two collections
 * both named `summary`, so bound by path), parts without their revision history, a new dictionary answered with
 * its id alone: answers show the fields their schema names.
 */
export const epsilon3Collections: Readonly<Record<string, CollectionBinding<Epsilon3State>>> = {
  "/v1/procedures/summary": { items: (state) => state.procedures, schemaFieldsOnly: true },
  "/v1/runs/summary": { items: (state) => state.runs, schemaFieldsOnly: true },
  dictionaries: {
    items: (state) => state.dictionaries,
    schemaFieldsOnly: true,
    newId: (state) => Math.max(0, ...state.dictionaries.map((dictionary) => dictionary.id)) + 1,
  },
  parameters: { items: (state) => state.parameters },
  commands: { items: (state) => state.commands },
  parts: { items: (state) => state.parts, schemaFieldsOnly: true },
  inventory: { items: (state) => state.inventory, label: "Inventory item" },
};

const byId = <T extends { _id: string }>(items: readonly T[], id: unknown, label: string): T => {
  const found = items.find((item) => item._id === id);
  if (!found) throw notFound(label, String(id));
  return found;
};

const requireDictionary = (state: Epsilon3State, id: number): void => {
  if (!state.dictionaries.some((dictionary) => dictionary.id === id)) throw notFound("Dictionary", id);
};

/** A telemetry parameter or a command: its dictionary must exist, and its name be new there. */
function addToDictionary<T extends { name: string; dictionary_id: number }>(
  state: Epsilon3State,
  items: T[],
  item: T,
  label: string,
): T {
  requireDictionary(state, item.dictionary_id);
  if (items.some((existing) => existing.name === item.name && existing.dictionary_id === item.dictionary_id)) {
    throw conflict("duplicate_name", `${label} "${item.name}" already exists in dictionary ${item.dictionary_id}`);
  }
  items.push(item);
  return item;
}

/**
 * What Epsilon3's description cannot say: a run starts from a procedure and ends once, each raising a realtime
 * notification; its metadata merges (null removes a key); dictionary names are unique, a parameter's or command's
 * name unique in its dictionary, and bulk upserts match by both; a part answers at an older revision; search
 * spans procedures, runs and parts. Lists, reads, 404s and cursor pages are the generic ones.
 */
export function epsilon3Resolvers(kit: DescribedApiKit<Epsilon3State>): Record<string, Resolver<Epsilon3State>> {
  return {
    getProcedure: ({ state, params }) => ({ body: byId(state.procedures, params.procedureId, "Procedure") }),

    startRun: ({ state, body, now, publish }) => {
      const input = body as Body;
      const procedure = byId(state.procedures, input.procedure_id, "Procedure");
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

    getRun: ({ state, params }) => ({ body: byId(state.runs, params.runId, "Run") }),

    endRun: ({ state, params, body, now, publish }) => {
      const run = byId(state.runs, params.runId, "Run");
      if (run.state === "completed") throw conflict("run_completed", `Run ${run._id} has already ended`);
      run.state = "completed";
      run.status = ((body as Body | undefined)?.status as Run["status"] | undefined) ?? "success";
      run.completed_at = now.toISOString();
      publish(runNotification("run_ended", run, `${run.name} ended: ${run.status}`));
      return { body: run };
    },

    getRunMetadata: ({ state, params }) => ({ body: byId(state.runs, params.runId, "Run").metadata }),

    updateRunMetadata: ({ state, params, body }) => {
      const { metadata } = byId(state.runs, params.runId, "Run");
      for (const [key, value] of Object.entries(body as Body)) {
        if (value === null) delete metadata[key];
        else metadata[key] = value;
      }
      return { body: metadata };
    },

    createDictionary: (context) => {
      const name = String((context.body as Body).name);
      if (context.state.dictionaries.some((dictionary) => dictionary.name === name)) {
        throw conflict("duplicate_name", `A dictionary named "${name}" already exists`);
      }
      return kit.defaults.createDictionary?.(context) ?? {};
    },

    createTelemetryParameter: ({ state, body }) => ({
      body: addToDictionary(state, state.parameters, body as TelemetryParameter, "Parameter"),
    }),

    bulkUpsertTelemetryParameters: ({ state, body }) => ({
      body: upsertAll(state, state.parameters, body as TelemetryParameter[]),
    }),

    createCommand: ({ state, body }) => ({
      body: addToDictionary(state, state.commands, body as Command, "Command"),
    }),

    getPart: (context) => {
      const found = kit.find(context, "parts");
      const part = found as unknown as Part;
      const latest = kit.view(context, "parts", found) as Body;
      const revision = typeof context.query.revisionId === "string" ? context.query.revisionId : undefined;
      if (revision === undefined || revision === part.revision) return { body: latest };
      const older = part.revisions[revision];
      if (!older) throw notFound(`Revision of part ${part.id}`, revision);
      return { body: { ...latest, revision, description: older.description } };
    },

    search: (context) => {
      const { state } = context;
      const input = (context.body ?? {}) as { query?: string; resource_type?: string };
      const term = (input.query ?? "").toLowerCase();
      const hits = [
        ...state.procedures.map((p) => ({ id: p._id, resource_type: "procedure", name: p.name, code: p.code })),
        ...state.runs.map((r) => ({ id: r._id, resource_type: "run", name: r.name })),
        ...state.parts.map((p) => ({ id: p.id, resource_type: "part", name: p.name, code: p.part_number })),
      ]
        .filter((hit) => input.resource_type === undefined || hit.resource_type === input.resource_type)
        .filter((hit) => `${hit.name} ${"code" in hit ? hit.code : ""}`.toLowerCase().includes(term));
      return kit.list(context, hits);
    },
  };
}

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
