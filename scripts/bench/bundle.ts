import { BUDGETS, BUNDLES, bundleSize, GOALS } from "../bundle-size.js";
import type { Row } from "./report.js";
import { type Settings, summarize } from "./stats.js";

/** Bundle size: what a browser app pays, minified and gzipped (deterministic: one run is enough). */
export async function benchBundle(settings: Settings): Promise<Row[]> {
  settings.log("bundle size…");
  const packageDir = `${settings.root}/packages/sdk/`;
  const alias = { "@keysmith/sdk": `${packageDir}dist/index.js` };
  const kb = async (source: string) => summarize([(await bundleSize(source, packageDir, alias)).gzip / 1000], "kB");
  const realtime = await bundleSize(BUNDLES.realtime.source, packageDir, alias);
  const peer = await kb(BUNDLES.peer.source);
  const oneApiBundle = await bundleSize(BUNDLES.oneApi.source, packageDir, alias);
  const oneApi = summarize([oneApiBundle.gzip / 1000], "kB");
  // ky's chunk ("beforeRetry" is in its defaults), loaded by a client's first retry
  const retries = oneApiBundle.lazyChunks.find((chunk) => /beforeRetry/.test(chunk.text));
  // the realtime part: what loads later, less what REST calls load on first use (retries, hooks, redirects,
  // streams, pages, openapi-fetch for path-style calls)
  const restOnFirstUse =
    /beforeRetry|did not settle within|redirects in a row|while streaming the answer|aborted between pages|Deeply-nested arrays/;
  const realtimePart = realtime.lazyChunks
    .filter((chunk) => !restOnFirstUse.test(chunk.text))
    .reduce((sum, chunk) => sum + chunk.gzip, 0);
  const everything = await kb(BUNDLES.everything.source);
  return [
    {
      section: "Bundle size",
      figure: `${BUNDLES.oneApi.label}, min+gzip`,
      ours: oneApi,
      peer: { name: BUNDLES.peer.label, value: peer },
      ratio: oneApi.median / peer.median,
      goal: `< ${GOALS.oneApiGzip / 1000} kB (npm test budget: ${BUDGETS.oneApiGzip / 1000} kB)`,
      met: oneApi.median * 1000 < GOALS.oneApiGzip,
    },
    {
      section: "Bundle size",
      figure: `${BUNDLES.everything.label}, min+gzip`,
      ours: everything,
      peer: { name: BUNDLES.peer.label, value: peer },
      ratio: everything.median / peer.median,
      goal: "info",
      met: undefined,
    },
    {
      section: "Bundle size",
      figure: "retries (ky), loaded by a client's first retry, min+gzip",
      ours: summarize([(retries?.gzip ?? Number.NaN) / 1000], "kB"),
      peer: undefined,
      ratio: undefined,
      goal: "out of the first load",
      // npm test checks that the first load carries none of ky
      met: retries !== undefined && !/beforeRetry/.test(oneApiBundle.text),
    },
    {
      section: "Bundle size",
      figure: "realtime (Socket.IO) part, loaded by `epsilon3.realtime` on first use, min+gzip",
      ours: summarize([realtimePart / 1000], "kB"),
      peer: undefined,
      ratio: undefined,
      goal: "loaded only by those who use it",
      // npm test checks that the first chunk carries neither socket.io-client nor zod
      met: !/EIO|zod/.test(realtime.text),
      note: "socket.io-client is 13.3 kB of it",
    },
  ];
}
