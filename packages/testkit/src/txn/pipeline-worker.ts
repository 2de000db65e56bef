/**
 * The exactly-once read-process-write pipeline of transactions.test.ts, as its own process so that the test
 * can SIGKILL it mid-transaction (issue 14, "How it is shown"). Run from dist:
 *
 *   node dist/txn/pipeline-worker.js --bootstrap H:P,... --input A --output B --group G --transactional-id T
 *
 * A group member reads A with read_committed; each fetched batch of one partition becomes one transaction:
 * one output record per input (value `<input value>@<partition>:<offset>`, same key) to B, the input
 * position as the group's offset (sendOffsets with the member's id and epoch, KIP-447), commit. A failed
 * transaction is aborted and the process exits 1: positions after a failure are the committed ones only
 * after a restart (the test restarts it). SIGTERM leaves the group and exits 0. Prints one JSON line per
 * event (`ready`, `committed`, `failed`).
 */
import { parseArgs } from 'node:util';
import { type EachBatchPayload, type Producer, TributaryClient } from '@tributary/client';
import { TributaryError } from '@tributary/core';
import { TXN_E2E_LIMITS } from './limits.js';

interface PipelineArgs {
  readonly bootstrap: string[];
  readonly input: string;
  readonly output: string;
  readonly group: string;
  readonly transactionalId: string;
}

function parse(): PipelineArgs {
  const { values } = parseArgs({
    options: {
      bootstrap: { type: 'string' },
      input: { type: 'string' },
      output: { type: 'string' },
      group: { type: 'string' },
      'transactional-id': { type: 'string' },
    },
  });
  const { bootstrap, input, output, group } = values;
  const transactionalId = values['transactional-id'];
  if (bootstrap === undefined || input === undefined || output === undefined || group === undefined) {
    throw new Error('--bootstrap, --input, --output and --group are required');
  }
  if (transactionalId === undefined) throw new Error('--transactional-id is required');
  return { bootstrap: bootstrap.split(','), input, output, group, transactionalId };
}

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

const text = (bytes: Uint8Array | null): string =>
  bytes === null ? '' : Buffer.from(bytes).toString('utf8');

/** One input batch (one partition) in one transaction: outputs, the group's offset, commit. */
async function processBatch(
  args: PipelineArgs,
  producer: Producer,
  { batch, groupMetadata }: EachBatchPayload,
): Promise<void> {
  const last = batch.messages[batch.messages.length - 1];
  if (last === undefined) return;
  const txn = await producer.transaction();
  try {
    await txn.send({
      topic: args.output,
      messages: batch.messages.map((message) => ({
        key: message.key,
        value: `${text(message.value)}@${batch.partition}:${message.offset}`,
      })),
    });
    await txn.sendOffsets({
      consumerGroupId: args.group,
      topics: [{ topic: args.input, partitions: [{ partition: batch.partition, offset: last.offset + 1 }] }],
      consumer: groupMetadata(),
    });
    await txn.commit();
  } catch (error) {
    if (txn.isActive()) await txn.abort().catch(() => undefined);
    throw error;
  }
  emit({
    event: 'committed',
    partition: batch.partition,
    records: batch.messages.length,
    next: last.offset + 1,
  });
}

async function main(): Promise<void> {
  const args = parse();
  const client = new TributaryClient({ bootstrap: args.bootstrap, clientId: 'pipeline-worker' });
  const producer = client.producer({
    transactionalId: args.transactionalId,
    transactionTimeoutMs: TXN_E2E_LIMITS.pipelineTransactionTimeoutMs,
    deliveryTimeoutMs: TXN_E2E_LIMITS.operationTimeoutMs,
  });
  // Fences the previous instance and has its open transaction aborted before this one reads anything.
  await producer.initTransactions();
  const consumer = client.consumer({
    groupId: args.group,
    readCommitted: true,
    fromBeginning: true,
    autoCommit: false,
    sessionTimeoutMs: TXN_E2E_LIMITS.pipelineSessionTimeoutMs,
  });
  consumer.subscribe({ topics: [args.input] });
  process.once('SIGTERM', () => {
    void consumer.close().finally(() => {
      client.close();
      process.exit(0);
    });
  });
  emit({ event: 'ready', memberId: consumer.memberId });
  await consumer.run({ eachBatch: (payload) => processBatch(args, producer, payload) });
}

main().catch((error: unknown) => {
  const code = error instanceof TributaryError ? error.code : '';
  emit({ event: 'failed', code, message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
