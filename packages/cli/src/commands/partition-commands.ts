/**
 * Registration of `trib partitions …` on the program, and the argument parsers of the scaling-out commands
 * (rates, broker lists). The command logic is in partitions.ts.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { parseNonNegativeInt, parsePositiveInt } from '../args.js';
import type { CommandContext } from '../context.js';
import type { CliInput, Runner } from '../program.js';
import {
  partitionsCancel,
  partitionsElectLeaders,
  partitionsPlan,
  partitionsReassign,
  partitionsReassignments,
  type WaitSettings,
} from './partitions.js';
import { WATCH_DEFAULT_TIMEOUT_MS } from './reassignment-watch.js';

const RATE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  KI: 1024,
  MI: 1024 ** 2,
  GI: 1024 ** 3,
};

/**
 * A byte rate: digits with an optional K/M/G (1000s) or Ki/Mi/Gi (1024s) suffix, optionally followed by
 * B and /s ("10MB", "50MiB", "1.5G/s", "1048576"). Whole bytes per second, at least 1.
 */
export function parseRate(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMG]i?)?B?(?:\/s)?$/i.exec(value.trim());
  const unit = RATE_UNITS[(match?.[2] ?? '').toUpperCase()];
  if (match === null || unit === undefined) {
    throw new InvalidArgumentError('expected bytes/s, e.g. 10MB, 50MiB or 1048576.');
  }
  const bytes = Math.round(Number(match[1]) * unit);
  if (!(bytes >= 1) || !Number.isSafeInteger(bytes)) {
    throw new InvalidArgumentError('the rate must be at least 1 byte/s and not too large.');
  }
  return bytes;
}

/** "4,5,6" -> broker ids (distinct, non-negative integers). */
export function parseBrokerIds(value: string): number[] {
  const parts = value.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^\d+$/.test(part)))
    throw new InvalidArgumentError('expected broker ids like 1,2,3.');
  const ids = parts.map(Number);
  if (ids.some((id) => !Number.isSafeInteger(id) || id > 0xffff_ffff)) {
    throw new InvalidArgumentError('a broker id is too large.');
  }
  if (new Set(ids).size !== ids.length) throw new InvalidArgumentError('a broker id is listed twice.');
  return ids;
}

function parseTopicList(value: string): string[] {
  const topics = value.split(',').map((part) => part.trim());
  if (topics.some((topic) => topic === '')) throw new InvalidArgumentError('expected topic names like a,b.');
  return topics;
}

function bootstrapOf(command: Command): string[] {
  return command.optsWithGlobals<{ bootstrap: string[] }>().bootstrap;
}

function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: 2, code: 'trib.usage' });
}

/** --wait/--watch settings from a command's options and the global --timeout-ms. */
export function waitSettings(
  context: CommandContext,
  command: Command,
  input: CliInput,
  wait: boolean | undefined,
): WaitSettings {
  const source = command.getOptionValueSourceWithGlobals('timeoutMs');
  const explicit = source === 'cli' || source === 'env';
  return {
    wait: wait === true,
    intervalMs: command.opts<{ intervalMs?: number }>().intervalMs ?? 1_000,
    waitTimeoutMs: explicit ? context.options.timeoutMs : WATCH_DEFAULT_TIMEOUT_MS,
    redraw: input.stdoutIsTty === true,
  };
}

/** Options every waiting command has. */
export function addWaitOptions(command: Command, waitFlag: string, waitHelp: string): Command {
  return command
    .option(waitFlag, waitHelp)
    .option('--interval-ms <ms>', 'poll interval while waiting', parsePositiveInt, 1_000);
}

