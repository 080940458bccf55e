/**
 * Loads, now, the code only some calls need: the retries with ky, the hooks' runner, the walk over a list's pages,
 * the redirect policy, streamed answers and openapi-fetch. Browsers load each on first use (their first load
 * stays small); servers, through the package's `node` export condition (Node, Deno, Bun), load them with the
 * package. There size does not matter, and a first use would wait for the disk under the call's own timers,
 * which a test's fake timers can fire before the disk answers: a retry under `vi.useFakeTimers()` failed with
 * "loading the SDK's retry code did not answer within 60000 ms". Once loaded, a later `import()` of them settles
 * without waiting on anything. The realtime engine (socket.io-client) stays lazy: no timer bounds its loading.
 */
export function preloadCallCode(): Promise<unknown> {
  return Promise.all([
    import("./ky-retries.js"),
    import("./call-hooks.js"),
    import("./page-walk.js"),
    import("./redirects.js"),
    import("./streamed-response.js"),
    import("./path-client-loaded.js"),
  ]);
}
