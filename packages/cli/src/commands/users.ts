/**
 * `trib users create|delete|list`: SCRAM users (DESIGN §10), as kafka-configs.sh --entity-type users
 * --add-config 'SCRAM-SHA-256=[password=...]' manages them. The password is read from a file, a flag or
 * stdin (without echo on a terminal), salted and hashed by the client library, and never printed: only
 * user names, mechanisms and iteration counts are ever shown.
 *
 * The inline flag is --user-password, not --password: `trib --password` is the caller's own SASL password
 * (a global option, which commander would take wherever it appears on the line).
 */
import { readFileSync } from 'node:fs';
import {
  isScramMechanism,
  type ScramCredentialRef,
  type ScramUserDescription,
  type ScramUserOutcome,
} from '@tributary/client';
import { LIMITS, TributaryError } from '@tributary/core';
import { ConfigError } from '@tributary/core/config';
import { SCRAM_MECHANISMS, type ScramMechanism, SECURITY_LIMITS } from '@tributary/security';
import type { Command } from 'commander';
import { type CommandContext, withAdmin } from '../context.js';
import { formatTable, jsonLine } from '../format.js';
import type { CliInput, Runner } from '../program.js';
import { adminCall } from './partitions.js';
import { firstLine } from './prompt.js';

/** A password file larger than this is not a password file (as the controller's bootstrap user). */
const PASSWORD_FILE_BYTES_MAX = 4_096;

/** `--mechanism`: one mechanism or both (any case). */
export function parseMechanisms(text: string): ScramMechanism[] {
  const upper = text.trim().toUpperCase();
  if (upper === 'BOTH' || upper === 'ALL') return [...SCRAM_MECHANISMS];
  if (isScramMechanism(upper)) return [upper];
  throw new ConfigError(`--mechanism ${JSON.stringify(text)} is not ${SCRAM_MECHANISMS.join(', ')} or both`);
}

