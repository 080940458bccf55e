/**
 * A V8 code cache for the few large CommonJS files the generator loads (the TypeScript compiler is 9 MB of
 * JavaScript: compiling it is a fifth of a small run). Node 22+ has this built in (`module.enableCompileCache`);
 * on Node 20 this wraps the CommonJS compile step for the matching files only, leaving every other module,
 * and `require()` of ES modules, to Node.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

/** Caches compiled code in `cacheDir`: every module's on Node 22+, only the `matches` files' on Node 20. */
export function enableCompileCache(cacheDir: string, matches: (filename: string) => boolean): void {
  const native = (Module as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof native === "function") {
    native(cacheDir);
    return;
  }
  interface CompilingModule {
    exports: unknown;
    _compile(content: string, filename: string): unknown;
  }
  const prototype = Module.prototype as unknown as CompilingModule;
  const original = prototype._compile;
  prototype._compile = function compileWithCache(this: CompilingModule, content: string, filename: string) {
    if (!matches(filename)) return original.call(this, content, filename);
    const { size, mtimeMs } = statSync(filename);
    const key = createHash("sha256")
      .update(`${process.version}\0${filename}\0${size}\0${mtimeMs}`)
      .digest("hex")
      .slice(0, 16);
    const cacheFile = join(cacheDir, `${key}.v8`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const wrap = (Module as unknown as { wrap(content: string): string }).wrap;
    const script = new Script(wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    if (!cachedData || script.cachedDataRejected) {
      try {
        mkdirSync(cacheDir, { recursive: true });
        writeFileSync(cacheFile, script.createCachedData());
      } catch {
        // a cache that cannot be written only costs speed
      }
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename));
  };
}
