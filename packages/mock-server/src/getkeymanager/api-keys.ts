import { randomSecret } from "../core/ids.js";
import { done, type Fields, failure, type GkmResolver } from "./answers.js";
import type { ApiKeyRecord, GetKeyManagerState } from "./state.js";

/** How the admin portal shows a key: never its secret, only its first and last four characters. */
export function publicKeyView(key: ApiKeyRecord, now: Date) {
  const expired = key.expiresAt !== undefined && Date.parse(key.expiresAt) <= now.getTime();
  return {
    id: key.id,
    name: key.name,
    environment: key.environment,
    permissions: key.permissions,
    rate_limit: { requests: key.rateLimit.requests, per_seconds: key.rateLimit.perSeconds },
    status: key.status === "inactive" ? "inactive" : expired ? "expired" : "active",
    expires_at: key.expiresAt ?? null,
    last_used_at: key.lastUsedAt ?? null,
    created_at: key.createdAt,
    customer_id: key.customerId,
    key_hint: `${key.secret.slice(0, 4)}…${key.secret.slice(-4)}`,
  };
}

/** New keys in the portal's `km_live_` form (Keysmith's model of key issuance). */
const newSecret = (): string => `km_live_${randomSecret(32)}`;

const findKey = (state: GetKeyManagerState, id: unknown): ApiKeyRecord => {
  const key = state.keys.all().find((candidate) => candidate.id === id);
  if (!key) throw failure(404, `API key ${String(id)} does not exist`);
  return key;
};

/** The modelled API-key administration of the portal's "API Keys" page. */
export const apiKeyResolvers: Record<string, GkmResolver> = {
  getCurrentApiKey: ({ state, key, now }) =>
    done(now, 200, "Success", { api_key: publicKeyView(findKey(state, key.id), now) }),

  listApiKeys: ({ state, now }) =>
    done(now, 200, "Success", { api_keys: state.keys.all().map((key) => publicKeyView(key, now)) }),

  createApiKey: ({ state, body, now }) => {
    const input = body as Fields;
    const environment = input.environment as ApiKeyRecord["environment"];
    const name = String(input.name);
    if (state.keys.all().some((key) => key.name === name && key.environment === environment)) {
      throw failure(409, `An API key named "${name}" already exists in ${environment}`);
    }
    const rateLimit = input.rate_limit as { requests: number; per_seconds: number } | undefined;
    const key = state.keys.add({
      id: `key_${(state.nextId++).toString(36)}`,
      secret: newSecret(),
      label: name,
      name,
      status: "active",
      environment,
      permissions: [...(input.permissions as string[])],
      rateLimit: rateLimit
        ? { requests: rateLimit.requests, perSeconds: rateLimit.per_seconds }
        : { requests: 600, perSeconds: 60 },
      createdAt: now.toISOString(),
      customerId: (input.customer_id as number | undefined) ?? null,
      expiresAt: typeof input.expires_at === "string" ? input.expires_at : undefined,
    });
    return done(now, 200, "API key created; copy it now, it is shown only once", {
      api_key: { ...publicKeyView(key, now), secret: key.secret },
    });
  },

  regenerateApiKey: ({ state, params, now }) => {
    const key = findKey(state, params.key_id);
    if (key.status === "inactive") throw failure(409, `API key ${key.id} is revoked; create a new one`);
    state.keys.rotate(key, newSecret());
    return done(now, 200, "API key regenerated; the old key no longer works", {
      api_key: { ...publicKeyView(key, now), secret: key.secret },
    });
  },

  revokeApiKey: ({ state, params, now }) => {
    const key = findKey(state, params.key_id);
    key.status = "inactive";
    return done(now, 200, "API key revoked", { api_key: publicKeyView(key, now) });
  },
};
