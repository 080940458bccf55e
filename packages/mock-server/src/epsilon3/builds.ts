import type { Resolver } from "../core/mock-api.js";
import { notFound } from "../core/mock-problem.js";
import { cursorPage } from "./resolvers.js";
import type { Epsilon3State, Part } from "./state.js";

type R = Resolver<Epsilon3State>;

const summary = ({ id, part_number, name, revision, tracking, description }: Part) => ({
  id,
  part_number,
  name,
  revision,
  tracking,
  description,
});

/** The Builds API (parts as docs.epsilon3.io shows them; inventory modelled) and Search. */
export const buildsResolvers: Record<string, R> = {
  listParts: ({ state }) => ({ body: { parts: state.parts.map(summary) } }),

  getPart: ({ state, params, query }) => {
    const part = state.parts.find((candidate) => candidate.id === params.partId);
    if (!part) throw notFound("Part", String(params.partId));
    const { revisions: _, ...latest } = part;
    const revision = typeof query.revisionId === "string" ? query.revisionId : undefined;
    if (revision === undefined || revision === part.revision) return { body: latest };
    const older = part.revisions[revision];
    if (!older) throw notFound(`Revision of part ${part.id}`, revision);
    return { body: { ...latest, revision, description: older.description } };
  },

  listInventory: ({ state }) => ({ body: { inventory: state.inventory } }),

  getInventoryItem: ({ state, params }) => {
    const item = state.inventory.find((candidate) => candidate.id === params.itemId);
    if (!item) throw notFound("Inventory item", String(params.itemId));
    return { body: item };
  },

  search: ({ state, body, query }) => {
    const input = (body ?? {}) as { query?: string; resource_type?: string };
    const term = (input.query ?? "").toLowerCase();
    const hits = [
      ...state.procedures.map((p) => ({ id: p._id, resource_type: "procedure", name: p.name, code: p.code })),
      ...state.runs.map((r) => ({ id: r._id, resource_type: "run", name: r.name })),
      ...state.parts.map((p) => ({ id: p.id, resource_type: "part", name: p.name, code: p.part_number })),
    ]
      .filter((hit) => input.resource_type === undefined || hit.resource_type === input.resource_type)
      .filter((hit) => `${hit.name} ${"code" in hit ? hit.code : ""}`.toLowerCase().includes(term));
    return { body: cursorPage(hits, Number(query.limit ?? 100), query["page-token"]) };
  },
};
