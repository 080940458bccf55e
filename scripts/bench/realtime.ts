import { demoKeys } from "../../packages/mock-server/src/index.js";
import { startServer } from "./mock-throughput.js";
import { compareRows, type Row } from "./report.js";
import { interleave, type Settings, summarize } from "./stats.js";

const BURST = 20_000;
const LATENCY_SAMPLES = 100;
const ADMIN_KEY = "bench-admin-key";
const NAMESPACE = "/v1/notifications/realtime";

/** A client under test: connects, counts notifications (acknowledging each), disconnects. */
interface Contender {
  connect(): Promise<void>;
  /** Resolves when `count` more notifications have arrived. */
  next(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Realtime: notifications per second and latency on our mock's Socket.IO server (`npm run mock`), through
 * the SDK (`epsilon3.realtime.notifications()`: validated, de-duplicated, buffered, acknowledged as taken)
 * and through a bare socket.io-client that acknowledges each at once. Both use the websocket transport.
 */
export async function benchRealtime(settings: Settings): Promise<Row[]> {
  const key = demoKeys.epsilon3.workspace;
  const mock = await startServer(
    process.execPath,
    [
      "--import",
      "tsx",
      "packages/mock-server/src/cli.ts",
      "--port",
      "0",
      "--unlimited",
      "--quiet",
      "--admin-key",
      ADMIN_KEY,
    ],
    settings.root,
    /on (http:\/\/\S+)/,
  );
  const admin = async (path: string, body?: unknown) => {
    const response = await fetch(`${mock.url}/__keysmith/${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify(body ?? {}),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };

  // computed specifiers: type-checking must not need dist/, which `npm test` builds after it
  const distEntry = "../../packages/sdk/dist/index.js";
  const { Epsilon3 } = (await import(distEntry)) as typeof import("../../packages/sdk/src/index.js");
  const { io } = (await import("socket.io-client")) as typeof import("socket.io-client");

  const counter = () => {
    let received = 0;
    let waiter: { target: number; resolve(): void } | undefined;
    return {
      arrived() {
        received += 1;
        if (waiter && received >= waiter.target) {
          const { resolve } = waiter;
          waiter = undefined;
          resolve();
        }
      },
      next(count: number) {
        return new Promise<void>((resolve) => {
          waiter = { target: received + count, resolve };
        });
      },
    };
  };

  const sdk = (): Contender => {
    const count = counter();
    const epsilon3 = new Epsilon3({ apiKey: key, baseUrl: `${mock.url}/epsilon3`, logLevel: "off" });
    let loop: Promise<void> | undefined;
    return {
      async connect() {
        const first = count.next(1);
        loop = (async () => {
          for await (const _ of epsilon3.realtime.notifications()) count.arrived();
        })();
        // connected once a notification gets through
        await admin("realtime/notifications", {});
        await first;
      },
      next: (n) => count.next(n),
      async close() {
        await epsilon3.realtime.close();
        await loop;
      },
    };
  };

  const bare = (): Contender => {
    const count = counter();
    const socket = io(`${mock.url}${NAMESPACE}`, {
      path: "/epsilon3/socket.io",
      transports: ["websocket"],
      auth: { key },
      autoConnect: false,
    });
    socket.on("notification", (_notification: unknown, ack: (answer: unknown) => void) => {
      ack({ received: true });
      count.arrived();
    });
    return {
      async connect() {
        const first = count.next(1);
        socket.connect();
        await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
        await admin("realtime/notifications", {});
        await first;
      },
      next: (n) => count.next(n),
      async close() {
        socket.close();
      },
    };
  };

  const throughput = (make: () => Contender) => async () => {
    await admin("reset");
    const client = make();
    await client.connect();
    const arrived = client.next(BURST);
    const started = performance.now();
    await admin("realtime/notifications", { count: BURST });
    await arrived;
    const seconds = (performance.now() - started) / 1000;
    await client.close();
    return BURST / seconds;
  };

  const latency = (make: () => Contender) => async () => {
    await admin("reset");
    const client = make();
    await client.connect();
    const samples: number[] = [];
    for (let n = 0; n < LATENCY_SAMPLES; n++) {
      const arrived = client.next(1);
      const started = performance.now();
      await admin("realtime/notifications", {});
      await arrived;
      samples.push(performance.now() - started);
    }
    await client.close();
    return summarize(samples, "ms").median;
  };

  try {
    settings.log(
      `realtime: ${BURST.toLocaleString("en-US")} notifications per run, then ${LATENCY_SAMPLES} one by one…`,
    );
    const rates = await interleave(settings, { ours: throughput(sdk), bare: throughput(bare) });
    const delays = await interleave(settings, { ours: latency(sdk), bare: latency(bare) });
    return [
      ...compareRows(
        "Realtime",
        "notifications per second through the SDK (validated, de-duplicated, acknowledged)",
        summarize(rates.ours, "/s"),
        "/s",
        [{ name: "bare socket.io-client", samples: rates.bare, goal: "≥ 0.8× (issue 6)", isMet: (r) => r >= 0.8 }],
      ),
      ...compareRows(
        "Realtime",
        "latency of one notification (admin request → consumer), median",
        summarize(delays.ours, "ms"),
        "ms",
        [{ name: "bare socket.io-client", samples: delays.bare, goal: "info" }],
      ),
    ];
  } finally {
    mock.child.kill();
  }
}
