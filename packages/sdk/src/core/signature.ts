import type { SignatureDefinition } from "./api-definition.js";
import { ConfigurationError } from "./errors/ConfigurationError.js";
import { SignatureError } from "./errors/SignatureError.js";
import { valueAt } from "./json-pointer.js";

const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/**
 * Verifies signed answers (`x-keysmith-signature`) with the configured public key, over the bytes the vendor's
 * own SDKs verify: the body without its signature member, serialised compactly in the order it arrived.
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
    const signature = valueAt(body, this.#definition.signature);
    if (typeof signature !== "string" || body === null || typeof body !== "object") throw fail("is missing");
    const signatureBytes = decodeBase64(signature);
    if (signatureBytes === undefined || signatureBytes.length === 0) {
      throw fail(`is not base64 (${JSON.stringify(signature.slice(0, 40))}: the server may have no signing key set)`);
    }
    let key: CryptoKey;
    try {
      key = await this.#key;
    } catch {
      throw new ConfigurationError(`${this.#apiName}: the configured public key is not an RSA SPKI key.`);
    }
    const member = this.#definition.signature.split("/")[1] ?? "";
    const { [member]: _, ...signed } = body as Record<string, unknown>;
    const bytes = new TextEncoder().encode(JSON.stringify(signed));
    if (!(await crypto.subtle.verify(ALGORITHM, key, signatureBytes, bytes))) throw fail("does not verify");
  }
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}
