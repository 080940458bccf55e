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
  const oneApi = await kb(BUNDLES.oneApi.source);
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
      figure: "realtime (Socket.IO) part, loaded by `epsilon3.realtime` on first use, min+gzip",
      ours: summarize([realtime.lazyGzip / 1000], "kB"),
      peer: undefined,
      ratio: undefined,
      goal: "loaded only by those who use it",
      // npm test checks that the first chunk carries neither socket.io-client nor zod
      met: !/EIO|zod/.test(realtime.text),
      note: "socket.io-client is 13.3 kB of it",
    },
  ];
}
