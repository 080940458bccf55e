import type { SignatureDefinition } from "./api-definition.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";
import { SignatureError } from "./errors/SignatureError.js";
import { valueAt } from "./json-pointer.js";

const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/**
 * Verifies signed responses (`x-keysmith-signature`): the signature over the payload, with the configured
 * public key, and that the payload says the same as the readable part of the body.
 */
export class SignatureVerifier {
  readonly #apiName: string;
  readonly #definition: SignatureDefinition;
  readonly #key: Promise<CryptoKey>;

  constructor(apiName: string, definition: SignatureDefinition, publicKeyPem: string, source: string) {
    this.#apiName = apiName;
    this.#definition = definition;
    const base64 = publicKeyPem.replace(/-----(BEGIN|END) PUBLIC KEY-----|\s|\\n/g, "");
    let der: Uint8Array<ArrayBuffer>;
    try {
      der = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    } catch {
      throw new ConfigurationError(`${apiName}: ${source} is not a PEM public key.`);
    }
    this.#key = crypto.subtle.importKey("spki", der, ALGORITHM, false, ["verify"]);
    this.#key.catch(() => undefined);
  }

  async verify(body: unknown, status: number): Promise<void> {
    const fail = (why: string) =>
      new SignatureError(`${this.#apiName}: the response signature ${why}; the response was not used.`, status);
    const payload = valueAt(body, this.#definition.payload);
    const signature = valueAt(body, this.#definition.signature);
    if (typeof payload !== "string" || typeof signature !== "string") throw fail("is missing");
    let key: CryptoKey;
    try {
      key = await this.#key;
    } catch {
      throw new ConfigurationError(`${this.#apiName}: the configured public key is not an RSA SPKI key.`);
    }
    const signatureBytes = decodeBase64(signature);
    const valid =
      signatureBytes !== undefined &&
      (await crypto.subtle.verify(ALGORITHM, key, signatureBytes, new TextEncoder().encode(payload)));
    if (!valid) throw fail("does not verify");
    if (this.#definition.signedContent !== undefined) {
      const decoded = decodeBase64(payload);
      let signed: unknown;
      try {
        signed = decoded === undefined ? undefined : JSON.parse(new TextDecoder().decode(decoded));
      } catch {
        signed = undefined;
      }
      if (canonical(signed) !== canonical(valueAt(body, this.#definition.signedContent)))
        throw fail("covers other content than the body shows");
    }
  }
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** JSON with sorted keys, so two objects compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}
