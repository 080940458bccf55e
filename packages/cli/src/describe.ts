/**
 * `@keysmith/cli/describe`: a description file read for the mock in-process, for test suites that serve an API
 * of their own through MSW or the standalone server:
 *
 * @example
 * const { spec } = await loadMockSpec("openapi/tasks.yaml");
 * const mock = new Mock({ specs: [spec], keys: ["test-key"] });
 * const server = setupServer(...createHandlers(mock));
 */
import { resolve } from "node:path";
import type { MockRealtimeSpec } from "@keysmith/mock-server";
import { type LoadedMockSpec, loadMockSpec as load, loadMockRealtimeSpec as loadRealtime } from "./mock-spec.js";

export type { LoadedMockSpec } from "./mock-spec.js";

export interface LoadMockSpecOptions {
  /** The API's name (its first path segment on the standalone server); default: from the file's name. */
  readonly name?: string;
  /** The folder `file` is read from, and shown relative to in messages (default: the working directory). */
  readonly cwd?: string;
}

/**
 * Reads an OpenAPI description (YAML or JSON; Swagger 2.0 converted, split files bundled) as `keysmith mock
 * --spec` does. Throws an error naming the file, line and JSON pointer of every problem.
 */
export function loadMockSpec(file: string, options: LoadMockSpecOptions = {}): Promise<LoadedMockSpec> {
  const cwd = options.cwd ?? process.cwd();
  return load(resolve(cwd, file), cwd, options.name);
}

/**
 * Reads an AsyncAPI 3 description of an API's Socket.IO side for `realtimeSpecs` (namespaces, events, their
 * schemas and acknowledgements), as `keysmith mock --asyncapi` does.
 */
export function loadMockRealtimeSpec(
  file: string,
  options: Pick<LoadMockSpecOptions, "cwd"> = {},
): Promise<MockRealtimeSpec> {
  const cwd = options.cwd ?? process.cwd();
  return loadRealtime(resolve(cwd, file), cwd);
}
