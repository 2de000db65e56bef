/**
 * `trib transactions list | describe ID | describe-producers | abort ...` (Kafka's kafka-transactions.sh)
 * through the brokers (`--bootstrap`): listing asks every broker's transaction coordinator and merges,
 * describing asks the id's coordinator, describe-producers asks a partition's leader which producers it
 * remembers (DescribeProducers), and aborting writes an ABORT marker for one producer to one partition's
 * leader, the way to end a hanging transaction. The producer is named either explicitly (its id and
 * epochs) or, as kafka-transactions.sh allows, by the offset its open transaction started at, which
 * DescribeProducers turns into the id and epochs.
 */

import {
  type AbortTransactionSpec,
  type ActiveProducerDescription,
  isTransactionStateName,
  type ListTransactionsOptions,
  type TopicPartitionRef,
  TRANSACTION_STATES,
  type TransactionDescription,
  type TransactionListing,
  type TransactionStateName,
} from '@tributary/client';
import { isErrorCode, TributaryError } from '@tributary/core';
import { type Command, InvalidArgumentError } from 'commander';
import { parseNonNegativeInt } from '../args.js';
import { type CommandContext, withAdmin } from '../context.js';
import { formatTable, jsonLine } from '../format.js';
import type { Runner } from '../program.js';
import type { ClientCommandOptions } from './produce.js';

/** Collects repeated `--state S`, each one of Kafka's transaction states. */
export function collectState(
  value: string,
  previous: readonly TransactionStateName[] = [],
): TransactionStateName[] {
  if (!isTransactionStateName(value)) {
    throw new InvalidArgumentError(`expected one of ${TRANSACTION_STATES.join(', ')}.`);
  }
  return [...previous, value];
}

/** Collects repeated `--producer-id N`. */
export function collectProducerId(value: string, previous: readonly number[] = []): number[] {
  return [...previous, parseNonNegativeInt(value)];
}

export function formatTransactionList(transactions: readonly TransactionListing[]): string[] {
  return formatTable(
    ['TRANSACTIONAL ID', 'COORDINATOR', 'PRODUCER ID', 'STATE'],
    transactions.map((t) => [t.transactionalId, String(t.coordinatorId), String(t.producerId), t.state]),
  );
}

/** A summary line (with how long the open transaction has run, by `nowMs`) and its partitions. */
export function formatTransactionDescription(txn: TransactionDescription, nowMs: number): string[] {
  const started =
    txn.transactionStartTimeMs === null
      ? 'no open transaction'
      : `started ${new Date(txn.transactionStartTimeMs).toISOString()} ` +
        `(${Math.max(0, nowMs - txn.transactionStartTimeMs)} ms ago)`;
  const summary =
    `transaction ${txn.transactionalId}  state ${txn.state}  producer ${txn.producerId} ` +
    `epoch ${txn.producerEpoch}  coordinator ${txn.coordinatorId}  timeout ${txn.transactionTimeoutMs} ms  ` +
    started;
  if (txn.partitions.length === 0) return [summary];
  const partitions = formatTable(
    ['TOPIC', 'PARTITIONS'],
    txn.partitions.map((t) => [t.topic, t.partitions.join(',')]),
  );
  return [summary, ...partitions];
}

/** Kafka's describe-producers table: -1 for what a producer lacks, "None" for no open transaction. */
export function formatProducerTable(producers: readonly ActiveProducerDescription[]): string[] {
  return formatTable(
    [
      'ProducerId',
      'ProducerEpoch',
      'LatestCoordinatorEpoch',
      'LastSequence',
      'LastTimestamp',
      'CurrentTransactionStartOffset',
    ],
    producers.map((p) => [
      String(p.producerId),
      String(p.producerEpoch),
      String(p.coordinatorEpoch ?? -1),
      String(p.lastSequence ?? -1),
      String(p.lastTimestampMs ?? -1),
      p.currentTransactionStartOffset === null ? 'None' : String(p.currentTransactionStartOffset),
    ]),
  );
}

/**
 * The ABORT for the producer whose open transaction on the partition started at `startOffset`, as
 * kafka-transactions.sh builds it: that producer's id and epoch, and the coordinator epoch of its last
 * marker (0 when it never had one: the leader then accepts every coordinator epoch). No such producer: a
 * RESOURCE_NOT_FOUND naming the open transactions there are.
 */
