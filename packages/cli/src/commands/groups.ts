/**
 * `trib groups list | describe G | reset-offsets G --topic T --to-earliest|--to-latest|--to-offset N`:
 * consumer-group admin through the brokers' group coordinators (`--bootstrap`).
 */
import type {
  GroupDescription,
  GroupListing,
  OffsetResetTarget,
  TopicPartitionList,
  TopicPartitionOffset,
} from '@tributary/client';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseNonNegativeInt } from '../args.js';
import { type CommandContext, withAdmin } from '../context.js';
import { cell, formatTable, jsonLine } from '../format.js';
import type { Runner } from '../program.js';
import type { ClientCommandOptions } from './produce.js';

/** "orders:0,1,2 other:3" for an assignment; "-" when empty. */
export function formatAssignment(lists: readonly TopicPartitionList[]): string {
  const parts = lists
    .filter((l) => l.partitions.length > 0)
    .map((l) => `${l.topic}:${l.partitions.join(',')}`);
  return parts.length === 0 ? '-' : parts.join(' ');
}

export function formatGroupList(groups: readonly GroupListing[]): string[] {
  const rows = groups.map((g) => [
    g.groupId,
    g.groupType || '-',
    g.state,
    String(g.members),
    String(g.coordinatorId),
  ]);
  return formatTable(['GROUP', 'TYPE', 'STATE', 'MEMBERS', 'COORDINATOR'], rows);
}

/** Kafka clients' classic groups: generation, selected protocol, static instance ids and hosts. */
function formatClassicGroup(group: GroupDescription): string[] {
  const header =
    `group ${group.groupId}  type classic  state ${group.state}  generation ${group.groupEpoch}  ` +
    `protocol ${group.protocolType || '-'}/${group.assignor || '-'}  coordinator ${group.coordinatorId}  ` +
    `members ${group.members.length}`;
  const members = formatTable(
    ['MEMBER', 'INSTANCE', 'CLIENT', 'HOST', 'ASSIGNMENT'],
    group.members.map((m) => [
      m.memberId,
      m.groupInstanceId || '-',
      m.clientId || '-',
      m.clientHost || '-',
      formatAssignment(m.assignment),
    ]),
  );
  return [header, ...members];
}

/** Tributary's own groups: epochs, assignor, and what each member still has to revoke. */
function formatConsumerGroup(group: GroupDescription): string[] {
  const header =
    `group ${group.groupId}  state ${group.state}  epoch ${group.groupEpoch}  ` +
    `assignor ${group.assignor || '-'}  coordinator ${group.coordinatorId}  members ${group.members.length}`;
  const members = formatTable(
    ['MEMBER', 'CLIENT', 'EPOCH', 'ASSIGNMENT', 'REVOKING'],
    group.members.map((m) => [
      m.memberId,
      m.clientId || '-',
      String(m.memberEpoch),
      formatAssignment(m.assignment),
      formatAssignment(m.pendingRevocation),
    ]),
  );
  return [header, ...(group.members.length > 0 ? members : [])];
}

export function formatGroupDescription(group: GroupDescription): string[] {
  const summary =
    group.groupType === 'classic' && group.members.length > 0
      ? formatClassicGroup(group)
      : formatConsumerGroup(group);
  const partitions = formatTable(
    ['TOPIC', 'PARTITION', 'COMMITTED', 'LOG END', 'LAG', 'MEMBER'],
    group.partitions.map((p) => [
      p.topic,
      String(p.partition),
      cell(p.committedOffset),
      cell(p.logEndOffset),
      cell(p.lag),
      cell(p.memberId),
    ]),
  );
  return [...summary, ...partitions];
}

export function formatResetOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): string[] {
  return [
    `reset offsets of group ${groupId}`,
    ...formatTable(
      ['TOPIC', 'PARTITION', 'NEW OFFSET'],
      offsets.map((o) => [o.topic, String(o.partition), String(o.offset)]),
    ),
  ];
}

export async function groupsList(context: CommandContext, options: ClientCommandOptions): Promise<void> {
  const groups = await withAdmin(context, options.bootstrap, (admin) =>
    admin.listGroups({ deadlineMs: context.options.timeoutMs }),
  );
  if (context.options.json) context.io.out(jsonLine({ groups }));
  else for (const line of formatGroupList(groups)) context.io.out(line);
}

