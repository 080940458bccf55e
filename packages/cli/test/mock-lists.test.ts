/**
 * Lists of a described API as `keysmith mock --spec` serves them: filtered by the query (a parameter named like
 * a field, or `x-keysmith-filter`), sorted (`x-keysmith-sort`), paged into the envelope `x-keysmith-pagination`
 * points into, with a 404 past the last page where it says so, and nested items under an existing parent only.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCli } from "../src/main.js";
import { type RecordingIO, recordingIO } from "./support/recording-io.js";

const KEY = "tickets-test-key-7";

const TICKETS_SPEC = `openapi: 3.1.0
info: { title: Tickets API, version: 1.0.0 }
servers: [{ url: https://tickets.example.test/v2 }]
security: [{ ticketsKey: [] }]
x-keysmith-pagination:
  style: page
  pageParam: page
  sizeParam: page_size
  items: /results
  count: /count
  next: /next_page
  previous: /previous_page
  totalPages: /total_pages
  pastLastPage: not-found
paths:
  /tickets:
    get:
      operationId: listTickets
      x-keysmith-sort: { param: ordering, default: -opened }
      parameters:
        - { name: status, in: query, schema: { type: string, enum: [open, closed] } }
        - name: opened_after
          in: query
          schema: { type: string, format: date-time }
          x-keysmith-filter: { field: opened, op: gt }
        - name: search
          in: query
          schema: { type: string }
          x-keysmith-filter: { field: title, op: contains }
        - name: tag
          in: query
          schema: { type: string }
          x-keysmith-filter: { field: tags, op: has }
        - { name: ordering, in: query, schema: { type: string } }
        - { name: page, in: query, schema: { type: integer, minimum: 1, default: 1 } }
        - { name: page_size, in: query, schema: { type: integer, minimum: 1, default: 2 } }
      responses:
        "200":
          description: A page of tickets
          content: { application/json: { schema: { $ref: "#/components/schemas/TicketPage" } } }
    post:
      operationId: openTicket
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: "#/components/schemas/TicketInput" } } }
      responses:
        "201":
          description: Opened
          content: { application/json: { schema: { $ref: "#/components/schemas/Ticket" } } }
  /tickets/{ticketId}:
    parameters: [{ name: ticketId, in: path, required: true, schema: { type: integer } }]
    get:
      operationId: getTicket
      responses:
        "200":
          description: A ticket
          content: { application/json: { schema: { $ref: "#/components/schemas/Ticket" } } }
  /tickets/{ticketId}/comments:
    parameters: [{ name: ticketId, in: path, required: true, schema: { type: integer } }]
    get:
      operationId: listComments
      responses:
        "200":
          description: The ticket's comments
          content: { application/json: { schema: { type: array, items: { $ref: "#/components/schemas/Comment" } } } }
    post:
      operationId: addComment
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, required: [text], properties: { text: { type: string } } } } }
      responses:
        "201":
          description: Added
          content: { application/json: { schema: { $ref: "#/components/schemas/Comment" } } }
components:
  securitySchemes:
    ticketsKey: { type: apiKey, in: header, name: X-Tickets-Key }
  schemas:
    TicketInput:
      type: object
      required: [title, opened]
      properties:
        title: { type: string }
        opened: { type: string, format: date-time }
        status: { type: string, enum: [open, closed], default: open }
        tags: { type: array, items: { type: string } }
    Ticket:
      allOf:
        - $ref: "#/components/schemas/TicketInput"
        - type: object
          required: [id]
          properties: { id: { type: integer, readOnly: true } }
    TicketPage:
      type: object
      required: [count, next_page, previous_page, total_pages, results]
      properties:
        count: { type: integer }
        next_page: { type: [integer, "null"] }
        previous_page: { type: [integer, "null"] }
        total_pages: { type: integer }
        results: { type: array, items: { $ref: "#/components/schemas/Ticket" } }
    Comment:
      type: object
      required: [id, text]
      properties: { id: { type: integer, readOnly: true }, text: { type: string } }
`;

let project: string;
let stop: AbortController;
let serving: Promise<number>;
let base: string;
let recorded: RecordingIO;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "X-Tickets-Key": KEY, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
}

const titles = (page: unknown) => (page as { results: { title: string }[] }).results.map((ticket) => ticket.title);

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "keysmith-mock-lists-"));
  await writeFile(join(project, "tickets.yaml"), TICKETS_SPEC);
  stop = new AbortController();
  recorded = recordingIO(project, { signal: stop.signal });
  const ready = recorded.waitFor(/^Stop with Ctrl-C/, 0);
  serving = runCli(["mock", "--spec", "tickets.yaml", "--port", "0", "--quiet", "--key", KEY], recorded.io);
  await ready;
  base = /^ {2}tickets +(\S+)$/m.exec(recorded.output())?.[1] ?? "";
  const tickets = [
    { title: "Printer jams", opened: "2026-11-01T09:00:00Z", tags: ["hardware"] },
    { title: "VPN drops", opened: "2026-11-03T09:00:00Z", status: "closed", tags: ["network"] },
    { title: "Printer out of toner", opened: "2026-11-05T09:00:00Z", tags: ["hardware", "supplies"] },
    { title: "New laptop", opened: "2026-11-07T09:00:00Z", tags: ["hardware"] },
    { title: "Wi-Fi slow", opened: "2026-11-09T09:00:00Z", tags: ["network"] },
  ];
  for (const ticket of tickets) expect((await call("POST", "/tickets", ticket)).status).toBe(201);
});
afterAll(async () => {
  stop.abort();
  expect(await serving).toBe(0);
  await rm(project, { recursive: true, force: true });
});

test("pages follow x-keysmith-pagination: counts, page numbers as links, the default order, a 404 past the last", async () => {
  const first = await call("GET", "/tickets");
  expect(first).toMatchObject({ status: 200, body: { count: 5, next_page: 2, previous_page: null, total_pages: 3 } });
  // newest first, the operation's default order
  expect(titles(first.body)).toEqual(["Wi-Fi slow", "New laptop"]);
  const last = await call("GET", "/tickets?page=3");
  expect(last.body).toMatchObject({ next_page: null, previous_page: 2 });
  expect(titles(last.body)).toEqual(["Printer jams"]);
  const past = await call("GET", "/tickets?page=4");
  expect(past.status).toBe(404);
  expect(past.body).toMatchObject({ status: 404, detail: "Invalid page 4: there are 3" });
});

test("a parameter named like a field filters by it; x-keysmith-filter compares, searches text and lists", async () => {
  expect(titles((await call("GET", "/tickets?status=closed")).body)).toEqual(["VPN drops"]);
  expect(titles((await call("GET", "/tickets?opened_after=2026-11-06T00:00:00Z&page_size=10")).body)).toEqual([
    "Wi-Fi slow",
    "New laptop",
  ]);
  expect(titles((await call("GET", "/tickets?search=Printer&page_size=10")).body)).toEqual([
    "Printer out of toner",
    "Printer jams",
  ]);
  expect((await call("GET", "/tickets?tag=network&page_size=10")).body).toMatchObject({ count: 2 });
});

test("the sort parameter orders by the field it names, - first for descending", async () => {
  expect(titles((await call("GET", "/tickets?ordering=title&page_size=10")).body)).toEqual([
    "New laptop",
    "Printer jams",
    "Printer out of toner",
    "VPN drops",
    "Wi-Fi slow",
  ]);
  expect(titles((await call("GET", "/tickets?ordering=-title&page_size=1")).body)).toEqual(["Wi-Fi slow"]);
});

test("nested items live under an existing parent: a 404 under an unknown one", async () => {
  expect((await call("POST", "/tickets/1/comments", { text: "Tried turning it off" })).status).toBe(201);
  expect((await call("GET", "/tickets/1/comments")).body).toEqual([{ id: 1, text: "Tried turning it off" }]);
  expect((await call("GET", "/tickets/2/comments")).body).toEqual([]);
  for (const [method, body] of [
    ["GET", undefined],
    ["POST", { text: "lost" }],
  ] as const) {
    const missing = await call(method, "/tickets/99/comments", body);
    expect(missing).toMatchObject({ status: 404, body: { detail: "Ticket 99 does not exist" } });
  }
});
