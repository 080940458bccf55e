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
} from "@keysmith/mock-server";
import { setupServer } from "msw/node";
import { epochExample } from "./epoch.js";
import { epsilon3Example } from "./epsilon3.js";
import { erathosExample } from "./erathos.js";
import { getKeyManagerExample } from "./getkeymanager.js";
import { isMain, type Log } from "./log.js";

/** The environment an application would have, pointing at the mock's demo credentials. */
export const tourEnvironment = {
  EPSILON3_API_KEY: demoKeys.epsilon3.workspace,
  EPOCH_API_TOKEN: demoKeys.epoch.token,
  EPOCH_SUBDOMAIN: "demo",
  GETKEYMANAGER_API_KEY: demoKeys.getkeymanager.production,
  GETKEYMANAGER_ENVIRONMENT: "production",
  // the mock signs with a demo key pair: verify its answers as an application would the real API's
  GETKEYMANAGER_PUBLIC_KEY: getKeyManagerDemoPublicKey,
  ERATHOS_API_KEY: demoKeys.erathos.key,
  ERATHOS_WORKSPACE_ID: demoErathosWorkspaceId,
};

export async function tour(log: Log = console.log): Promise<void> {
  const mock = new Mock();
  const server = setupServer(...createHandlers(mock));
  server.listen({ onUnhandledRequest: "error" });
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
    log(
      "\nEvery call above went through @keysmith/sdk to the in-process mock. Next: `npm run mock` serves the same over HTTP.",
    );
  } finally {
    server.close();
    for (const name of Object.keys(tourEnvironment)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

if (isMain(import.meta.url)) await tour();
