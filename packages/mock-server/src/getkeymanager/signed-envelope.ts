/**
 * GetKeyManager signs every response: `response_base64` is the `response` object as base64 JSON, and
 * `signature` is its RSA-SHA256 signature. The mock makes one key pair per process and publishes its
 * public key (SPKI PEM), so clients can verify as they would against GETKEYMANAGER_PUBLIC_KEY.
 */
const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

let keyPair: Promise<CryptoKeyPair> | undefined;

function signingKeys(): Promise<CryptoKeyPair> {
  keyPair ??= crypto.subtle.generateKey(
    { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"],
  ) as Promise<CryptoKeyPair>;
  return keyPair;
}

/** The mock's public key, PEM-encoded, for verifying `signature`. */
export async function getKeyManagerPublicKey(): Promise<string> {
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", (await signingKeys()).publicKey));
  const base64 = toBase64(spki).replace(/.{1,64}/g, "$&\n");
  return `-----BEGIN PUBLIC KEY-----\n${base64}-----END PUBLIC KEY-----\n`;
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
  const signature = await crypto.subtle.sign(
    ALGORITHM,
    (await signingKeys()).privateKey,
    new TextEncoder().encode(responseBase64),
  );
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