export function parseIterations(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= LIMITS.scramIterationsMin && value <= LIMITS.scramIterationsMax)) {
    throw new ConfigError(
      `--iterations must be an integer from ${LIMITS.scramIterationsMin} to ${LIMITS.scramIterationsMax}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function requireUserName(name: string): void {
  if (name === '') throw new ConfigError('the user name must not be empty');
  if (name.length > LIMITS.scramUserNameLengthMax) {
    throw new ConfigError(`the user name is longer than ${LIMITS.scramUserNameLengthMax} characters`);
  }
}

/** The first line of a password file: a missing, empty or oversized file is named, its content never. */
export function readPasswordFile(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new ConfigError(`--password-file ${path}: cannot be read (${reason})`);
  }
  if (bytes.length > PASSWORD_FILE_BYTES_MAX) {
    throw new ConfigError(`--password-file ${path}: larger than ${PASSWORD_FILE_BYTES_MAX} bytes`);
  }
  const password = bytes.toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  if (password === '')
    throw new ConfigError(`--password-file ${path}: the first line (the password) is empty`);
  return password;
}

interface PasswordSource {
  readonly passwordFile?: string;
  readonly userPassword?: string;
}

async function readPassword(user: string, source: PasswordSource, input: CliInput): Promise<string> {
  if (source.passwordFile !== undefined && source.userPassword !== undefined) {
    throw new ConfigError('give --password-file or --user-password, not both');
  }
  let password: string;
  if (source.passwordFile !== undefined) password = readPasswordFile(source.passwordFile);
  else if (source.userPassword !== undefined) password = source.userPassword;
  else if (input.stdinIsTty === true && input.readHiddenLine !== undefined) {
    password = await input.readHiddenLine(`Password for user ${user}: `);
  } else password = (await firstLine(input)) ?? '';
  if (password === '') {
    throw new ConfigError('no password: give --password-file FILE or --user-password P, or pipe it to stdin');
  }
  if (password.length > SECURITY_LIMITS.passwordLengthMax) {
    throw new ConfigError(`the password is longer than ${SECURITY_LIMITS.passwordLengthMax} characters`);
  }
  return password;
}

/** Fails with the controller's error for the user (one user per command). */
function requireSuccess(outcomes: readonly ScramUserOutcome[]): void {
  for (const { user, error } of outcomes) {
    if (error !== null)
      throw new TributaryError(error.code, `user ${user}: ${error.message}`, { cause: error });
  }
}

export interface UsersCreateOptions extends PasswordSource {
  readonly mechanisms: readonly ScramMechanism[];
  readonly iterations?: number;
}

export async function usersCreate(
  context: CommandContext,
  user: string,
  options: UsersCreateOptions,
  input: CliInput,
): Promise<void> {
  requireUserName(user);
  const password = await readPassword(user, options, input);
  const iterations = options.iterations;
  const upsertions = options.mechanisms.map((mechanism) => ({
    user,
    mechanism,
    password,
    ...(iterations === undefined ? {} : { iterations }),
  }));
  const [described] = await withAdmin(context, context.options.bootstrap, async (admin) => {
    requireSuccess(await admin.alterScramCredentials({ upsertions }, adminCall(context)));
    return admin.describeScramCredentials([user], adminCall(context));
  });
  const credentials = (described?.credentials ?? []).filter((c) => options.mechanisms.includes(c.mechanism));
  if (context.options.json) context.io.out(jsonLine({ user, credentials }));
  else {
    const what = credentials.map((c) => `${c.mechanism} (${c.iterations} iterations)`).join(', ');
    context.io.out(`user ${user}: SCRAM credentials set: ${what}`);
  }
}

export async function usersDelete(
  context: CommandContext,
  user: string,
  mechanisms: readonly ScramMechanism[] | undefined,
): Promise<void> {
  requireUserName(user);
  const deleted = await withAdmin(context, context.options.bootstrap, async (admin) => {
    let refs: ScramCredentialRef[];
    if (mechanisms !== undefined) refs = mechanisms.map((mechanism) => ({ user, mechanism }));
    else {
      // Every mechanism the user has: one request, so they go together or not at all.
      const [described] = await admin.describeScramCredentials([user], adminCall(context));
      if (described?.error != null) throw described.error;
      refs = (described?.credentials ?? []).map(({ mechanism }) => ({ user, mechanism }));
    }
    requireSuccess(await admin.alterScramCredentials({ deletions: refs }, adminCall(context)));
    return refs.map((ref) => ref.mechanism);
  });
  if (context.options.json) context.io.out(jsonLine({ user, deleted }));
  else context.io.out(`user ${user}: SCRAM credentials deleted: ${deleted.join(', ')}`);
}

export function formatUsers(users: readonly ScramUserDescription[]): string[] {
  const rows = users.flatMap((u) => u.credentials.map((c) => [u.user, c.mechanism, String(c.iterations)]));
  return formatTable(['USER', 'MECHANISM', 'ITERATIONS'], rows);
}

export async function usersList(context: CommandContext, names: readonly string[]): Promise<void> {
  const described = await withAdmin(context, context.options.bootstrap, (admin) =>
    admin.describeScramCredentials(names, adminCall(context)),
  );
  const found = described.filter((u) => u.error === null);
  const { io } = context;
  if (context.options.json)
    for (const { user, credentials } of found) io.out(jsonLine({ user, credentials }));
  else if (found.length > 0) for (const line of formatUsers(found)) io.out(line);
  else if (names.length === 0) io.err('no SCRAM users');
  const failed = described.filter((u) => u.error !== null);
  for (const { user, error } of failed.slice(0, -1))
    io.err(`error: ${error?.code}: user ${user}: ${error?.message}`);
  const last = failed.at(-1);
  if (last?.error != null) {
    throw new TributaryError(last.error.code, `user ${last.user}: ${last.error.message}`, {
      cause: last.error,
    });
  }
}

export function addUserCommands(program: Command, run: Runner, input: CliInput): void {
  const users = program
    .command('users')
    .description('SCRAM users (SCRAM-SHA-256 and SCRAM-SHA-512 credentials)');
  users
    .command('create <name>')
    .description(
      'create a user or replace its password (read from --password-file, --user-password or stdin)',
    )
    .option('--password-file <file>', 'the password is the first line of this file')
    .option('--user-password <password>', 'the password itself (visible to other local users: prefer a file)')
    .option('--mechanism <mechanism>', 'SCRAM-SHA-256, SCRAM-SHA-512 or both', 'both')
    .option(
      '--iterations <n>',
      `SCRAM iterations, ${LIMITS.scramIterationsMin} to ${LIMITS.scramIterationsMax} (default 8192)`,
    )
    .action(
      run((context, command) => {
        const o = command.opts<{
          passwordFile?: string;
          userPassword?: string;
          mechanism: string;
          iterations?: string;
        }>();
        return usersCreate(
          context,
          String(command.args[0]),
          {
            mechanisms: parseMechanisms(o.mechanism),
            ...(o.iterations === undefined ? {} : { iterations: parseIterations(o.iterations) }),
            ...(o.passwordFile === undefined ? {} : { passwordFile: o.passwordFile }),
            ...(o.userPassword === undefined ? {} : { userPassword: o.userPassword }),
          },
          input,
        );
      }),
    );
  users
    .command('delete <name>')
    .description('delete a user’s SCRAM credentials (every mechanism it has, or --mechanism)')
    .option('--mechanism <mechanism>', 'SCRAM-SHA-256, SCRAM-SHA-512 or both')
    .action(
      run((context, command) => {
        const { mechanism } = command.opts<{ mechanism?: string }>();
        return usersDelete(
          context,
          String(command.args[0]),
          mechanism === undefined ? undefined : parseMechanisms(mechanism),
        );
      }),
    );
  users
    .command('list [names...]')
    .description('users with their mechanisms and iterations (never a secret)')
    .action(run((context, command) => usersList(context, command.args.map(String))));
}
