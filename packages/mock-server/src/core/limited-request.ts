import { readLimited } from "./body-limit.js";
import type { MockRequest } from "./mock-http.js";

/**
 * The request as the pipeline hands it on: its body read at most once, by whichever step needs it first (a key
 * sent as a body field, or the resolver), and refused past the body limit.
 */
export class LimitedRequest implements MockRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: MockRequest["headers"];
  readonly #incoming: MockRequest;
  readonly #limit: number;
  #text: Promise<string> | undefined;

  constructor(incoming: MockRequest, limit: number) {
    this.method = incoming.method;
    this.url = incoming.url;
    this.headers = incoming.headers;
    this.#incoming = incoming;
    this.#limit = limit;
  }

  text(): Promise<string> {
    this.#text ??= readLimited(this.#incoming, this.#limit);
    return this.#text;
  }
}
