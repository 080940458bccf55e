import type { Resolver, ResolverResult } from "../core/mock-api.js";
import { MockProblem } from "../core/mock-problem.js";
import { getKeyManagerSpec } from "../generated/getkeymanager/routes.js";
import { objectShape } from "../generic/schema-walk.js";
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

const shownFields = new Map<string, readonly string[]>();

/** A stored item as one of the description's schemas shows it (`LicenseKey`): the fields it names, in its order. */
export function shownAs(schema: string, item: object): Fields {
  let names = shownFields.get(schema);
  if (!names) {
    const shape = objectShape(getKeyManagerSpec.schemas, { $ref: `#/components/schemas/${schema}` });
    if (!shape) throw new TypeError(`getkeymanager: no schema ${schema} in the description`);
    names = Object.keys(shape.properties);
    shownFields.set(schema, names);
  }
  const fields = item as Fields;
  return Object.fromEntries(names.filter((name) => name in fields).map((name) => [name, fields[name]]));
}
