// @ts-check
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

/**
 * @param {string} cacheDir where the cached code lives
 * @param {(filename: string) => boolean} matches which files to cache
 */
export function enableCompileCache(cacheDir, matches) {
  const native = /** @type {{ enableCompileCache?: (dir: string) => unknown }} */ (Module).enableCompileCache;
  if (typeof native === "function") {
    native(cacheDir);
    return;
  }
  const prototype = /** @type {{ _compile(content: string, filename: string): unknown }} */ (
    /** @type {unknown} */ (Module.prototype)
  );
  const original = prototype._compile;
  prototype._compile = function compileWithCache(content, filename) {
    if (!matches(filename)) return original.call(this, content, filename);
    const { size, mtimeMs } = statSync(filename);
    const key = createHash("sha256")
      .update(`${process.version}\0${filename}\0${size}\0${mtimeMs}`)
      .digest("hex")
      .slice(0, 16);
    const cacheFile = join(cacheDir, `${key}.v8`);
    let cachedData;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const script = new Script(Module.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    if (!cachedData || script.cachedDataRejected) {
      try {
        mkdirSync(cacheDir, { recursive: true });
        writeFileSync(cacheFile, script.createCachedData());
      } catch {
        // a cache that cannot be written only costs speed
      }
    }
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename));
  };
}