export function abortSpecAt(
  where: TopicPartitionRef,
  producers: readonly ActiveProducerDescription[],
  startOffset: number,
): AbortTransactionSpec {
  const producer = producers.find((p) => p.currentTransactionStartOffset === startOffset);
  if (producer === undefined) {
    const open = producers
      .map((p) => p.currentTransactionStartOffset)
      .filter((offset): offset is number => offset !== null)
      .sort((a, b) => a - b);
    throw new TributaryError(
      'RESOURCE_NOT_FOUND',
      `no open transaction on ${where.topic}-${where.partition} starts at offset ${startOffset} ` +
        (open.length === 0 ? '(none is open there)' : `(open ones start at ${open.join(', ')})`),
    );
  }
  return {
    topic: where.topic,
    partition: where.partition,
    producerId: producer.producerId,
    producerEpoch: producer.producerEpoch,
    coordinatorEpoch: producer.coordinatorEpoch ?? 0,
  };
}

/** The flags of `trib transactions abort`, as commander parsed them. */
export interface AbortFlags {
  readonly topic: string;
  readonly partition: number;
  readonly producerId?: number;
  readonly producerEpoch?: number;
  readonly coordinatorEpoch?: number;
  readonly startOffset?: number;
}

/** Which form of abort the flags name, or the usage error (one line) when they name neither or both. */
export type AbortForm =
  | { readonly kind: 'explicit'; readonly spec: AbortTransactionSpec }
  | { readonly kind: 'start-offset'; readonly where: TopicPartitionRef; readonly startOffset: number }
  | { readonly kind: 'usage'; readonly message: string };

const EXPLICIT_FLAGS = ['--producer-id', '--producer-epoch', '--coordinator-epoch'] as const;

export function abortFormOf(flags: AbortFlags): AbortForm {
  if (flags.topic === '') return { kind: 'usage', message: 'error: --topic must not be empty' };
  const explicit = [flags.producerId, flags.producerEpoch, flags.coordinatorEpoch];
  const given = EXPLICIT_FLAGS.filter((_, i) => explicit[i] !== undefined);
  const where = { topic: flags.topic, partition: flags.partition };
  if (flags.startOffset !== undefined) {
    if (given.length > 0) {
      return {
        kind: 'usage',
        message: `error: --start-offset cannot be combined with ${given.join(', ')}: name the producer one way`,
      };
    }
    return { kind: 'start-offset', where, startOffset: flags.startOffset };
  }
  const { producerId, producerEpoch, coordinatorEpoch } = flags;
  if (producerId === undefined || producerEpoch === undefined || coordinatorEpoch === undefined) {
    const missing = EXPLICIT_FLAGS.filter((_, i) => explicit[i] === undefined);
    return {
      kind: 'usage',
      message: `error: abort needs --start-offset, or ${EXPLICIT_FLAGS.join(', ')} (missing ${missing.join(', ')})`,
    };
  }
  return { kind: 'explicit', spec: { ...where, producerId, producerEpoch, coordinatorEpoch } };
}

export async function transactionsList(
  context: CommandContext,
  options: ClientCommandOptions & { readonly filters: ListTransactionsOptions },
): Promise<void> {
  const transactions = await withAdmin(context, options.bootstrap, (admin) =>
    admin.listTransactions(options.filters, { deadlineMs: context.options.timeoutMs }),
  );
  if (context.options.json) context.io.out(jsonLine({ transactions }));
  else for (const line of formatTransactionList(transactions)) context.io.out(line);
}

/** One JSON line `{transactions: [...]}`, or each id's summary and partitions, in the order asked. */
export async function transactionsDescribe(
  context: CommandContext,
  transactionalIds: readonly string[],
  options: ClientCommandOptions,
): Promise<void> {
  const transactions = await withAdmin(context, options.bootstrap, (admin) =>
    admin.describeTransactions(transactionalIds, { deadlineMs: context.options.timeoutMs }),
  );
  if (context.options.json) {
    context.io.out(jsonLine({ transactions }));
    return;
  }
  const nowMs = context.io.clock.wallMs();
  for (const txn of transactions) {
    for (const line of formatTransactionDescription(txn, nowMs)) context.io.out(line);
  }
}

/** One JSON line `{topic, partition, leaderId, activeProducers}`, or Kafka's table. */
export async function transactionsDescribeProducers(
  context: CommandContext,
  where: TopicPartitionRef,
  options: ClientCommandOptions,
): Promise<void> {
  const producers = await describeProducersOf(context, where, options);
  if (context.options.json) context.io.out(jsonLine({ ...where, activeProducers: producers }));
  else for (const line of formatProducerTable(producers)) context.io.out(line);
}

/** The partition's producers from its leader; a partition-level error fails the command. */
async function describeProducersOf(
  context: CommandContext,
  where: TopicPartitionRef,
  options: ClientCommandOptions,
): Promise<readonly ActiveProducerDescription[]> {
  const [described] = await withAdmin(context, options.bootstrap, (admin) =>
    admin.describeProducers([where], { deadlineMs: context.options.timeoutMs }),
  );
  if (described === undefined) {
    throw new TributaryError('UNKNOWN', `no answer for ${where.topic}-${where.partition}`);
  }
  if (described.error !== null) {
    throw new TributaryError(
      isErrorCode(described.error.code) ? described.error.code : 'UNKNOWN',
      `${where.topic}-${where.partition}: ${described.error.message}`,
    );
  }
  return described.activeProducers;
}

