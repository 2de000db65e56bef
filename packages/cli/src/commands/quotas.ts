/**
 * `trib quotas alter|describe`: client quotas (DESIGN §10) as kafka-configs.sh sets them for users and
 * client ids (`--add-config 'producer_byte_rate=1048576,consumer_byte_rate=...,request_percentage=...'`,
 * `--delete-config key,key`). Keys and values are checked here (a usage error, exit 2) before the
 * controller checks them again.
 *
 * The user flag is --user-name, not Kafka's --user: `trib --user` is the caller's own SASL user (a global
 * option, which commander would take wherever it appears on the line).
 */
import {
  type ClientQuotaDescription,
  type ClientQuotaFilterComponent,
  isQuotaKey,
  type QuotaChange,
} from '@tributary/client';
import { TributaryError } from '@tributary/core';
import { ConfigError } from '@tributary/core/config';
import { QUOTA_KEYS, type QuotaEntity, type QuotaKey } from '@tributary/security';
import type { Command } from 'commander';
import { type CommandContext, withAdmin } from '../context.js';
import { formatTable, jsonLine } from '../format.js';
import type { Runner } from '../program.js';
import { adminCall } from './partitions.js';

export interface QuotaEntityFlags {
  readonly userName?: string;
  readonly userDefaults?: boolean;
  readonly clientId?: string;
  readonly clientDefaults?: boolean;
}

/** How an entity part is written in tables and messages (Kafka writes the default as <default>). */
function partText(part: string | null | undefined): string {
  return part === undefined ? '-' : part === null ? '<default>' : part;
}

export function entityText(entity: QuotaEntity): string {
  const parts: string[] = [];
  if (entity.user !== undefined) parts.push(`user ${partText(entity.user)}`);
  if (entity.clientId !== undefined) parts.push(`client-id ${partText(entity.clientId)}`);
  return parts.join(', ');
}

function onePart(
  name: string | undefined,
  isDefault: boolean | undefined,
  flag: string,
): string | null | undefined {
  if (name !== undefined && isDefault === true)
    throw new ConfigError(
      `give --${flag} or --${flag === 'user-name' ? 'user' : 'client'}-defaults, not both`,
    );
  if (name === '') throw new ConfigError(`--${flag} must not be empty`);
  return isDefault === true ? null : name;
}

/** The entity the flags name; `required` (alter) needs at least one part. */
export function quotaEntityOf(flags: QuotaEntityFlags, required: boolean): QuotaEntity {
  const user = onePart(flags.userName, flags.userDefaults, 'user-name');
  const clientId = onePart(flags.clientId, flags.clientDefaults, 'client-id');
  if (required && user === undefined && clientId === undefined) {
    throw new ConfigError(
      'name the entity: --user-name NAME or --user-defaults, and/or --client-id ID or --client-defaults',
    );
  }
  return { ...(user === undefined ? {} : { user }), ...(clientId === undefined ? {} : { clientId }) };
}

function requireQuotaKey(key: string, flag: string): QuotaKey {
  if (!isQuotaKey(key)) {
    throw new ConfigError(`${flag}: unknown quota ${JSON.stringify(key)} (known: ${QUOTA_KEYS.join(', ')})`);
  }
  return key;
}

/** `producer_byte_rate=1048576,request_percentage=50` -> changes; bytes/s whole, every value > 0. */
export function parseAddConfig(texts: readonly string[]): QuotaChange[] {
  const changes: QuotaChange[] = [];
  for (const item of texts.flatMap((text) => text.split(','))) {
    if (item.trim() === '') continue;
    const separator = item.indexOf('=');
    if (separator <= 0) throw new ConfigError(`--add-config: ${JSON.stringify(item)} is not key=value`);
    const key = requireQuotaKey(item.slice(0, separator).trim(), '--add-config');
    const text = item.slice(separator + 1).trim();
    const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    if (!(Number.isFinite(value) && value > 0)) {
      throw new ConfigError(
        `--add-config: ${key} must be a number greater than 0, got ${JSON.stringify(text)}`,
      );
    }
    if (key !== 'request_percentage' && !Number.isSafeInteger(value)) {
      throw new ConfigError(`--add-config: ${key} is whole bytes per second, got ${JSON.stringify(text)}`);
    }
    changes.push({ key, value });
  }
  return changes;
}

export function parseDeleteConfig(texts: readonly string[]): QuotaChange[] {
  return texts
    .flatMap((text) => text.split(','))
    .map((key) => key.trim())
    .filter((key) => key !== '')
    .map((key) => ({ key: requireQuotaKey(key, '--delete-config'), value: null }));
}

