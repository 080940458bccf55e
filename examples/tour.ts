/**
 * `npm start`: a tour of the four APIs through @keysmith/sdk, against the mock running in this process.
 * No network and no key of yours: MSW answers the APIs' real URLs with the mock's demo keys.
 */
import {
  createHandlers,
  demoErathosWorkspaceId,
  demoKeys,
  getKeyManagerDemoPublicKey,
  Mock,
  startMockServer,
} from "@keysmith/mock-server";
import { Epsilon3 } from "@keysmith/sdk";
import { setupServer } from "msw/node";
import { epochExample } from "./epoch.js";
import { epsilon3Example } from "./epsilon3.js";
import { startRealtimeIntegration } from "./epsilon3-realtime.js";
import { erathosExample } from "./erathos.js";
import { getKeyManagerExample } from "./getkeymanager.js";
import { isMain, type Log } from "./log.js";

/** The environment an application would have, pointing at the mock's demo credentials. */
export const tourEnvironment = {
  EPSILON3_API_KEY: demoKeys.epsilon3.workspace,
  EPOCH_API_TOKEN: demoKeys.epoch.token,
  EPOCH_SUBDOMAIN: "demo",
  GETKEYMANAGER_API_KEY: demoKeys.getkeymanager.production,
  // the mock signs with a demo key pair: verify its answers as an application would the real API's
  GETKEYMANAGER_PUBLIC_KEY: getKeyManagerDemoPublicKey,
  ERATHOS_API_KEY: demoKeys.erathos.key,
  ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId,
};

export async function tour(log: Log = console.log): Promise<void> {
  const mock = new Mock();
  const server = setupServer(...createHandlers(mock));
  server.listen({
    // the realtime step's Socket.IO handshake goes to a real server on loopback, past MSW
    onUnhandledRequest: (request, print) => {
      if (!new URL(request.url).pathname.endsWith("/socket.io/")) print.error();
    },
  });
  const saved = { ...process.env };
  Object.assign(process.env, tourEnvironment);
  try {
    for (const [name, example] of [
      ["Epsilon3", epsilon3Example],
      ["Epoch", epochExample],
      ["GetKeyManager", getKeyManagerExample],
      ["Erathos", erathosExample],
    ] as const) {
      log(`\n── ${name} ──`);
      await example(log);
    }
    log("\n── Epsilon3 realtime (Socket.IO) ──");
    await realtimeStep(mock, log);
    log(
      "\nEvery call above went through @keysmith/sdk to the in-process mock (Socket.IO on loopback). Next: `npm run mock` serves the same over HTTP.",
    );
  } finally {
    server.close();
    for (const name of Object.keys(tourEnvironment)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

/**
 * The realtime step: the integration of examples/epsilon3-realtime.ts connects to the mock's Socket.IO server
 * (on loopback, sharing the mock's state), and the mock plays Epsilon3: a run starts over REST, then it asks
 * for telemetry, sends a command and searches.
 */
async function realtimeStep(mock: Mock, log: Log): Promise<void> {
  const server = await startMockServer({ port: 0, mock, log: () => {} });
  if (!server.realtime) throw new Error("the mock serves no realtime API");
  const epsilon3 = new Epsilon3({ realtime: server.realtime });
  try {
    const waiting = mock.realtime.pendingNotifications().length;
    log(
      `Epsilon3 realtime: ${waiting} notification(s) from the runs above are waiting, kept until a client acknowledges them`,
    );
    const { handles, notifications } = startRealtimeIntegration(epsilon3, log);
    await Promise.all(handles.map((handle) => handle.ready));
    const realtime = mock.realtime;
    await until(() => realtime.connections().notifications === 1);
    const { data: procedures } = await epsilon3.procedures.list();
    const { run_id } = await epsilon3.runs.start({ procedure_id: procedures[0]?._id ?? "" });
    await until(() => realtime.pendingNotifications().length === 0);

    await realtime.startStream({ stream_id: "volts", name: "battery_voltage", refresh_rate: 0.25 });
    await until(() => (realtime.telemetry("volts")?.updates.length ?? 0) >= 3);
    const values = realtime.telemetry("volts")?.updates.map((update) => update.value);
    log(`Epsilon3 realtime: streamed battery_voltage ${values?.slice(0, 3).join(", ")} V`);
    realtime.endStreams(["volts"]);

    const { ack } = await realtime.sendCommand({ name: "set_mode", arguments: { mode: "SAFE" } });
    log(`Epsilon3 realtime: command set_mode → success=${ack.success} (${ack.message})`);
    const found = await realtime.search({ type: "part", term: "valve" });
    log(`Epsilon3 realtime: search "valve" → ${(found.items as { id: string }[]).map((item) => item.id).join(", ")}`);

    await epsilon3.runs.end({ runId: run_id });
    await until(() => realtime.pendingNotifications().length === 0);
    await epsilon3.realtime.close();
    await notifications;
  } finally {
    await epsilon3.realtime.close();
    await server.close();
  }
}

/** Waits (briefly) for the mock to see what the integration did. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error("the realtime step timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

if (isMain(import.meta.url)) await tour();
