/**
 * The mock of a description it was never written for (`specs`), served by the MSW handlers on the API's own
 * URL, and by the standalone server in-process: the same runtime as the four APIs, so resets, faults and
 * request logs apply to it too.
 */
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { createHandlers, Mock, type MockApiSpec, startMockServer } from "../src/index.js";

const KEY = "generic-test-key-42";

/** What `keysmith mock --spec` builds from a small description: a header key, tasks with an item path. */
const TASKS: MockApiSpec = {
  name: "tasks",
  title: "Tasks API",
  servers: [{ url: "https://tasks.example.test/v1" }],
  securitySchemes: { tasksKey: { type: "header", name: "X-Api-Key" } },
  security: [["tasksKey"]],
  operations: [
    {
      operationId: "listTasks",
      method: "get",
      path: "/tasks",
      successStatus: 200,
      parameters: [],
      responses: { "200": { type: "array", items: { $ref: "#/components/schemas/Task" } } },
    },
    {
      operationId: "createTask",
      method: "post",
      path: "/tasks",
      successStatus: 201,
      parameters: [],
      requestBody: { required: true, schema: { $ref: "#/components/schemas/NewTask" } },
      responses: { "201": { $ref: "#/components/schemas/Task" }, "422": null },
    },
    {
      operationId: "getTask",
      method: "get",
      path: "/tasks/{taskId}",
      successStatus: 200,
      parameters: [{ name: "taskId", in: "path", required: true, schema: { type: "string" } }],
      responses: { "200": { $ref: "#/components/schemas/Task" }, "404": { $ref: "#/components/schemas/Error" } },
    },
  ],
  schemas: {
    NewTask: { type: "object", required: ["title"], properties: { title: { type: "string", minLength: 1 } } },
    Task: {
      type: "object",
      required: ["id", "title"],
      properties: { id: { type: "string", readOnly: true }, title: { type: "string" } },
    },
    Error: {
      type: "object",
      required: ["message"],
      properties: { message: { type: "string" }, code: { type: "string" } },
    },
  },
};

const mock = new Mock({ specs: [TASKS], keys: [KEY] });
const server = setupServer(...createHandlers(mock));
beforeAll(() =>
  server.listen({
    // the standalone server's test calls loopback for real
    onUnhandledRequest: (request, print) => {
      if (new URL(request.url).hostname !== "127.0.0.1") print.error();
    },
  }),
);
afterEach(() => mock.reset());
afterAll(() => server.close());

const headers = { "X-Api-Key": KEY, "Content-Type": "application/json" };

test("only the described API is mocked, on its own URL, with the given key", async () => {
  expect(mock.enabled).toEqual([]);
  expect([...mock.described.keys()]).toEqual(["tasks"]);
  const created = await fetch("https://tasks.example.test/v1/tasks", {
    method: "POST",
    headers,
    body: JSON.stringify({ title: "Ship it" }),
  });
  expect(created.status).toBe(201);
  expect(await created.json()).toEqual({ id: "task_1", title: "Ship it" });
  const read = await fetch("https://tasks.example.test/v1/tasks/task_1", { headers });
  expect(await read.json()).toEqual({ id: "task_1", title: "Ship it" });
  expect((await fetch("https://tasks.example.test/v1/tasks", { headers: { "X-Api-Key": "nope" } })).status).toBe(401);
});

test("a 404 the operation documents with a schema gets a body of that schema, its message set", async () => {
  const missing = await fetch("https://tasks.example.test/v1/tasks/task_9", { headers });
  expect(missing.status).toBe(404);
  expect(missing.headers.get("content-type")).toBe("application/json");
  expect(await missing.json()).toMatchObject({ message: "Task task_9 does not exist", code: "not_found" });
});

test("reset empties the store; faults and request logs apply as to the four APIs", async () => {
  await fetch("https://tasks.example.test/v1/tasks", { method: "POST", headers, body: JSON.stringify({ title: "a" }) });
  mock.reset();
  expect(await (await fetch("https://tasks.example.test/v1/tasks", { headers })).json()).toEqual([]);

  mock.inject({ api: "tasks", operationId: "listTasks", status: 503, times: 1 });
  expect((await fetch("https://tasks.example.test/v1/tasks", { headers })).status).toBe(503);
  expect((await fetch("https://tasks.example.test/v1/tasks", { headers })).status).toBe(200);
  const runtime = mock.described.get("tasks");
  // the log since the reset: the empty list, the injected failure, the recovery
  expect(runtime?.requestLog("key_1").map((entry) => [entry.operationId, entry.status])).toEqual([
    ["listTasks", 200],
    ["listTasks", 503],
    ["listTasks", 200],
  ]);
});

