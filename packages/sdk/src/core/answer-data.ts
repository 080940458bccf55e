import type { ParseAs } from "./operation-call.js";
import { settledText } from "./response-body.js";

/** What a typed call's answer holds: the body of a 2xx as `data`, of any other status as `error`. */
export type AnswerData = { readonly data: unknown; readonly error?: undefined } | { readonly error: unknown };

/**
 * Reads an answer's body. No body (204, HEAD, `Content-Length: 0`): nothing. A 2xx as `parseAs` says: JSON
 * (an empty body is nothing; a malformed one throws), text, a Blob or the stream. Any other status: its text,
 * parsed as JSON when it is JSON, for the typed error to carry. The transport has already read the body
 * (within the attempt), so none of this waits on the network, except a stream the caller asked for.
 */
export async function readAnswer(response: Response, method: string, parseAs: ParseAs): Promise<AnswerData> {
  const length = response.headers.get("content-length");
  if (
    response.status === 204 ||
    method === "HEAD" ||
    (length === "0" && !response.headers.get("transfer-encoding")?.includes("chunked"))
  ) {
    return response.ok ? { data: undefined } : { error: undefined };
  }
  if (!response.ok) {
    const text = settledText(response) ?? (await response.text());
    try {
      return { error: JSON.parse(text) };
    } catch {
      return { error: text };
    }
  }
  if (parseAs === "stream") return { data: response.body };
  if (parseAs === "json") {
    const text = settledText(response) ?? (await response.text());
    return { data: text ? JSON.parse(text) : undefined };
  }
  return { data: await response[parseAs]() };
}
