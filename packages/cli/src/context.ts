/** What every command receives: parsed global options, the IO shell and the injected decoders. */

import type * as grpc from '@grpc/grpc-js';
import { type Admin, openAdminConnection, TributaryClient } from '@tributary/client';
import { TributaryError } from '@tributary/core';
import {
  asTributaryError,
  type ClientOptions,
  type ClientTls,
  ControllerConnection,
  clientCredentials,
  type SaslCredentials,
  type ScramSessionAuthentication,
} from '@tributary/protocol';
import type { CliDecoders, CliIo } from './io.js';

export interface GlobalOptions {
  readonly controllers: readonly string[];
  /**
   * Whether controllers were named (--controllers or TRIB_CONTROLLERS) rather than defaulted: admin
   * commands then go to them directly instead of through the brokers (docs/cli.md).
   */
  readonly controllersGiven: boolean;
  /** --bootstrap or TRIB_BOOTSTRAP (default 127.0.0.1:9092). */
  readonly bootstrap: readonly string[];
  readonly json: boolean;
  /** Overall deadline of one command's RPCs (retries included). */
  readonly timeoutMs: number;
  /** --tls-ca/--tls-cert/--tls-key (or TRIB_TLS_*), read; unset = plaintext. */
  readonly tls?: ClientTls;
  /** --user/--password/--sasl-mechanism (or TRIB_USER, TRIB_PASSWORD); unset = no SCRAM login. */
  readonly sasl?: SaslCredentials;
  /** The SCRAM sessions of this run's channels (one login per address), when `sasl` is given; closed after the command. */
  readonly auth?: ScramSessionAuthentication;
}

/** The channel credentials of every connection a command opens: TLS with the given files, or plaintext. */
export function channelCredentials(context: CommandContext): grpc.ChannelCredentials {
  return clientCredentials(context.options.tls);
}

/** `tls` for the client library's options, when given. */
export function tlsOption(context: CommandContext): { tls?: ClientTls } {
  return context.options.tls === undefined ? {} : { tls: context.options.tls };
}

/** `tls` and `sasl` for a TributaryClient's options, when given. */
export function clientSecurity(context: CommandContext): { tls?: ClientTls; sasl?: SaslCredentials } {
  return {
    ...tlsOption(context),
    ...(context.options.sasl === undefined ? {} : { sasl: context.options.sasl }),
  };
}

/** `auth` (this run's SCRAM sessions) for a channel's or connection's options, when logging in. */
export function authOption(context: CommandContext): { auth?: ScramSessionAuthentication } {
  return context.options.auth === undefined ? {} : { auth: context.options.auth };
}

/** The options of a raw gRPC client a command opens: credentials (TLS or plaintext) and SCRAM sessions. */
export function clientOptions(context: CommandContext): ClientOptions {
  return { credentials: channelCredentials(context), ...authOption(context) };
}

export interface CommandContext {
  readonly io: CliIo;
  readonly options: GlobalOptions;
  readonly decoders: CliDecoders;
}

/**
 * Runs `work` with a connection to the active controller for admin calls (topics, brokers, cluster) and
 * always closes it: to the controllers when they were given, else through the bootstrap brokers, which
 * forward each call to the active controller (the client's admin-route.ts decides for both).
 */
export async function withAdminConnection<T>(
  context: CommandContext,
  work: (connection: ControllerConnection) => Promise<T>,
): Promise<T> {
  const { connection, route } = openAdminConnection({
    ...adminAddresses(context),
    deadlineMs: context.options.timeoutMs,
    ...tlsOption(context),
    ...authOption(context),
  });
  try {
    return await work(connection);
  } catch (error) {
    const failure = asTributaryError(error);
    // Nothing could answer: say the calls went to brokers (the connection's message speaks of controllers).
    if (route !== 'brokers' || !failure.retriable) throw failure;
    throw new TributaryError(failure.code, `through brokers: ${failure.message}`, { cause: failure });
  } finally {
    connection.close();
  }
}

/** Where admin calls go: the controllers only when they were given; the brokers always (as fallback). */
function adminAddresses(context: CommandContext): {
  controllers?: readonly string[];
  bootstrap: readonly string[];
} {
  const { options } = context;
  return options.controllersGiven
    ? { controllers: options.controllers, bootstrap: options.bootstrap }
    : { bootstrap: options.bootstrap };
}

/** Runs `work` with a connection to the controllers (quorum commands) and always closes it. */
export async function withConnection<T>(
  context: CommandContext,
  work: (connection: ControllerConnection) => Promise<T>,
): Promise<T> {
  const connection = new ControllerConnection({
    addresses: context.options.controllers,
    attemptTimeoutMs: Math.min(2_000, context.options.timeoutMs),
    credentials: channelCredentials(context),
    ...authOption(context),
  });
  try {
    return await work(connection);
  } finally {
    connection.close();
  }
}

/**
 * Runs `work` with an admin client that reaches the `bootstrap` brokers (group coordinators, partition
 * leaders, and controller calls forwarded through them) or the controllers when they were given, and
 * always closes it.
 */
export async function withAdmin<T>(
  context: CommandContext,
  bootstrap: readonly string[],
  work: (admin: Admin) => Promise<T>,
): Promise<T> {
  const client = new TributaryClient({
    bootstrap,
    ...(context.options.controllersGiven ? { controllers: context.options.controllers } : {}),
    timeoutMs: context.options.timeoutMs,
    ...clientSecurity(context),
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