export function addPartitionCommands(program: Command, run: Runner, input: CliInput): void {
  const partitions = program
    .command('partitions')
    .description('move partitions between brokers, plan a rebalance, elect preferred leaders');
  addWaitOptions(
    partitions
      .command('reassign')
      .description('move one partition to a new replica list (preferred leader first)')
      .requiredOption('--topic <name>', 'the topic')
      .requiredOption('--partition <n>', 'the partition', parseNonNegativeInt)
      .requiredOption('--replicas <ids>', 'target broker ids, e.g. 4,5,6', parseBrokerIds)
      .option('--throttle <rate>', 'replication throttle per broker, e.g. 10MB or 50MiB (bytes/s)', parseRate)
      .option('--validate-only', 'check the target without starting the move'),
    '--wait',
    'wait until the move completes, showing progress',
  ).action(
    run((context, command) => {
      const o = command.opts<{
        topic: string;
        partition: number;
        replicas: number[];
        throttle?: number;
        validateOnly?: boolean;
        wait?: boolean;
      }>();
      return partitionsReassign(context, {
        ...waitSettings(context, command, input, o.wait),
        bootstrap: bootstrapOf(command),
        topic: o.topic,
        partition: o.partition,
        replicas: o.replicas,
        validateOnly: o.validateOnly === true,
        ...(o.throttle === undefined ? {} : { throttleBytesPerSec: o.throttle }),
      });
    }),
  );
  addWaitOptions(
    partitions
      .command('plan')
      .description('plan an even spread of replicas and preferred leaders over brokers (prints the moves)')
      .requiredOption('--brokers <ids>', 'the brokers to spread over, e.g. 1,2,3,4', parseBrokerIds)
      .option('--topics <names>', 'only these topics, e.g. a,b (default: all)', parseTopicList)
      .option('--execute', 'submit the planned moves')
      .option(
        '--throttle <rate>',
        'replication throttle per broker with --execute (bytes/s, e.g. 10MB)',
        parseRate,
      ),
    '--wait',
    'with --execute: wait until the moves complete',
  ).action(
    run((context, command) => {
      const o = command.opts<{
        brokers: number[];
        topics?: string[];
        execute?: boolean;
        throttle?: number;
        wait?: boolean;
      }>();
      if (o.wait === true && o.execute !== true) usageError(command, '--wait needs --execute');
      return partitionsPlan(context, {
        ...waitSettings(context, command, input, o.wait),
        bootstrap: bootstrapOf(command),
        brokers: o.brokers,
        topics: o.topics ?? [],
        execute: o.execute === true,
        ...(o.throttle === undefined ? {} : { throttleBytesPerSec: o.throttle }),
      });
    }),
  );
  addWaitOptions(
    partitions
      .command('reassignments')
      .description('running moves: adding replicas, bytes behind (estimated), rate and ETA'),
    '--watch',
    'keep polling until every move is done (bounded by --timeout-ms, default 1 h)',
  ).action(
    run((context, command) => {
      const o = command.opts<{ watch?: boolean }>();
      return partitionsReassignments(context, {
        ...waitSettings(context, command, input, o.watch),
        bootstrap: bootstrapOf(command),
      });
    }),
  );
  addRecoveryCommands(partitions, run);
}

function addRecoveryCommands(partitions: Command, run: Runner): void {
  partitions
    .command('cancel')
    .description('cancel running moves: the partitions go back to their original replicas')
    .option('--topic <name>', 'the topic')
    .option('--partition <n>', 'the partition', parseNonNegativeInt)
    .option('--all', 'every running move')
    .action(
      run((context, command) => {
        const o = command.opts<{ topic?: string; partition?: number; all?: boolean }>();
        const one = o.topic !== undefined || o.partition !== undefined;
        if (o.all === true && one) usageError(command, 'give either --topic and --partition, or --all');
        if (o.all !== true && (o.topic === undefined || o.partition === undefined)) {
          usageError(command, 'give --topic and --partition, or --all');
        }
        return partitionsCancel(context, {
          bootstrap: bootstrapOf(command),
          all: o.all === true,
          ...(o.topic === undefined ? {} : { topic: o.topic }),
          ...(o.partition === undefined ? {} : { partition: o.partition }),
        });
      }),
    );
  partitions
    .command('elect-leaders')
    .description('move leadership back to each partition’s preferred (first) replica')
    .option('--topic <name>', 'only this topic (default: every partition)')
    .option('--partition <n>', 'only this partition of --topic', parseNonNegativeInt)
    .action(
      run((context, command) => {
        const o = command.opts<{ topic?: string; partition?: number }>();
        if (o.partition !== undefined && o.topic === undefined)
          usageError(command, '--partition needs --topic');
        return partitionsElectLeaders(context, {
          bootstrap: bootstrapOf(command),
          ...(o.topic === undefined ? {} : { topic: o.topic }),
          ...(o.partition === undefined ? {} : { partition: o.partition }),
        });
      }),
    );
}
