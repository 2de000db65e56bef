/**
 * After healing: wait until no transaction is open on any partition (read_committed's end, the last stable
 * offset, equals the high watermark: transactions of killed producers were aborted by their successor's
 * InitTransactions or by the coordinator's timeout), then read every partition from offset 0 to its end at
 * both isolation levels into the history. Every wait is bounded.
 */
import { type Consumer, TributaryClient } from '@tributary/client';
import { assert } from '@tributary/core';
import type { Cluster } from '../cluster.js';
import { waitFor } from '../wait.js';
import type { OffsetValue } from './history.js';
import { type PartitionContents, type TxnHistory, tpKey } from './txn-history.js';
import { decodeValue, TXN_WORKLOAD_LIMITS } from './txn-workloads.js';

export const FINAL_READ_LIMITS = {
  /** Longer than the transaction timeout: an open transaction of a dead producer ends within it. */
  stableTimeoutMs: TXN_WORKLOAD_LIMITS.transactionTimeoutMs * 6,
  readTimeoutMs: 60_000,
  intervalMs: 500,
  /** Fetches per partition and isolation level (the logs hold far fewer batches than this). */
  fetchesPerPartitionMax: 100_000,
} as const;

/** Partitions whose last stable offset is still below the high watermark ("topic-partition lso<hw"). */
async function openPartitions(consumer: Consumer, topics: ReadonlyMap<string, number>): Promise<string[]> {
  const open: string[] = [];
  for (const topic of topics.keys()) {
    const stable = await consumer.listOffsets(topic, undefined, 'latest', { readCommitted: true });
    const high = await consumer.listOffsets(topic, undefined, 'latest');
    for (const [partition, hw] of high) {
      const lso = stable.get(partition) ?? -1;
      if (lso < hw) open.push(`${tpKey(topic, partition)} ${lso}<${hw}`);
    }
  }
  return open;
}

/** Waits until no partition has an open transaction; returns the problem when it does not happen in time. */
export async function waitForClosedTransactions(
  cluster: Cluster,
  topics: ReadonlyMap<string, number>,
): Promise<string | undefined> {
  const client = new TributaryClient({ bootstrap: cluster.bootstrap, allowAutoTopicCreation: false });
  let last: string[] = [];
  try {
    await waitFor(
      'every transaction closed (last stable offset = high watermark)',
      async () => {
        last = await openPartitions(client.consumer(), topics);
        return last.length === 0 ? true : undefined;
      },
      { timeoutMs: FINAL_READ_LIMITS.stableTimeoutMs, intervalMs: FINAL_READ_LIMITS.intervalMs },
    );
    return undefined;
  } catch (error) {
    return `${error instanceof Error ? error.message : String(error)}; still open: ${last.join(', ')}`;
  } finally {
    client.close();
  }
}

/** One partition from offset 0 to `end` at one isolation level. */
async function readPartition(
  consumer: Consumer,
  where: { topic: string; partition: number; end: number; readCommitted: boolean },
): Promise<OffsetValue[]> {
  const records: OffsetValue[] = [];
  let offset = 0;
  for (let fetches = 0; offset < where.end; fetches++) {
    assert(fetches < FINAL_READ_LIMITS.fetchesPerPartitionMax, () => `${where.topic}: too many fetches`);
    const fetched = await consumer.fetch(where.topic, where.partition, offset, {
      readCommitted: where.readCommitted,
      maxWaitMs: 0,
    });
    for (const r of fetched.records) {
      if (r.offset < where.end) records.push({ offset: r.offset, value: decodeValue(r.value) });
    }
    // A fetch that does not move means the end was not reachable (yet): the caller's waitFor retries.
    if (fetched.nextOffset <= offset)
      throw new Error(`${tpKey(where.topic, where.partition)} stuck at ${offset}`);
    offset = fetched.nextOffset;
  }
  return records;
}

async function readAll(
  consumer: Consumer,
  topics: ReadonlyMap<string, number>,
  readCommitted: boolean,
): Promise<Map<string, OffsetValue[]>> {
  const contents = new Map<string, OffsetValue[]>();
  for (const [topic, partitions] of topics) {
    const ends = await consumer.listOffsets(topic, undefined, 'latest', { readCommitted });
    for (let partition = 0; partition < partitions; partition++) {
      const end = ends.get(partition) ?? 0;
      contents.set(
        tpKey(topic, partition),
        await readPartition(consumer, { topic, partition, end, readCommitted }),
      );
    }
  }
  return contents;
}

function sameContents(a: PartitionContents, b: PartitionContents): boolean {
  return [...a].every(([tp, records]) => b.get(tp)?.length === records.length);
}

/** Reads everything twice in a row alike (a new leader's high watermark may still be catching up). */
export async function txnFinalRead(cluster: Cluster, history: TxnHistory): Promise<void> {
  const client = new TributaryClient({ bootstrap: cluster.bootstrap, allowAutoTopicCreation: false });
  let previous: { committed: PartitionContents; uncommitted: PartitionContents } | undefined;
  try {
    history.finalRead = await waitFor(
      'a stable final read of every partition at both isolation levels',
      async () => {
        // A new Consumer per round: read_committed's aborted-producer state starts empty at offset 0.
        const committed = await readAll(client.consumer(), history.topics, true);
        const uncommitted = await readAll(client.consumer(), history.topics, false);
        const stable =
          previous !== undefined &&
          sameContents(committed, previous.committed) &&
          sameContents(uncommitted, previous.uncommitted);
        previous = { committed, uncommitted };
        return stable ? previous : undefined;
      },
      { timeoutMs: FINAL_READ_LIMITS.readTimeoutMs, intervalMs: FINAL_READ_LIMITS.intervalMs },
    );
  } finally {
    client.close();
  }
}
