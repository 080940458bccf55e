/**
 * `@keysmith/sdk` on servers (the `node` export condition: Node, Deno, Bun): the same exports, with the code only
 * some calls need loaded before the package finishes loading (see `preloadCallCode`).
 */
import { preloadCallCode } from "./core/server-preload.js";

export * from "./index.js";

await preloadCallCode();
