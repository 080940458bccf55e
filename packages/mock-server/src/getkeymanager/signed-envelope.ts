import { getKeyManagerDemoPrivateKey, getKeyManagerDemoPublicKey } from "./demo-signing-keys.js";

/**
 * GetKeyManager's envelope, as its reference shows it: `response` (code, message, payload, timestamp),
 * `response_base64` (the `response` object as PHP's `json_encode` prints it: slashes and non-ASCII escaped),
 * `private_key_used` and `signature`. The signature is RSA-SHA256 (PKCS#1 v1.5) over what the vendor SDKs
 * verify: the body without `signature`, as compact JSON in this order. The mock signs with a fixed demo key
 * pair, so clients can verify as they would against GETKEYMANAGER_PUBLIC_KEY.
 */
const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

let signingKey: Promise<CryptoKey> | undefined;

function privateKey(): Promise<CryptoKey> {
  signingKey ??= crypto.subtle.importKey("pkcs8", pemBytes(getKeyManagerDemoPrivateKey), ALGORITHM, false, ["sign"]);
  return signingKey;
}

function pemBytes(pem: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, "")), (char) => char.charCodeAt(0));
}

/** The mock's public key, PEM-encoded, for verifying `signature`. */
export async function getKeyManagerPublicKey(): Promise<string> {
  return getKeyManagerDemoPublicKey;
}

/** What goes in `response`: the code and message, then the operation's named payload. */
export interface EnvelopeContent {
  readonly code: number | string;
  readonly message: string;
  readonly [payload: string]: unknown;
}

export async function signedEnvelope(content: EnvelopeContent, now: Date): Promise<Record<string, unknown>> {
  const response = { ...content, timestamp: Math.floor(now.getTime() / 1000) };
  const unsigned = {
    response,
    response_base64: toBase64(new TextEncoder().encode(phpJsonEncode(response))),
    private_key_used: "global",
  };
  const signature = await crypto.subtle.sign(
    ALGORITHM,
    await privateKey(),
    new TextEncoder().encode(JSON.stringify(unsigned)),
  );
  return { ...unsigned, signature: toBase64(new Uint8Array(signature)) };
}

/** JSON as PHP's `json_encode` prints it by default: `/` as `\/`, non-ASCII as `\uXXXX`. */
export function phpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll("/", "\\/")
    .replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
