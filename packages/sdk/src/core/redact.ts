/**
 * Redaction for everything the SDK prints or serialises: known secrets (every key a client has used, and
 * the Basic form of it), Authorization and Cookie values, and `api_key`-style query parameters.
 */
const secrets = new Set<string>();
const REDACTED = "[REDACTED]";

/** Remembers a secret so it is redacted wherever it appears; its Basic (`key:` in base64) form too. */
export function registerSecret(secret: string): void {
  if (secret.length < 4 || secrets.has(secret)) return;
  secrets.add(secret);
  try {
    secrets.add(btoa(`${secret}:`));
  } catch {
    // not Latin-1: it cannot be a Basic credential as is
  }
}

const PATTERNS: readonly [RegExp, string][] = [
  // the credential after an Authorization header's scheme word, or a bare one; a placeholder such as `<key>` stays
  [
    /((?:authorization|proxy-authorization)["']?\s*[:=]\s*["']?(?:basic|bearer|token|api-key)\s+)(?!<)[^"',\n}\s]+/gi,
    `$1${REDACTED}`,
  ],
  [
    /((?:authorization|proxy-authorization)["']?\s*[:=]\s*["']?)(?!(?:basic|bearer|token|api-key)\s)(?!<)[^"',\n}\s]+/gi,
    `$1${REDACTED}`,
  ],
  [/((?:set-)?cookie["']?\s*[:=]\s*["']?)[^"'\n}]+/gi, `$1${REDACTED}`],
  [/([?&](?:api[_-]?key|access[_-]?token|token|key)=)[^&#\s"']+/gi, `$1${REDACTED}`],
];

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
