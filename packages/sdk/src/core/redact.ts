/**
 * Redaction for everything the SDK prints or serialises: known secrets (every key and token a client has
 * used) in the forms servers echo them (as is, in another case, base64 of the key and of its Basic
 * `key:` form, URL-encoded, and fragments of it such as a key with its last characters masked),
 * Authorization and Cookie values, and `api_key`-style query parameters.
 */
const REDACTED = "[REDACTED]";

interface KnownSecret {
  /** Every whole form of the secret, case folded (ASCII). */
  readonly forms: readonly string[];
  /** How long a run of the secret's characters must be to count as an echo of it. */
  readonly window: number;
  /** Every `window`-long run of the secret (case folded). */
  readonly runs: ReadonlySet<string>;
}

const known = new Map<string, KnownSecret>();
let wholeForms: RegExp | undefined;

/** Lower-cases ASCII letters only, so that positions in the folded text are positions in the original. */
const fold = (text: string): string => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function base64Forms(text: string): string[] {
  try {
    const standard = btoa(text);
    return [standard, standard.replace(/=+$/, ""), standard.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")];
  } catch {
    return []; // not Latin-1: it cannot travel as base64 of itself as is
  }
}

/** Remembers a secret so it is redacted wherever it appears, in any of the forms above. */
export function registerSecret(secret: string): void {
  if (secret.length < 4 || known.has(secret)) return;
  const forms = new Set([secret, encodeURIComponent(secret), ...base64Forms(secret), ...base64Forms(`${secret}:`)]);
  // fragments: a third of the key, and never fewer than 8 characters, is enough to call it an echo
  const window = Math.max(8, Math.ceil(secret.length / 3));
  const folded = fold(secret);
  const runs = new Set<string>();
  for (let start = 0; start + window <= folded.length; start++) runs.add(folded.slice(start, start + window));
  known.set(secret, { forms: [...forms].map(fold), window, runs });
  const all = [...known.values()].flatMap((entry) => entry.forms).sort((a, b) => b.length - a.length);
  wholeForms = new RegExp(all.map(escapeRegExp).join("|"), "gi");
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
  if (wholeForms) out = out.replace(wholeForms, REDACTED);
  for (const secret of known.values()) out = redactRuns(out, secret);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Replaces every stretch of `text` made of runs of the secret (a truncated or masked echo of it). */
function redactRuns(text: string, secret: KnownSecret): string {
  const { window, runs } = secret;
  if (text.length < window) return text;
  const folded = fold(text);
  let out = "";
  let copied = 0;
  let end = -1;
  let start = -1;
  for (let index = 0; index + window <= folded.length; index++) {
    if (!runs.has(folded.slice(index, index + window))) continue;
    if (index > end) {
      if (start >= 0) {
        out += text.slice(copied, start) + REDACTED;
        copied = end;
      }
      start = index;
    }
    end = index + window;
  }
  if (start < 0) return text;
  return out + text.slice(copied, start) + REDACTED + text.slice(end);
}
