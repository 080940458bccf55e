import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { addFormats } from "./formats.js";
import type { MockRealtimeSpec } from "./mock-api-spec.js";
import { rewriteRefs } from "./request-validator.js";

/**
 * Checks realtime payloads against the AsyncAPI description's own JSON Schemas with ajv, independently of
 * the SDK's zod validators. Problems name the field and the rule.
 */
export class RealtimeValidator {
  readonly #ajv: Ajv2020;
  readonly #base = "https://keysmith.invalid/realtime";
  readonly #cache = new Map<string, ValidateFunction>();

  constructor(spec: MockRealtimeSpec) {
    this.#ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    this.#ajv.addSchema({ $id: this.#base, $defs: rewriteRefs(spec.schemas, "") });
  }

  /** The problems of `payload` against a `{ $ref }` of the spec, or an empty list when it is valid. */
  problems(ref: { readonly $ref: string }, payload: unknown): string[] {
    let validate = this.#cache.get(ref.$ref);
    if (!validate) {
      validate = this.#ajv.compile(rewriteRefs(ref, this.#base) as object);
      this.#cache.set(ref.$ref, validate);
    }
    if (validate(payload)) return [];
    return (validate.errors ?? []).map((error) => {
      const field = error.instancePath.slice(1).replaceAll("/", ".") || "(payload)";
      const missing = error.keyword === "required" ? `.${String(error.params.missingProperty)}` : "";
      return `${field === "(payload)" && missing ? missing.slice(1) : `${field}${missing}`}: ${error.message ?? "is invalid"}`;
    });
  }
}
