import { RealtimeConnectionError } from "./RealtimeConnectionError.js";
import { RealtimeError } from "./RealtimeError.js";
import { RealtimeLimitError } from "./RealtimeLimitError.js";
import { RealtimeServerError } from "./RealtimeServerError.js";
import { RealtimeValidationError } from "./RealtimeValidationError.js";

/**
 * The realtime error classes, handed to the lazily loaded engine through its `RealtimeContext` instead of
 * being imported by it. Why: with code splitting, esbuild puts a file reachable both from the entry (here
 * through `index.ts`, which exports these classes) and from a dynamic import (`epsilon3-engine.js`) into a
 * shared chunk that the entry loads, so every app, even a REST-only one, would download them. Imported only
 * by the eager `Epsilon3Realtime`, they stay with it and are tree-shaken when it is unused. They are the
 * exported classes themselves, so `instanceof` holds for what the engine throws and reports. Engine-side
 * files may only `import type` from the class files: a value import would bring them back into that chunk.
 */
export const realtimeErrorClasses = {
  RealtimeConnectionError,
  RealtimeError,
  RealtimeLimitError,
  RealtimeServerError,
  RealtimeValidationError,
} as const;

export type RealtimeErrorClasses = typeof realtimeErrorClasses;
