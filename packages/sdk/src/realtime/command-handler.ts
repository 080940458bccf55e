import { type Command, type CommandFinished, realtimeChannels } from "../generated/epsilon3/realtime.js";
import { openNamespace } from "./namespace-socket.js";
import { checkPayload } from "./payload-check.js";
import { handleOf } from "./realtime-handle.js";
import type { RealtimeContext, RealtimeHandle } from "./realtime-options.js";
import { answerRequests, handlerFailure } from "./request-handler.js";

/** What a command handler reports. Returning nothing means success. */
export interface CommandOutcome {
  readonly success: boolean;
  readonly message?: string;
  /** Sent in `command_finished` for asynchronous commands. */
  readonly results?: Record<string, unknown>;
}

/**
 * Executes a command from Epsilon3. `signal` aborts when the command times out (`commandTimeout`, 55 s by
 * default) or the handler is closed. Throwing reports failure with the error's (redacted) message.
 */
export type CommandHandler = (
  command: Command,
  context: { readonly signal: AbortSignal },
) => CommandOutcome | undefined | Promise<CommandOutcome | undefined>;

/**
 * Answers `send_command` on `/v1/commands/realtime`. Without a `correlation_id` the acknowledgement carries
 * the result (`{name, success, received_at, message}`). With one, the command is asynchronous: it is
 * acknowledged `{status: "executing"}` at once, and `command_finished` (`success`, `failure` or `timeout`)
 * follows when the handler settles; a `command_finished` sent while disconnected waits for the reconnection.
 */
export function handleCommands(context: RealtimeContext, handler: CommandHandler): RealtimeHandle {
  const channel = realtimeChannels.commands;
  const { namespace } = channel;
  const { RealtimeValidationError } = context.errors;
  const connection = openNamespace(context, namespace);
  const running = new Set<AbortController>();

  const run = async (command: Command): Promise<{ outcome: CommandOutcome; timedOut: boolean }> => {
    const controller = new AbortController();
    running.add(controller);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), context.commandTimeout);
    });
    try {
      const result = await Promise.race([Promise.resolve(handler(command, { signal: controller.signal })), timeout]);
      if (result === "timeout") {
        controller.abort(new Error(`${command.name} timed out after ${context.commandTimeout} ms`));
        return {
          outcome: { success: false, message: `timed out after ${context.commandTimeout} ms` },
          timedOut: true,
        };
      }
      return { outcome: result ?? { success: true }, timedOut: false };
    } catch (error) {
      const failure = handlerFailure(context, namespace, "send_command", error);
      context.report(failure);
      return { outcome: { success: false, message: failure.message }, timedOut: false };
    } finally {
      clearTimeout(timer);
      running.delete(controller);
    }
  };

  /** Runs an asynchronous command at once; its `command_finished` waits until `{status: "executing"}` has gone. */
  const acknowledged = new Map<string, () => void>();
  const finish = (command: Command, correlationId: string) => {
    const acked = new Promise<void>((resolve) => acknowledged.set(correlationId, resolve));
    void Promise.all([run(command), acked]).then(([{ outcome, timedOut }]) => {
      const finished: CommandFinished = {
        correlation_id: correlationId,
        status: timedOut ? "timeout" : outcome.success ? "success" : "failure",
        results: { ...outcome.results, ...(outcome.message === undefined ? {} : { message: outcome.message }) },
        completed_at: new Date().toISOString(),
      };
      const checked = checkPayload(channel.events.command_finished.payload, finished);
      if (!checked.ok) {
        context.report(new RealtimeValidationError(namespace, "command_finished", "sent", checked.issues));
        return;
      }
      connection.socket.emit("command_finished", checked.value);
    });
  };

  answerRequests(
    context,
    connection,
    {
      namespace,
      event: "send_command",
      payload: channel.events.send_command.payload,
      ack: channel.events.send_command.ack,
    },
    {
      answer: async (command) => {
        const receivedAt = new Date().toISOString();
        if (command.correlation_id) {
          finish(command, command.correlation_id);
          return { status: "executing" as const };
        }
        const { outcome } = await run(command);
        return {
          name: command.name,
          success: outcome.success,
          received_at: receivedAt,
          ...(outcome.message === undefined ? {} : { message: outcome.message }),
        };
      },
      refused: (issues, raw) => ({
        name: typeof (raw as { name?: unknown } | null)?.name === "string" ? (raw as { name: string }).name : "",
        success: false,
        received_at: new Date().toISOString(),
        message: `invalid command: ${issues.join("; ")}`,
      }),
      failed: (message, command) => ({
        name: command.name,
        success: false,
        received_at: new Date().toISOString(),
        message,
      }),
      sent: (command) => {
        const id = command.correlation_id;
        if (id === undefined) return;
        acknowledged.get(id)?.();
        acknowledged.delete(id);
      },
    },
  );
  return handleOf(connection, () => {
    for (const controller of running) controller.abort(new Error("the command handler was closed"));
  });
}
