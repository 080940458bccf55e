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
  });
  // what loads first: the entry and the chunks it imports statically, transitively; the rest is lazy
  const outputs = result.metafile.outputs;
  const eager = new Set<string>();
  const visit = (path: string) => {
    if (eager.has(path)) return;
    eager.add(path);
    for (const imported of outputs[path]?.imports ?? []) if (imported.kind === "import-statement") visit(imported.path);
  };
  visit("/bundle/entry.js");
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
 * is the goal; where it is not (one API's client: 16.3 kB, of which ky and openapi-fetch are 7.3 kB and the
 * credential checks, expiry, retries, logging and redaction most of the rest), the budget is a ratchet just
 * above today's size, so it cannot grow unnoticed. BENCHMARKS.md reports both. (Raised from 14.8 kB for
 * issue 10: result codes mapped to error classes, key formats that are only enforced when documented, and
 * each operation's provenance in its table cost about 240 bytes; issue 11's security per operation (every
 * alternative and combination, cookies, relative servers), cookie parameters and answers by media type about
 * 1.4 kB, with Basic pairs, per-scheme credentials, OAuth2 tokens, query styles and non-JSON body encoders kept
 * out as capabilities only the clients that need them load. Raised again for issue 12, by 2.9 kB: every wait
 * bounded by the call's scope, bodies read within the attempt up to `maxResponseBytes`, streamed answers with
 * an idle timeout, the SDK's own redirect policy, redaction of encoded and truncated echoes, and three error
 * classes. Issue 15 loads ky lazily, which is where the way back under 10 kB starts.)
 */
export const BUDGETS = { oneApiGzip: 19_300 } as const;
