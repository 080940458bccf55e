import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { demoKeys } from "../../packages/mock-server/src/index.js";
import { benchResolve, binOf } from "./peers.js";
import { compareRows, type Row } from "./report.js";
import { interleave, type Settings, summarize } from "./stats.js";

const DURATION_S = 5;
const CONNECTIONS = 10;

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
}) => Promise<{
  requests: { average: number };
  non2xx: number;
  errors: number;
}>;

/** Starts a server process and resolves with its base URL once it says it listens. */
export async function startServer(
  command: string,
  args: string[],
  cwd: string,
  ready: RegExp,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")} did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const found = ready.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited ${code}:\n${output}`)));
  });
  return { url, child };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Mock throughput: requests per second for Epsilon3's dictionary list, with auth checked on every request,
 * from autocannon on loopback, against our standalone mock (`npm run mock`), Stoplight Prism's `mock` on the
 * same spec, our MSW handlers behind @mswjs/http-middleware, and a plain node:http server.
 */
export async function benchMockThroughput(settings: Settings): Promise<Row[]> {
  const autocannon = (await import(benchResolve("autocannon"))).default as Autocannon;
  const key = demoKeys.epsilon3.workspace;
  const headers = { Authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}` };
  const node = process.execPath;
  const prismPort = await freePort();
  const servers = {
    ours: await startServer(
      node,
      ["--import", "tsx", "packages/mock-server/src/cli.ts", "--port", "0", "--unlimited", "--quiet"],
      settings.root,
      /on (http:\/\/\S+)/,
    ),
    prism: await startServer(
      node,
      [
        binOf("@stoplight/prism-cli", "prism"),
        "mock",
        "specs/epsilon3.openapi.yaml",
        "-h",
        "127.0.0.1",
        "-p",
        String(prismPort),
      ],
      settings.root,
      /Prism is listening on (http:\/\/\S+)/,
    ),
    msw: await startServer(
      node,
      ["--import", "tsx", join(import.meta.dirname, "fixtures-msw-middleware-server.ts")],
      settings.root,
      /(http:\/\/\S+)/,
    ),
    plain: await startServer(
      node,
      [join(import.meta.dirname, "fixtures-plain-server.mjs"), key],
      settings.root,
      /(http:\/\/\S+)/,
    ),
    // the mock of any description (issue 14), on the same spec Prism reads
    generic: await startServer(
      node,
      [
        "--import",
        "tsx",
        "packages/cli/src/bin.ts",
        "mock",
        "--spec",
        "specs/epsilon3.openapi.yaml",
        "--key",
        key,
        "--port",
        "0",
        "--unlimited",
        "--quiet",
      ],
      settings.root,
      /on (http:\/\/\S+)/,
    ),
  };
  const paths = {
    ours: "/epsilon3/v1/dictionaries",
    prism: "/v1/dictionaries",
    msw: "/v1/dictionaries",
    plain: "/v1/dictionaries",
    generic: "/epsilon3/v1/dictionaries",
  };
  const failures: string[] = [];
  const load = (name: keyof typeof servers) => async () => {
    const result = await autocannon({
      url: servers[name].url + paths[name],
      connections: CONNECTIONS,
      duration: DURATION_S,
      headers,
    });
    if (result.non2xx > 0 || result.errors > 0)
      failures.push(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return result.requests.average;
  };
  try {
    settings.log(`mock throughput: ${DURATION_S} s per run, ${CONNECTIONS} connections…`);
    const samples = await interleave(
      settings,
      { ours: load("ours"), prism: load("prism"), msw: load("msw"), plain: load("plain"), generic: load("generic") },
      Math.min(settings.runs, 3),
    );
    const note = failures.length > 0 ? `failed requests: ${[...new Set(failures)].join("; ")}` : undefined;
    const generic = compareRows(
      "Mock throughput of any description",
      "requests per second of `keysmith mock --spec specs/epsilon3.openapi.yaml` (resources inferred, auth checked on every request)",
      summarize(samples.generic, "req/s"),
      "req/s",
      [
        {
          name: "Stoplight Prism 5.14 `mock`, same spec",
          samples: samples.prism,
          goal: "≥ 4× (issue 14)",
          isMet: (r) => r >= 4,
        },
        { name: "plain node:http", samples: samples.plain, goal: "≥ 0.5× (issue 14)", isMet: (r) => r >= 0.5 },
      ],
    );
    const four = compareRows(
      "Mock throughput",
      "requests per second, auth checked on every request",
      summarize(samples.ours, "req/s"),
      "req/s",
      [
        {
          name: "Stoplight Prism 5.14 `mock`",
          samples: samples.prism,
          goal: "≥ 4× (issue 5)",
          isMet: (r) => r >= 4,
          ...(note ? { note } : {}),
        },
        { name: "MSW via @mswjs/http-middleware", samples: samples.msw, goal: "≥ 8× (issue 5)", isMet: (r) => r >= 8 },
        { name: "plain node:http", samples: samples.plain, goal: "info" },
      ],
    );
    return [...four, ...generic];
  } finally {
    for (const server of Object.values(servers)) server.child.kill();
  }
}
