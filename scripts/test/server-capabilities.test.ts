/**
 * The generator and the runtime agree on which clients need a capability: a description's servers that need
 * choosing (environments, variables, URLs that are not absolute), keys with rules, key introspection. The
 * generator decides from its model (emit-sdk.ts), `KeysmithClient` from the definition it is given
 * (`checkCapabilities`); a generated client the runtime refused would be unusable. Each shape below is generated,
 * its client built from its own `client.ts`, and no capability may be missing.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runGenerator } from "../support/run-generator.js";
import { generatedClientClass } from "./support/generated-client.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const scratch = join(root, ".tmp", "server-capabilities-test");

/** Shape name → the description's root fields besides `paths` (YAML flow style). */
const SHAPES = {
  plain: 'servers: [{ url: "https://api.example.com/v1" }]',
  "upper-case scheme": 'servers: [{ url: "HTTPS://API.EXAMPLE.COM/v1" }]',
  "empty variables": 'servers: [{ url: "https://api.example.com/v1", variables: {} }]',
  "a variable": 'servers: [{ url: "https://{tenant}.example.com/v1", variables: { tenant: { default: acme } } }]',
  "a templated scheme": 'servers: [{ url: "{scheme}://api.example.com", variables: { scheme: { default: https } } }]',
  "scheme-less": 'servers: [{ url: "//api.example.com/v1" }]',
  relative: 'servers: [{ url: "/v1" }]',
  "no servers": "servers: []",
  environments: [
    "servers:",
    '  - { url: "https://api.example.com", x-keysmith-environment: production, x-keysmith-key-prefix: live_ }',
    '  - { url: "https://sandbox.example.com", x-keysmith-environment: sandbox, x-keysmith-key-prefix: test_ }',
  ].join("\n"),
  "a key format": [
    'servers: [{ url: "https://api.example.com" }]',
    "x-keysmith-key-format: { pattern: '^live_', description: live keys }",
  ].join("\n"),
  introspection: [
    'servers: [{ url: "https://api.example.com" }]',
    "x-keysmith-introspection: { operationId: ping, permissions: /permissions }",
  ].join("\n"),
} as const;

const nameOf = (shape: string) => shape.replace(/[^a-z]+/g, "-");

beforeAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  for (const [shape, root] of Object.entries(SHAPES)) {
    const spec = join(scratch, `${nameOf(shape)}.yaml`);
    const text = [
      "openapi: 3.1.0",
      `info: { title: ${nameOf(shape)}, version: "1" }`,
      root,
      "components: { securitySchemes: { key: { type: apiKey, in: header, name: X-Key } } }",
      "security: [{ key: [] }]",
      "paths:",
      "  /ping:",
      "    get: { operationId: ping, responses: { '200': { description: ok } } }",
    ].join("\n");
    await mkdir(scratch, { recursive: true });
    await writeFile(spec, text);
    const lines: string[] = [];
    const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
    const code = await runGenerator(
      ["--spec", spec, "--name", nameOf(shape), "--out", join(scratch, nameOf(shape))],
      out,
    );
    expect(code, `${shape}:\n${lines.join("\n")}`).toBe(0);
  }
}, 120_000);
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

test.each(Object.keys(SHAPES))("%s: the generated client has every capability its description needs", async (shape) => {
  const Client = await generatedClientClass<{ baseUrl: string }>(join(scratch, nameOf(shape)), shape);
  // a base URL, for the shapes that cannot do without one (relative, none); a key every shape accepts
  const build = () => new Client({ apiKey: "live_0123456789", baseUrl: "https://api.example.com/v1", env: {} });
  expect(build).not.toThrow();
  expect(build().baseUrl).toMatch(/^https:\/\/api\.example\.com/);
});