test("startMockServer({ specs }) serves it over HTTP at /<name><server path>", async () => {
  const standalone = await startMockServer({ specs: [TASKS], keys: [KEY], port: 0 });
  try {
    expect(standalone.endpoints.map((endpoint) => [endpoint.api, endpoint.baseUrl])).toEqual([
      ["tasks", `${standalone.url}/tasks/v1`],
    ]);
    const answer = await fetch(`${standalone.url}/tasks/v1/tasks`, { headers });
    expect([answer.status, await answer.json()]).toEqual([200, []]);
  } finally {
    await standalone.close();
  }
});

test("an OAuth2 client-credentials scheme gets a token endpoint; its tokens open the API until they expire", async () => {
  const oauth: MockApiSpec = {
    ...TASKS,
    name: "oauth-tasks",
    servers: [{ url: "https://oauth-tasks.example.test/v1" }],
    securitySchemes: { tasksOAuth: { type: "oauth2", tokenUrl: "/v1/oauth/token" } },
    security: [["tasksOAuth"]],
  };
  let now = new Date("2026-06-01T00:00:00Z");
  const standalone = await startMockServer({ specs: [oauth], keys: [KEY], port: 0, now: () => now });
  try {
    const base = `${standalone.url}/oauth-tasks/v1`;
    const token = (secret: string, grant = "client_credentials") =>
      fetch(`${base}/oauth/token`, {
        method: "POST",
        headers: {
          Authorization: `Basic ${btoa(`my-client:${encodeURIComponent(secret)}`)}`,
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ grant_type: grant }),
      });
    const refused = await token("wrong-secret");
    expect([refused.status, await refused.json()]).toEqual([401, expect.objectContaining({ error: "invalid_client" })]);
    expect((await (await token(KEY, "password")).json()) as object).toMatchObject({ error: "unsupported_grant_type" });
    const issued = (await (await token(KEY)).json()) as {
      access_token: string;
      token_type: string;
      expires_in: number;
    };
    expect(issued).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const list = () => fetch(`${base}/tasks`, { headers: { Authorization: `Bearer ${issued.access_token}` } });
    expect((await list()).status).toBe(200);
    now = new Date(now.getTime() + 3_601_000);
    expect((await list()).status).toBe(401);
  } finally {
    await standalone.close();
  }
});

test("operations on one path told apart by the query (`/#Action=…`) are routed by it", async () => {
  const action = (name: string) => ({
    operationId: name,
    method: "get" as const,
    path: `/#Action=${name}`,
    security: [],
    successStatus: 200,
    parameters: [{ name: "Action", in: "query", required: true, schema: { type: "string", enum: [name] } }],
    responses: { "200": { type: "object", required: ["action"], properties: { action: { const: name } } } },
  });
  const query: MockApiSpec = {
    ...TASKS,
    name: "query-api",
    operations: [action("ListThings"), action("DescribeThing")],
  };
  const standalone = await startMockServer({ specs: [query], keys: [KEY], port: 0 });
  try {
    for (const name of ["DescribeThing", "ListThings"]) {
      const answer = await fetch(`${standalone.url}/query-api/v1/?Action=${name}`);
      expect([answer.status, await answer.json()]).toEqual([200, { action: name }]);
    }
  } finally {
    await standalone.close();
  }
});

test("fixtures seed a described API's resources, again on every reset; an unknown resource is named", async () => {
  const seeded = new Mock({
    specs: [TASKS],
    keys: [KEY],
    fixtures: { tasks: { tasks: [{ id: "t-7", title: "Seeded" }, { title: "No id yet" }] } },
  });
  const standalone = await startMockServer({ mock: seeded, port: 0 });
  try {
    const list = async () => (await fetch(`${standalone.url}/tasks/v1/tasks`, { headers })).json();
    expect(await list()).toEqual([
      { id: "t-7", title: "Seeded" },
      { id: "task_1", title: "No id yet" },
    ]);
    await fetch(`${standalone.url}/tasks/v1/tasks`, { method: "POST", headers, body: JSON.stringify({ title: "x" }) });
    seeded.reset();
    expect(await list()).toHaveLength(2);
  } finally {
    await standalone.close();
  }
  expect(() => new Mock({ specs: [TASKS], fixtures: { tasks: { notes: [] } } })).toThrow(
    "fixtures.tasks.notes: expected a list for one of tasks",
  );
});

test("a description named like one of the four, or twice, is refused", () => {
  expect(() => new Mock({ apis: ["erathos"], specs: [{ ...TASKS, name: "erathos" }] })).toThrow(
    /two APIs named "erathos"/,
  );
  expect(() => new Mock({ specs: [TASKS, TASKS] })).toThrow(/two APIs named "tasks"/);
});
