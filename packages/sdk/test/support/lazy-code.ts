import { Erathos } from "@keysmith/sdk";

/**
 * Loads, through the public API and in real time, the code the SDK loads on first use (the retry code with
 * ky, the hooks' runner): one call that is retried once, with a hook. A test file that then drives retries
 * under fake timers calls this first, so that fake time never outruns the module loader.
 */
export async function loadLazyCode(): Promise<void> {
  let attempts = 0;
  const client = new Erathos({
    apiKey: "lazyCodeWarmUpKey0123456789",
    baseUrl: "https://warm-up.invalid",
    env: {},
    hooks: { onRequest: () => undefined },
    fetch: async () =>
      ++attempts === 1
        ? new Response(null, { status: 503, headers: { "Retry-After": "0" } })
        : Response.json({ count: 0, results: [] }),
  });
  await client.workspaces.list();
  if (attempts !== 2) throw new Error(`the warm-up call made ${attempts} attempts, not 2`);
}
