import { randomSecret } from "../core/ids.js";
import type { KeyRecord } from "../core/key-record.js";
import type { Resolver } from "../core/mock-api.js";
import type { MockApiSpec, RouteSpec } from "../core/mock-api-spec.js";

/** How long a token the mock issues lasts. */
export const TOKEN_LIFETIME_S = 3600;

const OBJECT = { type: "object" } as const;

/**
 * One token route per OAuth2 scheme with a client-credentials `tokenUrl` on the API's own server (relative, or
 * on the server's origin): `POST` there with the client's id and secret (HTTP Basic, or form fields) answers
 * an access token the API then accepts as `Bearer`, until it expires. A token URL on another host is not
 * served (the standalone server has no such host).
 */
export function tokenRoutes(spec: MockApiSpec): { routes: RouteSpec[]; skipped: string[] } {
  const routes: RouteSpec[] = [];
  const skipped: string[] = [];
  const server = spec.servers[0]?.url.replace(/\{([^}]+)\}/g, "$1") ?? "";
  const base = new URL(`${server.replace(/\/+$/, "")}/`, "http://mock.invalid");
  for (const [name, scheme] of Object.entries(spec.securitySchemes)) {
    if (scheme.type !== "oauth2" || !scheme.tokenUrl) continue;
    const target = new URL(scheme.tokenUrl, base);
    if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname)) {
      skipped.push(`${name}: ${scheme.tokenUrl} is on another host`);
      continue;
    }
    routes.push({
      operationId: `keysmithToken_${name}`,
      method: "post",
      path: `/${target.pathname.slice(base.pathname.length)}`,
      security: [],
      successStatus: 200,
      parameters: [],
      requestBody: {
        required: true,
        form: true,
        schema: {
          type: "object",
          required: ["grant_type"],
          properties: {
            grant_type: { type: "string" },
            scope: { type: "string" },
            client_id: { type: "string" },
            client_secret: { type: "string" },
          },
        },
      },
      responses: { "200": OBJECT, "400": OBJECT, "401": OBJECT },
    });
  }
  return { routes, skipped };
}

/** The client's secret, from HTTP Basic (`id:secret`, each URL-encoded) or the form's `client_secret`. */
function clientSecret(authorization: string | null, form: Record<string, unknown>): string | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (basic) {
    try {
      const decoded = atob(basic);
      const colon = decoded.indexOf(":");
      return colon === -1 ? undefined : decodeURIComponent(decoded.slice(colon + 1));
    } catch {
      return undefined;
    }
  }
  return typeof form.client_secret === "string" ? form.client_secret : undefined;
}

/**
 * Issues tokens for the client-credentials grant: a client whose secret is one of the mock's keys (any client
 * id) gets a fresh token, added to the keys the API accepts until it expires. OAuth2's own error bodies
 * (RFC 6749 §5.2) for a wrong grant or client.
 */
export function tokenResolver<S extends { readonly keys: { add(key: KeyRecord): unknown } }>(
  accepted: readonly string[],
): Resolver<S> {
  return (context) => {
    const form = (context.body ?? {}) as Record<string, unknown>;
    if (form.grant_type !== "client_credentials") {
      return {
        status: 400,
        body: { error: "unsupported_grant_type", error_description: "this mock issues client_credentials tokens" },
      };
    }
    const secret = clientSecret(context.request.headers.get("authorization"), form);
    if (secret === undefined || !accepted.includes(secret)) {
      return {
        status: 401,
        body: { error: "invalid_client", error_description: "the client secret is not one of the mock's keys" },
      };
    }
    const token = `mock_at_${randomSecret(32)}`;
    const expiresAt = new Date(context.now.getTime() + TOKEN_LIFETIME_S * 1000).toISOString();
    context.state.keys.add({
      id: `token_${token.slice(-8)}`,
      secret: token,
      label: "OAuth2 token",
      status: "active",
      expiresAt,
    });
    return {
      body: {
        access_token: token,
        token_type: "Bearer",
        expires_in: TOKEN_LIFETIME_S,
        ...(typeof form.scope === "string" ? { scope: form.scope } : {}),
      },
    };
  };
}
