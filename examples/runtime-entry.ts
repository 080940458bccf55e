/**
 * The four examples and a realtime notification as one script, for `npm run test:runtimes`: bundled once,
 * then run by each runtime (Node 20, 22, 24, Bun, Deno) against the standalone mock, whose base URLs and
 * demo keys arrive in the environment.
 */
import { Epsilon3 } from "@keysmith/sdk";
import { epochExample } from "./epoch.js";
import { epsilon3Example } from "./epsilon3.js";
import { erathosExample } from "./erathos.js";
import { getKeyManagerExample } from "./getkeymanager.js";

const globals = globalThis as { Bun?: { version: string }; Deno?: { version: { deno: string } } };
const runtime = globals.Bun
  ? `bun ${globals.Bun.version}`
  : globals.Deno
    ? `deno ${globals.Deno.version.deno}`
    : `node ${process.version}`;

export async function runEverywhere(): Promise<void> {
  for (const example of [epsilon3Example, epochExample, getKeyManagerExample, erathosExample]) {
    await example((line) => console.log(line));
  }
  // realtime: a notification over Socket.IO after a REST run start
  const epsilon3 = new Epsilon3();
  const notifications = epsilon3.realtime.notifications()[Symbol.asyncIterator]();
  const next = notifications.next();
  const procedures = await epsilon3.procedures.list();
  await epsilon3.runs.start({ procedure_id: procedures.data[0]?._id ?? "" });
  const first = await next;
  console.log(`realtime: ${String((first.value as { subtype?: unknown } | undefined)?.subtype)}`);
  await epsilon3.realtime.close();
  console.log(`OK ${runtime}`);
}
