import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { BUDGETS, BUNDLES, bundleSize } from "../../../scripts/bundle-size.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const alias = { "@keysmith/sdk": `${packageDir}dist/index.js` };

test(`one API's REST client, with auth, retries and errors, stays within its ${BUDGETS.oneApiGzip / 1000} kB gzip budget`, async () => {
  expect(existsSync(`${packageDir}dist/index.js`), "packages/sdk/dist is missing: run `npm run build`").toBe(true);
  const oneApi = await bundleSize(BUNDLES.oneApi.source, packageDir, alias);
  const everything = await bundleSize(BUNDLES.everything.source, packageDir, alias);
  expect(oneApi.gzip).toBeLessThan(BUDGETS.oneApiGzip);
  // tree-shaking works: the other three clients are not in the one-API bundle, nor the realtime errors (the
  // lazily loaded realtime engine receives them rather than importing them: see realtime-error-classes.ts)
  expect(everything.gzip - oneApi.gzip).toBeGreaterThan(1_000);
  expect(oneApi.text).not.toMatch(/Realtime\w*Error/);
});

test("the realtime side loads only when used: socket.io-client and zod stay out of the first chunk", async () => {
  const realtime = await bundleSize(BUNDLES.realtime.source, packageDir, alias);
  const restOnly = await bundleSize(
    `import { Epsilon3 } from "@keysmith/sdk";\nconsole.log(new Epsilon3());`,
    packageDir,
    alias,
  );
  // markers of engine.io-client ("EIO" query, "transport close") and of zod
  const markers = /EIO|transport close|zod/;
  expect(realtime.text).not.toMatch(markers);
  expect(restOnly.text).not.toMatch(markers);
  // what `notifications()` loads on first use: socket.io-client, the validators and the handlers
  expect(realtime.lazyText).toMatch(/EIO/);
  expect(realtime.lazyText).toMatch(/zod/);
  expect(realtime.lazyGzip).toBeGreaterThan(10_000);
});

test("what only some calls need loads on first use: ky with the first retry, hooks, redirects, streams, pages, openapi-fetch", async () => {
  const oneApi = await bundleSize(BUNDLES.oneApi.source, packageDir, alias);
  // markers of ky ("beforeRetry" in its defaults), of the hooks' runner, the redirect policy, streamed answers,
  // the walk over a list's pages, and openapi-fetch (its query serialiser's message), which only path-style
  // calls through `fetchClient` load: typed calls build their requests themselves
  const markers = [
    /beforeRetry/,
    /did not settle within/,
    /redirects in a row/,
    /while streaming the answer/,
    /aborted between pages/,
    /Deeply-nested arrays\/objects/,
  ];
  for (const marker of markers) {
    expect(oneApi.text).not.toMatch(marker);
    expect(oneApi.lazyText).toMatch(marker);
  }
  // what types an error answer stays in the first load: an answer that arrived must never wait on a chunk (under
  // fake timers, or past a deadline, it would become a TimeoutError instead of its NotFoundError)
  expect(oneApi.text).toMatch(/"request failed"/);
  // ky is loaded alone with the retry code: none of it in the first load
  const retries = oneApi.lazyChunks.find((chunk) => /beforeRetry/.test(chunk.text));
  expect(retries?.gzip).toBeGreaterThan(4_000);
});
