/**
 * `trib transactions list | describe ID | abort ...` (Kafka's kafka-transactions.sh) through the brokers
 * (`--bootstrap`): listing asks every broker's transaction coordinator and merges, describing asks the
 * id's coordinator, and aborting writes an ABORT marker for one producer to one partition's leader, the
 * way to end a hanging transaction (docs/cli.md says how to find its producer and epochs).
 */
import {
  type AbortTransactionSpec,
  isTransactionStateName,
  type ListTransactionsOptions,
  TRANSACTION_STATES,
  type TransactionDescription,
  type TransactionListing,
  type TransactionStateName,
} from '@tributary/client';
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

export async function transactionsAbort(
  context: CommandContext,
  spec: AbortTransactionSpec,
  options: ClientCommandOptions,
): Promise<void> {
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
    .command('abort')
    .description("write an ABORT marker for a producer's open transaction on one partition (a hanging one)")
    .requiredOption('--topic <topic>', 'the partition’s topic')
    .requiredOption('--partition <p>', 'the partition', parseNonNegativeInt)
    .requiredOption('--producer-id <id>', 'the producer whose transaction to abort', parseNonNegativeInt)
    // The epochs' upper bounds are the client's (requireAbortTransactionSpec), checked before any call.
    .requiredOption('--producer-epoch <e>', 'its epoch', parseNonNegativeInt)
    .requiredOption(
      '--coordinator-epoch <c>',
      'the epoch of its transaction coordinator (a marker from an older one is refused)',
      parseNonNegativeInt,
    )
    .action(
      run((context, command) => {
        const options = command.opts<{
          topic: string;
          partition: number;
          producerId: number;
          producerEpoch: number;
          coordinatorEpoch: number;
        }>();
        if (options.topic === '') {
          command.error('error: --topic must not be empty', { exitCode: 2, code: 'trib.usage' });
        }
        return transactionsAbort(
          context,
          {
            topic: options.topic,
            partition: options.partition,
            producerId: options.producerId,
            producerEpoch: options.producerEpoch,
            coordinatorEpoch: options.coordinatorEpoch,
          },
          { bootstrap: bootstrapOf(command) },
        );
      }),
    );
}
