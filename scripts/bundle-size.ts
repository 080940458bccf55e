import { relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export interface BundleSize {
  /** Minified bytes. */
  readonly minified: number;
  /** Minified, then gzip -9. */
  readonly gzip: number;
  /** What loads later, through dynamic `import()` (each chunk minified and gzipped, summed). */
  readonly lazyGzip: number;
  /** The minified code that loads first, to check what it carries. */
  readonly text: string;
  /** The minified code that loads later. */
  readonly lazyText: string;
  /** Each chunk that loads later, on its own: its size and code. */
  readonly lazyChunks: readonly { readonly gzip: number; readonly text: string }[];
}

/**
 * What a browser app pays for `source`: bundled for the browser with esbuild, minified, tree-shaken, then
 * gzipped at level 9. `resolveDir` is where its imports resolve from.
 */
export async function bundleSize(
  source: string,
  resolveDir: string,
  alias: Record<string, string> = {},
): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    splitting: true,
    outdir: "/bundle",
    entryNames: "entry",
    alias,
    logLevel: "silent",
    metafile: true,
    absWorkingDir: resolveDir,
  });
  // what loads first: the entry and the chunks it imports statically, transitively; the rest is lazy. The
  // metafile names files relative to `absWorkingDir`, the output files by absolute path.
  const outputs = result.metafile.outputs;
  const eager = new Set<string>();
  const visit = (path: string) => {
    if (eager.has(resolve(resolveDir, path))) return;
    eager.add(resolve(resolveDir, path));
    for (const imported of outputs[path]?.imports ?? []) if (imported.kind === "import-statement") visit(imported.path);
  };
  visit(relative(resolveDir, "/bundle/entry.js"));
  const files = result.outputFiles.filter((file) => file.path.endsWith(".js"));
  const first = files.filter((file) => eager.has(file.path));
  const later = files.filter((file) => !eager.has(file.path));
  if (first.length === 0) throw new Error("esbuild produced no output");
  const join = (parts: typeof files) => Buffer.concat(parts.map((file) => file.contents));
  const gzip = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).byteLength;
  return {
    minified: join(first).byteLength,
    gzip: gzip(join(first)),
    lazyGzip: later.reduce((sum, chunk) => sum + gzip(chunk.contents), 0),
    text: first.map((file) => file.text).join("\n"),
    lazyText: later.map((chunk) => chunk.text).join("\n"),
    lazyChunks: later.map((chunk) => ({ gzip: gzip(chunk.contents), text: chunk.text })),
  };
}

/** The bundles Keysmith keeps under budget, with the peer they are compared with. */
export const BUNDLES = {
  oneApi: {
    label: "one API's REST client (`import { Erathos }`)",
    source: `import { Erathos } from "@keysmith/sdk";\nconsole.log(new Erathos());`,
  },
  everything: {
    label: "all four clients (`import * as sdk`)",
    source: `import * as sdk from "@keysmith/sdk";\nconsole.log(sdk);`,
  },
  realtime: {
    label: "Epsilon3 with realtime (`epsilon3.realtime.notifications()`)",
    source: `import { Epsilon3 } from "@keysmith/sdk";\nfor await (const n of new Epsilon3().realtime.notifications()) console.log(n);`,
  },
  peer: {
    label: "openapi-fetch + ky alone",
    source: `import createClient from "openapi-fetch";\nimport ky from "ky";\nconsole.log(createClient, ky);`,
  },
} as const;

/** The goal for one API's REST client (issue 3): under 10 kB gzipped. */
export const GOALS = { oneApiGzip: 10_000 } as const;

/**
 * Budgets enforced by `npm test` (sizes are deterministic; times are not). Where the goal is met the budget
 * is the goal; where it is not (one API's client), the budget is a ratchet just above today's size, so it
 * cannot grow unnoticed. BENCHMARKS.md reports both. History: 14.8 kB, raised for issue 10 (result codes,
 * key formats, provenance: about 240 bytes), issue 11 (security per operation, cookie parameters, answers by
 * media type: about 1.4 kB) and issue 12 (every wait bounded, bodies read within the attempt, streamed
 * answers, the SDK's own redirect policy, redaction of encoded echoes: 2.9 kB) to 19.3 kB. Those figures left
 * out the shared chunks the entry imports (`bundleSize` compared the metafile's relative paths with the
 * output files' absolute ones): counted, the client with issue 15's pages was 21.35 kB, not 19.95. Issue 15
 * then moved out of the first load what only some calls need, each loaded by a dynamic `import()` on first
 * use: the retries with ky (ky alone is 5.0 kB), the hooks' runner, the redirect policy and streamed answers:
 * 16.97 kB. Then typed calls stopped going through openapi-fetch (they build their requests from the operation
 * table; `fetchClient` loads openapi-fetch on its first call) and the walk over a list's pages loads on the first
 * iteration: 15.34 kB. Settling answers by prototype and reading their text at once (per-call speed, 0.84× ->
 * 0.95× bare openapi-fetch) added about 0.1 kB: 15.45 kB. Then the realtime errors left REST-only bundles
 * (esbuild's shared chunks, see realtime-error-classes.ts), and servers to choose, key rules and key
 * introspection became capabilities of the APIs that have them: 14.75 kB. (Loading what types an error answer
 * with the first one saved 0.19 kB more, but an answer that arrived then waited on a chunk, under a timer: under
 * fake timers, or past a deadline, a 404 became a TimeoutError. It stays in the first load.)
 * What remains is the core every call runs (credentials and their checks, security, transport with its bounded
 * waits, errors, the operation table).
 */
export const BUDGETS = { oneApiGzip: 14_800 } as const;
