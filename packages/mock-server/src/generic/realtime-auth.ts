import type { Socket } from "socket.io";
import type { KeyRecord } from "../core/key-record.js";
import { MockProblem } from "../core/mock-problem.js";

/** Why the handshake refused a client: sent as the `connect_error`'s `data` (socket.io-client's `error.data`). */
export interface RealtimeRefusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/**
 * The keys a realtime mock takes: a list of secrets, or an API's key ring as its runtime checks it
 * (`MockApiRuntime.checkKey`: known, active, unexpired, else a `MockProblem` saying which).
 */
export type RealtimeKeys = readonly string[] | { checkKey(secret: string, now: Date): KeyRecord };

/** How clients show their key at the handshake. */
export interface RealtimeAuth {
  /**
   * The field of the handshake's `auth` payload that carries the key (the description's
   * `x-keysmith-socketio-auth`), and nothing else. Without it: `auth.token`, `auth.key`, or an `Authorization`
   * header's last word.
   */
  readonly field?: string;
  /** Refuses a valid key the realtime side does not take (Epsilon3 takes team keys only). */
  readonly admit?: (key: KeyRecord) => Omit<RealtimeRefusal, "status"> | undefined;
}

type Handshake = Pick<Socket["handshake"], "auth" | "headers">;

/** The refusal of a handshake (an Error whose `data` socket.io sends the client), or undefined to let it in. */
export function handshakeRefusal(
  handshake: Handshake,
  keys: RealtimeKeys,
  auth: RealtimeAuth,
  now: Date,
): (Error & { data: RealtimeRefusal }) | undefined {
  const refuse = (data: RealtimeRefusal) => Object.assign(new Error(data.message), { data });
  const secret = credentialOf(handshake, auth.field);
  if (secret === undefined) {
    const where = auth.field
      ? `auth: { ${auth.field}: <API key> }`
      : "auth: { token: <API key> } or an Authorization header";
    return refuse({ status: 401, code: "not_authenticated", message: `Connect with ${where}` });
  }
  try {
    const key = checkKey(keys, secret, now);
    const refusal = auth.admit?.(key);
    return refusal ? refuse({ status: 403, ...refusal }) : undefined;
  } catch (error) {
    if (error instanceof MockProblem) {
      return refuse({ status: error.status, code: error.details.code, message: error.details.message });
    }
    throw error;
  }
}

function checkKey(keys: RealtimeKeys, secret: string, now: Date): KeyRecord {
  if ("checkKey" in keys) return keys.checkKey(secret, now);
  if (keys.includes(secret)) return { id: "key", secret, label: "key", status: "active" };
  throw new MockProblem(401, { code: "invalid_key", message: "Invalid API key" });
}

/** The key a client shows: `auth.<field>`; without a field, `auth.token` or `auth.key`, else the header's last word. */
function credentialOf(handshake: Handshake, field: string | undefined): string | undefined {
  const given = handshake.auth as Record<string, unknown> | undefined;
  const header = handshake.headers.authorization?.trim().split(/\s+/).at(-1);
  const candidates = field ? [given?.[field]] : [given?.token, given?.key, header];
  const value = candidates.find((candidate) => typeof candidate === "string" && candidate.trim() !== "");
  return typeof value === "string" ? value.trim() : undefined;
}