/** The changes of --add-config and --delete-config; a key changed twice is refused. */
export function quotaChangesOf(addConfig: readonly string[], deleteConfig: readonly string[]): QuotaChange[] {
  const changes = [...parseAddConfig(addConfig), ...parseDeleteConfig(deleteConfig)];
  if (changes.length === 0)
    throw new ConfigError('nothing to change: give --add-config and/or --delete-config');
  const seen = new Set<string>();
  for (const { key } of changes) {
    if (seen.has(key)) throw new ConfigError(`quota ${key} is given twice`);
    seen.add(key);
  }
  return changes;
}

export async function quotasAlter(
  context: CommandContext,
  entity: QuotaEntity,
  changes: readonly QuotaChange[],
  validateOnly: boolean,
): Promise<void> {
  const [outcome] = await withAdmin(context, context.options.bootstrap, (admin) =>
    admin.alterClientQuotas([{ entity, changes }], { ...adminCall(context), validateOnly }),
  );
  if (outcome?.error != null) {
    throw new TributaryError(outcome.error.code, `${entityText(entity)}: ${outcome.error.message}`);
  }
  const set = Object.fromEntries(changes.filter((c) => c.value !== null).map((c) => [c.key, c.value]));
  const removed = changes.filter((c) => c.value === null).map((c) => c.key);
  if (context.options.json) {
    context.io.out(jsonLine({ entity, set, removed, validateOnly }));
    return;
  }
  const what = [
    ...Object.entries(set).map(([key, value]) => `${key}=${value}`),
    ...removed.map((key) => `${key} removed`),
  ].join(', ');
  context.io.out(`${validateOnly ? 'valid, not applied' : 'quotas updated'}: ${entityText(entity)}: ${what}`);
}

/** Filter components for describe: a part named exactly, or the default; absent parts match anything. */
export function quotaFilterOf(entity: QuotaEntity): ClientQuotaFilterComponent[] {
  const component = (
    entityType: 'user' | 'client-id',
    part: string | null | undefined,
  ): ClientQuotaFilterComponent[] =>
    part === undefined
      ? []
      : part === null
        ? [{ entityType, match: 'default' }]
        : [{ entityType, match: 'exact', name: part }];
  return [...component('user', entity.user), ...component('client-id', entity.clientId)];
}

export function formatQuotas(entries: readonly ClientQuotaDescription[]): string[] {
  const rows = entries.map(({ entity, values }) => [
    partText(entity.user),
    partText(entity.clientId),
    QUOTA_KEYS.filter((key) => values[key] !== undefined)
      .map((key) => `${key}=${values[key]}`)
      .join(','),
  ]);
  return formatTable(['USER', 'CLIENT-ID', 'QUOTAS'], rows);
}

export async function quotasDescribe(
  context: CommandContext,
  entity: QuotaEntity,
  strict: boolean,
): Promise<void> {
  const entries = await withAdmin(context, context.options.bootstrap, (admin) =>
    admin.describeClientQuotas(quotaFilterOf(entity), { ...adminCall(context), strict }),
  );
  const { io } = context;
  if (context.options.json)
    for (const { entity: e, values } of entries) io.out(jsonLine({ entity: e, quotas: values }));
  else if (entries.length > 0) for (const line of formatQuotas(entries)) io.out(line);
  else io.err('no quotas match');
}

function collectText(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

function addEntityOptions(command: Command): Command {
  return command
    .option('--user-name <name>', 'the user (Kafka’s --user; `trib --user` is your own login)')
    .option('--user-defaults', 'the default for every user (<default>)')
    .option('--client-id <id>', 'the client id')
    .option('--client-defaults', 'the default for every client id (<default>)');
}

export function addQuotaCommands(program: Command, run: Runner): void {
  const quotas = program.command('quotas').description('client quotas for users and client ids');
  addEntityOptions(quotas.command('alter').description('set or remove quotas of a user and/or client id'))
    .option('--add-config <k=v,...>', `quotas to set: ${QUOTA_KEYS.join(', ')} (repeatable)`, collectText, [])
    .option('--delete-config <k,...>', 'quotas to remove (repeatable)', collectText, [])
    .option('--validate-only', 'check the change without applying it')
    .action(
      run((context, command) => {
        const o = command.opts<
          QuotaEntityFlags & { addConfig: string[]; deleteConfig: string[]; validateOnly?: boolean }
        >();
        const entity = quotaEntityOf(o, true);
        return quotasAlter(
          context,
          entity,
          quotaChangesOf(o.addConfig, o.deleteConfig),
          o.validateOnly === true,
        );
      }),
    );
  addEntityOptions(
    quotas.command('describe').description('the quotas of the matching entities (every one by default)'),
  )
    .option('--strict', 'only entities with no part besides the named ones')
    .action(
      run((context, command) => {
        const o = command.opts<QuotaEntityFlags & { strict?: boolean }>();
        return quotasDescribe(context, quotaEntityOf(o, false), o.strict === true);
      }),
    );
}
