import type { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsImport from "ajv-formats";

// ajv-formats is CommonJS; under ESM its default export may arrive wrapped once more
const addAjvFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (
  ajv: Ajv2020,
) => Ajv2020;

/** RFC 5322 `atext`: the characters of a dot-atom's atoms. */
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
/** RFC 5322 `quoted-string` without folding white space: printable ASCII, `\` escaping any of it. */
const QUOTED = '"(?:[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\x20-\\x7e])*"';
const LOCAL_PART = new RegExp(`^(?:${ATOM}(?:\\.${ATOM})*|${QUOTED})$`);
/** RFC 5321 `sub-domain`: a letter or digit, then letters, digits and hyphens, not ending with a hyphen. */
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * The `email` format as RFC 5321 §4.1.2 and RFC 5322 §3.4.1 define an address (`addr-spec`), without the
 * comments and folding white space that are no part of an address on the wire: a dot-atom or quoted local
 * part of at most 64 octets, then a domain of one or more labels (`ada@localhost` is an address; ajv-formats'
 * `full` mode wants a dot) or an address literal (`[192.0.2.1]`, `[IPv6:2001:db8::1]`); 254 octets at most.
 */
export function isEmail(address: string): boolean {
  if (address.length > 254) return false;
  const at = address.lastIndexOf("@");
  if (at < 1) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) return false;
  if (domain.startsWith("[") && domain.endsWith("]")) return isAddressLiteral(domain.slice(1, -1));
  return domain.length > 0 && domain.split(".").every((label) => LABEL.test(label));
}

function isAddressLiteral(literal: string): boolean {
  if (IPV4.test(literal)) return true;
  if (!/^IPv6:/i.test(literal)) return false;
  try {
    // the URL parser knows IPv6 text forms (RFC 4291 §2.2), embedded IPv4 included
    return new URL(`http://[${literal.slice(5)}]/`).hostname.startsWith("[");
  } catch {
    return false;
  }
}

/** ajv-formats' formats (its `full` mode), with `email` per the RFCs (see `isEmail`). */
export function addFormats(ajv: Ajv2020): Ajv2020 {
  addAjvFormats(ajv);
  return ajv.addFormat("email", isEmail);
}