export async function groupsDescribe(
  context: CommandContext,
  groupId: string,
  options: ClientCommandOptions,
): Promise<void> {
  const group = await withAdmin(context, options.bootstrap, (admin) =>
    admin.describeGroup(groupId, { deadlineMs: context.options.timeoutMs }),
  );
  if (context.options.json) context.io.out(jsonLine(group));
  else for (const line of formatGroupDescription(group)) context.io.out(line);
}

export interface ResetOffsetsOptions extends ClientCommandOptions {
  readonly topic: string;
  readonly to: OffsetResetTarget;
  /** Default: every partition of the topic. */
  readonly partitions?: readonly number[];
}

export async function groupsResetOffsets(
  context: CommandContext,
  groupId: string,
  options: ResetOffsetsOptions,
): Promise<void> {
  const offsets = await withAdmin(context, options.bootstrap, (admin) =>
    admin.resetGroupOffsets(groupId, options.topic, { to: options.to }, options.partitions, {
      deadlineMs: context.options.timeoutMs,
    }),
  );
  if (context.options.json) context.io.out(jsonLine({ group: groupId, offsets }));
  else for (const line of formatResetOffsets(groupId, offsets)) context.io.out(line);
}

/** The reset target from exactly one of --to-earliest, --to-latest, --to-offset (else a usage error). */
export function resetTarget(options: {
  toEarliest?: boolean;
  toLatest?: boolean;
  toOffset?: number;
}): { readonly to: OffsetResetTarget } | { readonly problem: string } {
  const chosen: OffsetResetTarget[] = [
    ...(options.toEarliest === true ? (['earliest'] as const) : []),
    ...(options.toLatest === true ? (['latest'] as const) : []),
    ...(options.toOffset === undefined ? [] : [options.toOffset]),
  ];
  const [only] = chosen;
  if (chosen.length !== 1 || only === undefined) {
    return { problem: 'give exactly one of --to-earliest, --to-latest, --to-offset N' };
  }
  return { to: only };
}

function parsePartitionList(value: string): number[] {
  const parts = value.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^\d+$/.test(part))) {
    throw new InvalidArgumentError('expected partition numbers separated by commas.');
  }
  return parts.map(Number);
}

function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: 2, code: 'trib.usage' });
}

/** Registers `trib groups ...` on the program (wired from program.ts). */
export function addGroupCommands(program: Command, run: Runner): void {
  const bootstrapOf = (command: Command): string[] =>
    command.optsWithGlobals<{ bootstrap: string[] }>().bootstrap;
  const groups = program.command('groups').description('consumer groups: list, describe, reset offsets');
  groups
    .command('list')
    .description('every consumer group, with its state and member count')
    .action(run((context, command) => groupsList(context, { bootstrap: bootstrapOf(command) })));
  groups
    .command('describe <group>')
    .description('members and assignments; per partition the committed offset, log end and lag')
    .action(
      run((context, command) =>
        groupsDescribe(context, String(command.args[0]), { bootstrap: bootstrapOf(command) }),
      ),
    );
  groups
    .command('reset-offsets <group>')
    .description('set the committed offsets of a topic (the group must have no active members)')
    .requiredOption('--topic <topic>', 'the topic whose offsets to reset')
    .option('--partitions <p,...>', 'only these partitions (default: all)', parsePartitionList)
    .addOption(new Option('--to-earliest', 'the earliest offset of each partition'))
    .addOption(new Option('--to-latest', 'the latest offset of each partition (skip everything)'))
    .addOption(new Option('--to-offset <n>', 'this offset in each partition').argParser(parseNonNegativeInt))
    .action(
      run((context, command) => {
        const options = command.opts<{
          topic: string;
          partitions?: number[];
          toEarliest?: boolean;
          toLatest?: boolean;
          toOffset?: number;
        }>();
        const target = resetTarget(options);
        if ('problem' in target) return usageError(command, target.problem);
        return groupsResetOffsets(context, String(command.args[0]), {
          bootstrap: bootstrapOf(command),
          topic: options.topic,
          to: target.to,
          ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
        });
      }),
    );
}
