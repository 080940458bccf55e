import type { ApiDefinition } from "./api-definition.js";

/**
 * For APIs whose keys have a format or prefixes (`x-keysmith-key-format`, `x-keysmith-key-prefix` on their
 * servers): refuses a key with another environment's prefix than the client targets, or without a format or
 * prefix the vendor documents. Formats and prefixes that are only hints never refuse a key. A capability:
 * generated clients of such APIs pass it (`checkKeyRules`), so that the others' bundles leave it out.
 */
export function checkKeyRules(
  api: ApiDefinition,
  key: string,
  environment: string | undefined,
  refuse: (problem: string, keyEnvironment?: string) => Error,
): void {
  const format = api.keyFormat;
  if (format?.documented && !new RegExp(format.pattern).test(key)) {
    throw refuse(`does not have the documented key format${format.description ? ` (${format.description})` : ""}`);
  }
  const prefixes = api.servers.flatMap((server) => (server.keyPrefix ? [server] : []));
  const owner = prefixes.find((server) => key.startsWith(server.keyPrefix ?? ""));
  if (!owner) {
    // a prefix the vendor only hints at never refuses a key; a documented one does
    const documented = prefixes.filter((server) => server.keyPrefixDocumented);
    if (documented.length === 0) return;
    throw refuse(
      `does not start with any of this API's documented key prefixes (${documented.map((server) => server.keyPrefix).join(", ")})`,
    );
  }
  if (environment !== undefined && owner.environment !== undefined && owner.environment !== environment) {
    throw refuse(
      `belongs to the ${owner.environment} environment (prefix ${owner.keyPrefix}), but the client targets ${environment}; a key works only against its own environment's server`,
      owner.environment,
    );
  }
}
