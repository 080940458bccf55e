import type * as z from "zod/mini";

export type PayloadCheck<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: string[] };

/** Validates a payload against its generated schema; problems name the field and the rule, never the value. */
export function checkPayload<S extends z.ZodMiniType>(schema: S, payload: unknown): PayloadCheck<z.infer<S>> {
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map(
      (issue) => `${issue.path.length ? issue.path.join(".") : "(payload)"}: ${issue.message}`,
    ),
  };
}
