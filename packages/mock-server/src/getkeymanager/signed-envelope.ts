import { getKeyManagerDemoPrivateKey, getKeyManagerDemoPublicKey } from "./demo-signing-keys.js";

/**
 * GetKeyManager signs every response: `response_base64` is the `response` object as base64 JSON, and
 * `signature` is its RSA-SHA256 signature. The mock signs with a fixed demo key pair, so clients can verify
 * as they would against GETKEYMANAGER_PUBLIC_KEY.
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

export interface EnvelopeContent {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
  readonly errors?: Record<string, string[]>;
  readonly retry_after?: number;
}

export async function signedEnvelope(content: EnvelopeContent, now: Date): Promise<unknown> {
  const response = { ...content, timestamp: Math.floor(now.getTime() / 1000) };
  const responseBase64 = toBase64(new TextEncoder().encode(JSON.stringify(response)));
  const signature = await crypto.subtle.sign(ALGORITHM, await privateKey(), new TextEncoder().encode(responseBase64));
  return {
    response,
    response_base64: responseBase64,
    private_key_used: "global",
    signature: toBase64(new Uint8Array(signature)),
  };
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
