/**
 * Epsilon3 realtime: the system side of an Epsilon3 integration. It streams telemetry when a run asks for it,
 * executes commands, answers external-data searches, and follows notifications, all over Socket.IO with the
 * same key as the REST calls (a team key).
 *
 *   EPSILON3_API_KEY=… npx tsx examples/epsilon3-realtime.ts                       (against the real API)
 *   EPSILON3_API_URL=http://127.0.0.1:4010/epsilon3 EPSILON3_API_KEY=… npx tsx …   (against `npm run mock`)
 *
 * Stop it with Ctrl-C.
 */
import { Epsilon3, type RealtimeHandle } from "@keysmith/sdk";
import { isMain, type Log } from "./log.js";

/** A make-believe spacecraft: what the handlers below read and drive. */
const spacecraft = {
  mode: "NOMINAL",
  voltage: 28.4,
  parts: [
    { id: "vlv-101", name: "valve-101", label: "Oxidizer valve", details: [{ name: "pressure_kpa", value: 310 }] },
    { id: "vlv-102", name: "valve-102", label: "Fuel valve", details: [{ name: "pressure_kpa", value: 295 }] },
    { id: "pmp-201", name: "pump-201", label: "Coolant pump", details: [{ name: "rpm", value: 4200 }] },
  ],
};

/** Starts the four realtime parts of the integration; close the returned handles to stop. */
export function startRealtimeIntegration(
  epsilon3: Epsilon3,
  log: Log,
): { handles: RealtimeHandle[]; notifications: Promise<void> } {
  epsilon3.realtime.onError((error) => log(`Epsilon3 realtime: ${error.name}: ${error.message}`));

  const telemetry = epsilon3.realtime.provideTelemetry((stream) => {
    spacecraft.voltage = Math.round((spacecraft.voltage + (Math.random() - 0.5) / 10) * 100) / 100;
    return stream.name === "battery_voltage" ? { value: spacecraft.voltage, name: stream.name } : undefined;
  });

  const commands = epsilon3.realtime.handleCommands(async (command) => {
    if (command.name !== "set_mode") return { success: false, message: `unknown command ${command.name}` };
    const mode = String(command.arguments?.mode ?? "");
    if (!["SAFE", "NOMINAL", "SCIENCE"].includes(mode)) return { success: false, message: `no mode ${mode}` };
    spacecraft.mode = mode;
    return { success: true, message: `mode is ${mode}`, results: { mode } };
  });

  const search = epsilon3.realtime.handleSearch(({ term }) =>
    spacecraft.parts.filter(
      (part) => part.name.includes(term) || part.label.toLowerCase().includes(term.toLowerCase()),
    ),
  );

  const notifications = (async () => {
    for await (const notification of epsilon3.realtime.notifications()) {
      log(`Epsilon3 realtime: notification ${notification.subtype}: ${notification.data.message ?? ""}`);
    }
  })();
  return { handles: [telemetry, commands, search], notifications };
}

if (isMain(import.meta.url)) {
  const epsilon3 = new Epsilon3(); // EPSILON3_API_KEY, and EPSILON3_API_URL if set
  const { handles, notifications } = startRealtimeIntegration(epsilon3, console.log);
  await Promise.all(handles.map((handle) => handle.ready));
  console.log("Epsilon3 realtime: connected; waiting for Epsilon3 (Ctrl-C to stop)");
  process.once("SIGINT", () => void epsilon3.realtime.close());
  await notifications;
}