export async function transactionsAbort(
  context: CommandContext,
  form: Exclude<AbortForm, { kind: 'usage' }>,
  options: ClientCommandOptions,
): Promise<void> {
  const spec =
    form.kind === 'explicit'
      ? form.spec
      : abortSpecAt(form.where, await describeProducersOf(context, form.where, options), form.startOffset);
  await withAdmin(context, options.bootstrap, (admin) =>
    admin.abortTransaction(spec, { deadlineMs: context.options.timeoutMs }),
  );
  if (context.options.json) context.io.out(jsonLine({ aborted: spec }));
  else {
    context.io.out(
      `aborted the transaction of producer ${spec.producerId} (epoch ${spec.producerEpoch}) on ` +
        `${spec.topic}-${spec.partition}`,
    );
  }
}

/** Registers `trib transactions ...` on the program (wired from program.ts). */
export function addTransactionCommands(program: Command, run: Runner): void {
  const bootstrapOf = (command: Command): string[] =>
    command.optsWithGlobals<{ bootstrap: string[] }>().bootstrap;
  const transactions = program
    .command('transactions')
    .description('transactions: list, describe, abort a hanging one (kafka-transactions.sh)');
  transactions
    .command('list')
    .description('every transactional id the coordinators know, with its producer id and state')
    .option('--state <state>', `only this state (repeatable): ${TRANSACTION_STATES.join(', ')}`, collectState)
    .option('--producer-id <id>', 'only this producer id (repeatable)', collectProducerId)
    .option('--duration-ms <ms>', 'only transactions open longer than this', parseNonNegativeInt)
    .action(
      run((context, command) => {
        const options = command.opts<{
          state?: TransactionStateName[];
          producerId?: number[];
          durationMs?: number;
        }>();
        return transactionsList(context, {
          bootstrap: bootstrapOf(command),
          filters: {
            ...(options.state === undefined ? {} : { states: options.state }),
            ...(options.producerId === undefined ? {} : { producerIds: options.producerId }),
            ...(options.durationMs === undefined ? {} : { durationMs: options.durationMs }),
          },
        });
      }),
    );
  transactions
    .command('describe <transactional-id...>')
    .description('state, producer id and epoch, timeout, start time and partitions of each transactional id')
    .action(
      run((context, command) =>
        transactionsDescribe(context, command.args.map(String), { bootstrap: bootstrapOf(command) }),
      ),
    );
  transactions
    .command('describe-producers')
    .description("the producers a partition's leader remembers, with their open transaction's start offset")
    .requiredOption('--topic <topic>', 'the partition’s topic')
    .requiredOption('--partition <p>', 'the partition', parseNonNegativeInt)
    .action(
      run((context, command) => {
        const options = command.opts<{ topic: string; partition: number }>();
        if (options.topic === '') {
          command.error('error: --topic must not be empty', { exitCode: 2, code: 'trib.usage' });
        }
        return transactionsDescribeProducers(
          context,
          { topic: options.topic, partition: options.partition },
          { bootstrap: bootstrapOf(command) },
        );
      }),
    );
  transactions
    .command('abort')
    .description(
      "write an ABORT marker for a producer's open transaction on one partition (a hanging one): name the " +
        'producer by --start-offset, or by --producer-id, --producer-epoch and --coordinator-epoch',
    )
    .requiredOption('--topic <topic>', 'the partition’s topic')
    .requiredOption('--partition <p>', 'the partition', parseNonNegativeInt)
    .option(
      '--start-offset <o>',
      'the offset the open transaction started at (describe-producers shows it)',
      parseNonNegativeInt,
    )
    .option('--producer-id <id>', 'the producer whose transaction to abort', parseNonNegativeInt)
    // The epochs' upper bounds are the client's (requireAbortTransactionSpec), checked before any call.
    .option('--producer-epoch <e>', 'its epoch', parseNonNegativeInt)
    .option(
      '--coordinator-epoch <c>',
      'the epoch of its transaction coordinator (a marker from an older one is refused)',
      parseNonNegativeInt,
    )
    .action(
      run((context, command) => {
        const form = abortFormOf(command.opts<AbortFlags>());
        if (form.kind === 'usage') {
          return command.error(form.message, { exitCode: 2, code: 'trib.usage' });
        }
        return transactionsAbort(context, form, { bootstrap: bootstrapOf(command) });
      }),
    );
}
