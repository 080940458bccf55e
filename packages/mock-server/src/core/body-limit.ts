import type { MockRequest } from "./mock-http.js";
import { MockProblem } from "./mock-problem.js";

/** The largest request body the mock reads by default: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** The 413 a body past `limit` bytes is answered with, in the API's own error shape. */
export function bodyTooLarge(limit: number): MockProblem {
  return new MockProblem(413, {
    code: "payload_too_large",
    field: "body",
    message: `body: larger than the mock's limit of ${limit} bytes`,
  });
}

/**
 * The request body as text, refused with a 413 past `limit` bytes: at once when `Content-Length` says so
 * (nothing is read), while reading where the request can stop (the standalone server's), else once read.
 */
export async function readLimited(request: MockRequest, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > limit) throw bodyTooLarge(limit);
  const text = await request.text(limit);
  if (exceeds(text, limit)) throw bodyTooLarge(limit);
  return text;
}

/** Whether the text's UTF-8 form is longer than `limit` bytes, without encoding it when its length decides. */
function exceeds(text: string, limit: number): boolean {
  // a UTF-16 code unit takes one to three UTF-8 bytes (a surrogate pair, two units, takes four)
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return new TextEncoder().encode(text).length > limit;
}
