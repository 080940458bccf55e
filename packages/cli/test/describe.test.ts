/**
 * `@keysmith/cli/describe`: a description of one's own, read in-process and served by the mock's MSW handlers
 * on the description's own server URL, as a test suite would use it.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHandlers, Mock } from "@keysmith/mock-server";
import { setupServer } from "msw/node";
import { afterAll, expect, test } from "vitest";
import { loadMockSpec } from "../src/describe.js";
import { PROJECTS_SPEC } from "./support/projects-spec.js";

const KEY = "describe-test-key-1";
let project: string | undefined;
afterAll(() => (project ? rm(project, { recursive: true, force: true }) : undefined));

test("loadMockSpec + new Mock({ specs }) + createHandlers: the API on its own URL under MSW", async () => {
  project = await mkdtemp(join(tmpdir(), "keysmith-describe-"));
  await writeFile(join(project, "projects.yaml"), PROJECTS_SPEC);
  const { spec, warnings } = await loadMockSpec("projects.yaml", { cwd: project });
  expect([spec.name, warnings]).toEqual(["projects", []]);

  const mock = new Mock({ specs: [spec], keys: [KEY] });
  const server = setupServer(...createHandlers(mock));
  server.listen({ onUnhandledRequest: "error" });
  try {
    const headers = { "X-Projects-Key": KEY, "Content-Type": "application/json" };
    const created = await fetch("https://projects.example.test/api/tasks", {
      method: "POST",
      headers,
      body: JSON.stringify({ title: "From MSW" }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 1, title: "From MSW", done: false });
    expect((await fetch("https://projects.example.test/api/tasks/1", { headers })).status).toBe(200);
    expect((await fetch("https://projects.example.test/api/tasks/1")).status).toBe(401);
  } finally {
    server.close();
  }
});

test("a description that is not one is refused naming its file", async () => {
  await expect(loadMockSpec("missing.yaml", { cwd: tmpdir() })).rejects.toThrow(
    /missing\.yaml at #: cannot read the file \(ENOENT\)/,
  );
});
