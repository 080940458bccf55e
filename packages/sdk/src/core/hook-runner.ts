import type { ApiDefinition, OperationDefinition } from "./api-definition.js";
import type { CallHooks, ClientHooks } from "./call-hooks.js";
import type { CallScope } from "./call-scope.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";
import type { Hooks } from "./hooks.js";
import { lazyModule } from "./lazy-module.js";
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
    if (client) return Promise.resolve(client.forCall(scope, op, own, method, url));
    return loadCallHooks(timeout, scope).then((module) => {
      client ??= new module.ClientHooks(api, hooks, timeout, logger);
      return client.forCall(scope, op, own, method, url);
    });
  };
}

/** The hooks' runner, loaded by the process's first call that has hooks. */
const loadCallHooks = lazyModule(() => import("./call-hooks.js"), "the SDK's hook code");

/** Refuses, naming it, a hook that is not a function (a typo'd import, a config file). */
function checkHooks(apiName: string, where: string, hooks: Hooks | undefined): void {
  if (hooks === undefined) return;
  for (const name of ["onRequest", "onResponse", "onError"] as const) {
    if (hooks[name] !== undefined && typeof hooks[name] !== "function") {
      throw new ConfigurationError(`${apiName}: \`${name}\` in ${where} must be a function.`);
    }
  }
}
