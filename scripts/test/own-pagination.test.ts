/**
 * Auto-pagination of a client generated from a description Keysmith never saw, with no `x-keysmith-*`
 * extension: each list's paging is detected from its parameters and answer (page + per_page over a bare array,
 * offset + limit in an envelope with a total, a cursor in an envelope), the same reading the mock pages by, and
 * the client walks every page of the mock of that description, over HTTP.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type RunningMockServer, startMockServer } from "@keysmith/mock-server";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadMockSpec } from "../../packages/cli/src/describe.js";
import { repoRoot } from "../support/packed-project.js";
import { runGenerator } from "../support/run-generator.js";

const KEY = "own-pagination-key-3";
const scratch = join(repoRoot, ".tmp", "own-pagination");

const SPEC = `openapi: 3.1.0
info: { title: Library API, version: 1.0.0 }
servers: [{ url: https://library.example.test/api }]
security: [{ libraryKey: [] }]
paths:
  /books:
    get:
      operationId: listBooks
      parameters:
        - { name: page, in: query, schema: { type: integer, minimum: 1 } }
        - { name: per_page, in: query, schema: { type: integer, minimum: 1, default: 3 } }
      responses:
        "200":
          description: A page of books
          content: { application/json: { schema: { type: array, items: { $ref: "#/components/schemas/Book" } } } }
  /shelves:
    get:
      operationId: listShelves
      parameters:
        - { name: offset, in: query, schema: { type: integer, minimum: 0 } }
        - { name: limit, in: query, schema: { type: integer, minimum: 1, default: 2 } }
      responses:
        "200":
          description: Shelves
          content:
            application/json:
              schema:
                type: object
                required: [items, total]
                properties:
                  items: { type: array, items: { $ref: "#/components/schemas/Shelf" } }
                  total: { type: integer }
  /loans:
    get:
      operationId: listLoans
      parameters:
        - { name: cursor, in: query, schema: { type: string } }
        - { name: limit, in: query, schema: { type: integer, minimum: 1, default: 2 } }
      responses:
        "200":
          description: Loans
          content:
            application/json:
              schema:
                type: object
                required: [data, next_cursor]
                properties:
                  data: { type: array, items: { $ref: "#/components/schemas/Loan" } }
                  next_cursor: { type: [string, "null"] }
components:
  securitySchemes:
    libraryKey: { type: apiKey, in: header, name: X-Library-Key }
  schemas:
    Book: { type: object, required: [id, title], properties: { id: { type: integer }, title: { type: string } } }
    Shelf: { type: object, required: [id, room], properties: { id: { type: integer }, room: { type: string } } }
    Loan: { type: object, required: [id, book], properties: { id: { type: string }, book: { type: integer } } }
`;

const range = (count: number) => Array.from({ length: count }, (_, index) => index + 1);
const FIXTURES = {
  books: range(8).map((id) => ({ id, title: `Book ${id}` })),
  shelves: range(5).map((id) => ({ id, room: `Room ${id}` })),
  loans: range(5).map((id) => ({ id: `loan-${id}`, book: id })),
};

interface Listed {
  [Symbol.asyncIterator](): AsyncIterator<{ id: unknown }>;
}
type LibraryClient = Record<string, Record<string, (input?: object) => Listed>>;

let server: RunningMockServer;
let client: LibraryClient;
let table: Record<string, { pagination?: unknown }>;
const calls: string[] = [];

beforeAll(async () => {
  await mkdir(scratch, { recursive: true });
  const file = join(scratch, "library.yaml");
  await writeFile(file, SPEC);
  const lines: string[] = [];
  const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
  expect(await runGenerator(["--spec", file, "--name", "library", "--out", join(scratch, "client")], out)).toBe(0);
  const { spec } = await loadMockSpec(file);
  server = await startMockServer({ specs: [spec], keys: [KEY], port: 0, fixtures: { library: FIXTURES } });
  const { libraryApi } = (await import(join(scratch, "client", "api.ts"))) as {
    libraryApi: { operations: Record<string, { pagination?: unknown }> };
  };
  table = libraryApi.operations;
  const { Library } = (await import(join(scratch, "client", "client.ts"))) as {
    Library: new (options: object) => LibraryClient;
  };
  const base = server.endpoints.find((endpoint) => endpoint.api === "library")?.baseUrl ?? "";
  const recordingFetch = (request: Request) => {
    calls.push(new URL(request.url).pathname + new URL(request.url).search);
    return fetch(request);
  };
  client = new Library({ apiKey: KEY, baseUrl: base, env: {}, fetch: recordingFetch });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await rm(scratch, { recursive: true, force: true });
});

async function idsOf(listed: Listed): Promise<unknown[]> {
  calls.length = 0;
  const ids: unknown[] = [];
  for await (const item of listed) ids.push(item.id);
  return ids;
}

test("the generator detects each list's paging, as the mock does", () => {
  expect(table.listBooks?.pagination).toEqual({ style: "page", param: "page", sizeParam: "per_page", items: "" });
  expect(table.listShelves?.pagination).toEqual({
    style: "offset",
    param: "offset",
    sizeParam: "limit",
    items: "/items",
  });
  expect(table.listLoans?.pagination).toEqual({
    style: "cursor",
    param: "cursor",
    sizeParam: "limit",
    items: "/data",
    nextCursor: "/next_cursor",
  });
});

test("page + per_page over a bare array: every book once, ending at the first short page", async () => {
  expect(await idsOf(client.default?.listBooks?.({ per_page: 3 }) as Listed)).toEqual(FIXTURES.books.map((b) => b.id));
  expect(calls).toEqual([
    "/library/api/books?per_page=3",
    "/library/api/books?per_page=3&page=2",
    "/library/api/books?per_page=3&page=3",
  ]);
});

test("offset + limit in an envelope: every shelf once", async () => {
  expect(await idsOf(client.default?.listShelves?.({ limit: 2 }) as Listed)).toEqual(FIXTURES.shelves.map((s) => s.id));
  expect(calls).toHaveLength(3);
});

test("a cursor in an envelope: every loan once, until the cursor is null", async () => {
  expect(await idsOf(client.default?.listLoans?.({ limit: 2 }) as Listed)).toEqual(FIXTURES.loans.map((l) => l.id));
  expect(calls).toHaveLength(3);
});
