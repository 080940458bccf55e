import { MockProblem } from "./mock-problem.js";

/**
 * Path parameters as the URL carries them, percent-decoded (RFC 3986 §2.1, UTF-8). A value that does not decode
 * (`%FF%FE`, a cut-off `%E0%A4%A`) is refused with a 400 naming the parameter.
 */
export function decodePathParams(raw: Readonly<Record<string, string>>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw new MockProblem(400, {
        code: "bad_request",
        field: name,
        message: `path.${name}: not valid percent-encoded UTF-8`,
      });
    }
  }
  return decoded;
}
