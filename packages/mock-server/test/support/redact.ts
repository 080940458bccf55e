import { demoKeys } from "@keysmith/mock-server";

type DemoKeyTable = Readonly<Record<string, Readonly<Record<string, string>>>>;
const keyTable = demoKeys as unknown as DemoKeyTable;

/** Replaces every demo secret (as sent: raw, percent-encoded, in a Basic header) with its name. */
export function redact(text: string): string {
  let out = text;
  for (const [api, keys] of Object.entries(keyTable)) {
    for (const [name, secret] of Object.entries(keys)) {
      const label = `<demoKeys.${api}.${name}>`;
      for (const form of [Buffer.from(`${secret}:`).toString("base64"), encodeURIComponent(secret), secret]) {
        out = out.replaceAll(form, label);
      }
    }
  }
  return out;
}
