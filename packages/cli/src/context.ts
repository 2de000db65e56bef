/** What every command receives: parsed global options, the IO shell and the injected decoders. */
import { ControllerConnection } from '@tributary/protocol';
import type { CliDecoders, CliIo } from './io.js';

export interface GlobalOptions {
  readonly controllers: readonly string[];
  readonly json: boolean;
  /** Overall deadline of one command's RPCs (retries included). */
  readonly timeoutMs: number;
}

export interface CommandContext {
  readonly io: CliIo;
  readonly options: GlobalOptions;
  readonly decoders: CliDecoders;
}

/** Runs `work` with a connection to the active controller and always closes it. */
export async function withConnection<T>(
  context: CommandContext,
  work: (connection: ControllerConnection) => Promise<T>,
): Promise<T> {
  const connection = new ControllerConnection({
    addresses: context.options.controllers,
    attemptTimeoutMs: Math.min(2_000, context.options.timeoutMs),
  });
  try {
    return await work(connection);
  } finally {
    connection.close();
  }
}

/** The per-call options for a ControllerConnection call from a command. */
export function callOptions(context: CommandContext): { deadlineMs: number; signal: AbortSignal } {
  return { deadlineMs: context.options.timeoutMs, signal: context.io.signal };
}
