/**
 * Auto-pagination against the mock: every paginated list is a promise of its first page and an async iterable
 * over every item of every page, in each of the four APIs' styles (Epoch's page + page_size with `next` links,
 * Erathos's page numbers in the envelope, Epsilon3's cursor, GetKeyManager's pages without metadata).
 */
import { demoErathosWorkspaceId, demoKeys } from "@keysmith/mock-server";
import { AbortError, Epoch, Epsilon3, Erathos, GetKeyManager } from "@keysmith/sdk";
import { HttpResponse, http } from "msw";
import { describe, expect, test } from "vitest";
import { useMock } from "./support/use-mock.js";

const { mock, requests, server } = useMock();

const epoch = () => new Epoch({ apiKey: demoKeys.epoch.token, env: { EPOCH_SUBDOMAIN: "acme" } });
const epsilon3 = () => new Epsilon3({ apiKey: demoKeys.epsilon3.workspace });
const erathos = () =>
  new Erathos({ apiKey: demoKeys.erathos.key, env: { ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId } });
const getKeyManager = () => new GetKeyManager({ apiKey: demoKeys.getkeymanager.live });

/** The GETs the client sent to a path, as `?query` strings. */
const listCalls = (path: string) =>
  requests
    .filter((request) => new URL(request.url).pathname.endsWith(path))
    .map((request) => new URL(request.url).search);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function addEvents(count: number): Promise<void> {
  const client = epoch();
  for (let n = 0; n < count; n++) {
    await client.events.create({
      title: `Extra ${n}`,
      start: `2027-02-0${n + 1}T10:00:00Z`,
      end: `2027-02-0${n + 1}T11:00:00Z`,
      timezone: "UTC",
      location_type: "virtual",
      team_id: 1,
    });
  }
  requests.length = 0;
}

describe("each API's paginated lists yield every item exactly once, and stop at the last page", () => {
  test("Epoch: page + page_size, following `next` until it is null", async () => {
    await addEvents(2);
    const expected = mock.apis.epoch.state.events.map((event) => event.id);
    expect(expected).toHaveLength(5);
    const seen = await collect(epoch().events.list({ page_size: 2 }));
    expect(seen.map((event) => event.id).sort()).toEqual([...expected].sort());
    // three pages, each asked for once: no fourth request (which Epoch would answer 404)
    expect(listCalls("/events/")).toEqual(["?page_size=2", "?page_size=2&page=2", "?page_size=2&page=3"]);
  });

  test("Erathos: page numbers in the envelope (next_page)", async () => {
    const expected = mock.apis.erathos.state.jobs
      .filter((job) => job.workspace_id === demoErathosWorkspaceId)
      .map((job) => job._id);
    expect(expected.length).toBeGreaterThan(1);
    const seen = await collect(erathos().jobs.list({ page_size: 1 }));
    expect(seen.map((job) => job._id).sort()).toEqual([...expected].sort());
    expect(listCalls("/jobs/")).toHaveLength(expected.length);
  });

  test("Epsilon3: a cursor (page-token) until the answer gives none", async () => {
    const expected = mock.apis.epsilon3.state.runs.map((run) => run._id);
    expect(expected.length).toBeGreaterThan(1);
    const seen = await collect(epsilon3().runs.list({ limit: 1 }));
    expect(seen.map((run) => run._id).sort()).toEqual([...expected].sort());
    const calls = listCalls("/v1/runs/summary");
    expect(calls).toHaveLength(expected.length);
    expect(new Set(calls).size).toBe(calls.length);
  });

  test("GetKeyManager: pages without metadata end at the first page shorter than asked for", async () => {
    const expected = mock.apis.getkeymanager.state.licenses.map((license) => license.license_key);
    const seen = await collect(getKeyManager().licenses.list({ items_per_page: 2 }));
    expect(seen.map((license) => license.license_key).sort()).toEqual([...expected].sort());
    expect(listCalls("/get-license-keys")).toHaveLength(Math.floor(expected.length / 2) + 1);
  });
});

describe("pages, reuse and ending early", () => {
  test("pages() gives each page's items with its response; the first page awaited is not asked for again", async () => {
    await addEvents(2);
    const list = epoch().events.list({ page_size: 2 });
    const first = await list;
    expect(first.count).toBe(5);
    const pages = await collect(list.pages());
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
    expect(pages[0]?.data).toBe(first);
    expect(pages.every((page) => page.response.status === 200 && page.requestId !== undefined)).toBe(true);
    expect(listCalls("/events/")).toHaveLength(3);
  });

  test("breaking out of the loop asks for no further page", async () => {
    await addEvents(2);
    for await (const event of epoch().events.list({ page_size: 2 })) {
      expect(event.id).toEqual(expect.any(Number));
      break;
    }
    expect(listCalls("/events/")).toHaveLength(1);
  });

  test("aborting mid-iteration stops fetching, with an AbortError", async () => {
    await addEvents(2);
    const controller = new AbortController();
    const seen: number[] = [];
    const iterate = async () => {
      for await (const event of epoch().events.list({ page_size: 2 }, { signal: controller.signal })) {
        seen.push(event.id);
        if (seen.length === 2) controller.abort();
      }
    };
    await expect(iterate()).rejects.toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(2);
    expect(listCalls("/events/")).toHaveLength(1);
  });

  test("a 429 on a later page goes through the normal retry path, and no item is lost or repeated", async () => {
    await addEvents(2);
    let refused = false;
    server.use(
      http.get("https://acme.epochapp.com/api/v1/events/", ({ request }) => {
        if (refused || new URL(request.url).searchParams.get("page") !== "2") return undefined;
        refused = true;
        return HttpResponse.json(
          { error: { code: "rate_limited", message: "slow down", request_id: "r" } },
          { status: 429, headers: { "retry-after-ms": "0" } },
        );
      }),
    );
    const seen = await collect(epoch().events.list({ page_size: 2 }));
    expect(new Set(seen.map((event) => event.id)).size).toBe(5);
    expect(seen).toHaveLength(5);
    expect(listCalls("/events/")).toEqual([
      "?page_size=2",
      "?page_size=2&page=2",
      "?page_size=2&page=2",
      "?page_size=2&page=3",
    ]);
  });

  test("a server whose next link points back at a page already read does not loop", async () => {
    server.use(
      http.get("https://acme.epochapp.com/api/v1/teams/", () =>
        HttpResponse.json({
          count: 4,
          next: "https://acme.epochapp.com/api/v1/teams/?page=1",
          previous: null,
          results: [{ id: 1, name: "Loop" }],
        }),
      ),
    );
    const seen = await collect(epoch().teams.list({ page: 1 }));
    expect(seen).toEqual([{ id: 1, name: "Loop" }]);
    expect(listCalls("/teams/")).toHaveLength(1);
  });
});
