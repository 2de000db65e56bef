/** What every command receives: parsed global options, the IO shell and the injected decoders. */
import { type Admin, TributaryClient } from '@tributary/client';
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

/**
 * Runs `work` with an admin client that reaches the controllers and the `bootstrap` brokers (group
 * coordinators, partition leaders) and always closes it.
 */
export async function withAdmin<T>(
  context: CommandContext,
  bootstrap: readonly string[],
  work: (admin: Admin) => Promise<T>,
): Promise<T> {
  const client = new TributaryClient({
    bootstrap,
    controllers: context.options.controllers,
    timeoutMs: context.options.timeoutMs,
  });
  try {
    return await work(client.admin());
  } finally {
    client.close();
  }
}

/** The per-call options for a ControllerConnection call from a command. */
export function callOptions(context: CommandContext): { deadlineMs: number; signal: AbortSignal } {
  return { deadlineMs: context.options.timeoutMs, signal: context.io.signal };
}
