import type { ApiDefinition, OperationDefinition } from "./api-definition.js";
import type { CallHooks, ClientHooks } from "./call-hooks.js";
import type { CallScope } from "./call-scope.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";
import type { Hooks } from "./hooks.js";
import type { SdkLogger } from "./logger.js";

/** Gives a call its hooks: nothing at all when neither the client nor the call has any. */
export type HookRunner = (
  scope: CallScope,
  op: OperationDefinition | undefined,
  own: Hooks | undefined,
  method: string,
  url: string,
) => Promise<CallHooks> | undefined;

/**
 * A client's hooks, checked now; the code that runs them (`call-hooks`) is loaded by the first call that has
 * any (a dynamic import, bounded like every wait of the call), so that clients without hooks never load it.
 */
export function hookRunner(
  api: ApiDefinition,
  hooks: Hooks | undefined,
  timeout: number,
  logger: SdkLogger,
): HookRunner {
  checkHooks(api.name, "hooks", hooks);
  let client: ClientHooks | undefined;
  return (scope, op, own, method, url) => {
    if (!hooks && !own) return undefined;
    checkHooks(api.name, "the call's hooks", own);
    if (!client && loaded) client = new loaded.ClientHooks(api, hooks, timeout, logger);
    if (client) return Promise.resolve(client.forCall(scope, op, own, method, url));
    return scope.bound(loadCallHooks(), timeout, "loading the SDK's hook code").then((module) => {
      client ??= new module.ClientHooks(api, hooks, timeout, logger);
      return client.forCall(scope, op, own, method, url);
    });
  };
}

/** The hooks' runner, once loaded; `loadCallHooks` loads it (again, if a load failed). */
let loaded: typeof import("./call-hooks.js") | undefined;
let loading: Promise<typeof import("./call-hooks.js")> | undefined;

function loadCallHooks(): Promise<typeof import("./call-hooks.js")> {
  if (!loading) {
    const pending = import("./call-hooks.js");
    pending.then(
      (module) => {
        loaded = module;
      },
      // a failed load (a chunk the network lost) is tried again by the next call
      () => {
        loading = undefined;
      },
    );
    loading = pending;
  }
  return loading;
}

/** Refuses, naming it, a hook that is not a function (a typo'd import, a config file). */
function checkHooks(apiName: string, where: string, hooks: Hooks | undefined): void {
  if (hooks === undefined) return;
  for (const name of ["onRequest", "onResponse", "onError"] as const) {
    if (hooks[name] !== undefined && typeof hooks[name] !== "function") {
      throw new ConfigurationError(`${apiName}: \`${name}\` in ${where} must be a function.`);
    }
  }
}
