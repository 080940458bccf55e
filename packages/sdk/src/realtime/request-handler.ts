import type * as z from "zod/mini";
import type { RealtimeError } from "./errors/RealtimeError.js";
import type { NamespaceSocket } from "./namespace-socket.js";
import { checkPayload } from "./payload-check.js";
import type { RealtimeContext } from "./realtime-options.js";

export interface RequestSpec<P extends z.ZodMiniType, A extends z.ZodMiniType> {
  readonly namespace: string;
  readonly event: string;
  readonly payload: P;
  readonly ack: A;
}

/**
 * Answers one acknowledged server-to-client event: validates the request, asks `answer` for the
 * acknowledgement, validates that too and sends it. An invalid request gets `refused(issues)` without
 * reaching your code; a handler that throws or returns an invalid acknowledgement is reported and answered
 * with `failed(message)`. Nothing here can throw into socket.io-client.
 */
export function answerRequests<P extends z.ZodMiniType, A extends z.ZodMiniType>(
  context: RealtimeContext,
  connection: NamespaceSocket,
  spec: RequestSpec<P, A>,
  handlers: {
    answer: (request: z.infer<P>) => Promise<z.input<A>>;
    refused: (issues: readonly string[], raw: unknown) => z.input<A>;
    failed: (message: string, request: z.infer<P>) => z.input<A>;
    /** Called once the acknowledgement has been sent (follow-up events must not overtake it). */
    sent?: (request: z.infer<P>, ack: z.infer<A>) => void;
  },
): void {
  const { namespace, event } = spec;
  const { RealtimeValidationError } = context.errors;
  connection.socket.on(event, (payload: unknown, ack?: unknown) => {
    const reply = typeof ack === "function" ? (ack as (value: unknown) => void) : () => {};
    const request = checkPayload(spec.payload, payload);
    if (!request.ok) {
      context.report(new RealtimeValidationError(namespace, event, "received", request.issues));
      reply(handlers.refused(request.issues, payload));
      return;
    }
    handlers.answer(request.value).then(
      (answer) => {
        const checked = checkPayload(spec.ack, answer);
        if (checked.ok) {
          reply(checked.value);
          handlers.sent?.(request.value, checked.value);
          return;
        }
        context.report(new RealtimeValidationError(namespace, event, "sent", checked.issues));
        reply(handlers.failed(`the handler's answer is invalid: ${checked.issues.join("; ")}`, request.value));
      },
      (error: unknown) => {
        const failure = handlerFailure(context, namespace, event, error);
        context.report(failure);
        reply(handlers.failed(failure.message, request.value));
      },
    );
  });
}

/** A handler's exception as a redacted `RealtimeError` (its message may be sent to the server). */
export function handlerFailure(
  context: RealtimeContext,
  namespace: string,
  event: string,
  error: unknown,
): RealtimeError {
  const message = error instanceof Error ? error.message : String(error);
  return new context.errors.RealtimeError(namespace, event, `the handler failed: ${message}`, { cause: error });
}
