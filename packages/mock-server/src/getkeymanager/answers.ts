import type { Resolver, ResolverResult } from "../core/mock-api.js";
import { MockProblem } from "../core/mock-problem.js";
import { signedEnvelope } from "./signed-envelope.js";
import type { GetKeyManagerState } from "./state.js";

export type GkmResolver = Resolver<GetKeyManagerState>;
export type Fields = Record<string, unknown>;

/** A documented success: HTTP 200, the code, its message and the operation's named payload. */
export async function done(
  now: Date,
  code: number | string,
  message: string,
  payload: Fields = {},
): Promise<ResolverResult> {
  return { body: await signedEnvelope({ code, message, ...payload }, now) };
}

/**
 * A documented logical failure: GetKeyManager answers it with HTTP 200 and the failure's code (the index's
 * `errorStatus` keeps the 200); `extra` adds fields such as `errors` or `available_quantity`.
 */
export function failure(code: number, message: string, extra?: Fields): MockProblem {
  return new MockProblem(200, { code: String(code), apiCode: code, message, ...(extra ? { extra } : {}) });
}

/** A body field as a string, or undefined when absent or blank. */
export function text(body: Fields, name: string): string | undefined {
  const value = body[name];
  return value === undefined || value === null || String(value).trim() === "" ? undefined : String(value);
}

/** Laravel's timestamp format in the reference's examples (`2024-02-24T16:57:17.000000Z`). */
export function timestamp(now: Date): string {
  return now.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
