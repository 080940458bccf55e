/** `@keysmith/sdk/core` on servers (the `node` export condition): see `../node.ts`. */
import { preloadCallCode } from "./server-preload.js";

export * from "./index.js";

await preloadCallCode();
