/**
 * Transactions with real processes (issue 14, "How it is shown"): 3 controllers + 3 brokers, RF=3, one
 * cluster for the file. What read_committed and read_uncommitted consumers see of committed, aborted and open
 * transactions, and how an operator finds an open one with DescribeProducers and ends it with
 * `trib transactions abort --start-offset`; a zombie producer (same transactional id, SIGSTOPped with a transaction open) fenced by a new
 * instance and never committing; and a read-process-write pipeline in its own process (txn/pipeline-worker.ts),
 * SIGKILLed three times and with its transaction coordinator's broker SIGKILLed once, whose output read with
 * read_committed holds every input exactly once. Every wait is bounded; no assertion is about time.
 */
import { type ProducerRecord, TributaryClient } from '@tributary/client';
import { describe, expect, it } from 'vitest';
import type { Cluster } from './cluster.js';
import { clusterPerFile } from './cluster-per-file.js';
import { trib } from './kafka/tools.js';
import type { ManagedProcess } from './managed-process.js';
import { FENCING_ERROR_CODES, TXN_E2E_LIMITS } from './txn/limits.js';
import { readTopic, readValues } from './txn/read-topic.js';
import { createTopic, transactionCoordinatorOf } from './txn/topics.js';
import { waitForEvent, workerEvents, workerProcess } from './txn/worker-process.js';
import { sleep, WaitAbortedError, waitFor } from './wait.js';

const { withCluster, onCleanup, dumpOnFailure } = clusterPerFile({ brokers: 3 });

/** Pipeline: kills of the worker, outputs committed between two kills, inputs written in all. */
const PIPELINE_KILLS = 3;
const PIPELINE_PROGRESS_PER_KILL = 120;
const PIPELINE_INPUTS_MAX = 1_200;
const INPUT_CHUNK_RECORDS = 10;
const INPUT_CHUNK_PAUSE_MS = 20;
const PIPELINE_WAIT_MS = 60_000;

function clientOf(c: Cluster): TributaryClient {
  const client = new TributaryClient({ bootstrap: c.bootstrap });
  onCleanup(() => client.close());
  return client;
}

function values(prefix: string, count: number, partitions: number): ProducerRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    value: `${prefix}-${index}`,
    partition: index % partitions,
  }));
}

const sorted = (list: readonly string[]): string[] => [...list].sort();
const named = (records: readonly ProducerRecord[]): string[] => records.map((r) => String(r.value));

describe('transactions (real processes, RF=3)', () => {
  it('read_committed never sees aborted or open transactions; read_uncommitted sees them', async () => {
    await withCluster(async (c) => {
      const topic = 'txn-visibility';
      await createTopic(c, topic, 2);
      const client = clientOf(c);
      const producer = client.producer({ transactionalId: 'visibility-1' });
      const plain = client.producer();

      const committed1 = values('c1', 20, 2);
      const aborted = values('a1', 20, 2);
      const between = values('p1', 4, 2);
      const committed2 = values('c2', 20, 2);
      let txn = await producer.transaction();
      await txn.send(topic, committed1);
      await txn.commit();
      txn = await producer.transaction();
      await txn.send(topic, aborted);
      await txn.abort();
      await plain.send(topic, between);
      txn = await producer.transaction();
      await txn.send(topic, committed2);
      await txn.commit();

      // An open transaction holds back read_committed at its first offset (the last stable offset), even
      // for non-transactional records written after it.
      const open = values('o1', 10, 2);
      const afterOpen = values('p2', 4, 2);
      txn = await producer.transaction();
      await txn.send(topic, open);
      await plain.send(topic, afterOpen);
      const visible = named([...committed1, ...between, ...committed2]);
      expect(sorted(await readValues(client, topic, { readCommitted: true }))).toEqual(sorted(visible));
      const everything = named([...committed1, ...aborted, ...between, ...committed2, ...open, ...afterOpen]);
      expect(sorted(await readValues(client, topic, { readCommitted: false }))).toEqual(sorted(everything));

      // An operator's view (kafka-transactions.sh describe-producers): each partition's leader shows the
      // producer with its open transaction's first offset. Per partition: c1 (10 records) and its COMMIT
      // marker, a1 (10) and its ABORT marker, p1 (2), c2 (10) and its COMMIT marker: 0..34, so o1 starts at 35.
      const described = await client.admin().describeProducers([
        { topic, partition: 0 },
        { topic, partition: 1 },
      ]);
      const openAt = described.map((partition) => {
        expect(partition.error).toBeNull();
        const starts = partition.activeProducers.flatMap((p) =>
          p.currentTransactionStartOffset === null ? [] : [p.currentTransactionStartOffset],
        );
        expect(starts).toEqual([35]);
        return { partition: partition.partition, startOffset: starts[0] ?? -1 };
      });
      // ... and ends it by that offset alone (`abort --start-offset`), as for a hanging transaction.
      for (const { partition, startOffset } of openAt) {
        await trib([
          ...['--bootstrap', c.bootstrap.join(','), '--timeout-ms', '20000', 'transactions', 'abort'],
          ...['--topic', topic, '--partition', String(partition), '--start-offset', String(startOffset)],
        ]);
      }
      expect(sorted(await readValues(client, topic, { readCommitted: true }))).toEqual(
        sorted([...visible, ...named(afterOpen)]),
      );
      const after = await client.admin().describeProducers([{ topic, partition: 0 }]);
      expect(after[0]?.activeProducers.every((p) => p.currentTransactionStartOffset === null)).toBe(true);

      // The coordinator still has the transaction open: its own abort writes a second, harmless marker.
      await txn.abort();
      expect(sorted(await readValues(client, topic, { readCommitted: true }))).toEqual(
        sorted([...visible, ...named(afterOpen)]),
      );
      expect(sorted(await readValues(client, topic, { readCommitted: false }))).toEqual(sorted(everything));
    });
  });

  it('a zombie (same transactional id, SIGSTOPped mid-transaction) is fenced and never commits', async () => {
    await withCluster(async (c) => {
      const topic = 'txn-zombie';
      const transactionalId = 'zombie-1';
      await createTopic(c, topic, 2);
      const client = clientOf(c);
      const zombie = workerProcess('zombie-producer', 'z1', [
        ...['--bootstrap', c.bootstrap.join(','), '--topic', topic],
        ...['--transactional-id', transactionalId, '--prefix', 'z1', '--partitions', '2'],
      ]);
      onCleanup(() => zombie.kill('SIGKILL'));
      dumpOnFailure(zombie);
      zombie.start();
      await waitForEvent(zombie, 'sent');
      zombie.pause();

      // A new instance: InitTransactions fences the paused one (its open transaction is aborted).
      const producer = client.producer({ transactionalId });
      await producer.initTransactions();
      const txn = await producer.transaction();
      const successor = values('z2', 20, 2);
      await txn.send(topic, successor);
      await txn.commit();

      zombie.resume();
      const pid = zombie.pid;
      if (pid === undefined) throw new Error('the zombie is gone');
      process.kill(pid, 'SIGUSR1');
      await waitForEvent(zombie, 'done');
      const steps = workerEvents(zombie).filter((e) => e.event === 'step');
      expect(steps.map((s) => [s.step, s.ok])).toEqual([
        ['send', false],
        ['commit', false],
      ]);
      for (const s of steps) expect(FENCING_ERROR_CODES, JSON.stringify(s)).toContain(s.code);

      const committed = await readValues(client, topic, { readCommitted: true });
      expect(sorted(committed)).toEqual(sorted(named(successor)));
      const uncommitted = await readValues(client, topic, { readCommitted: false });
      // Its first writes reached the log (and were aborted); its writes after the fence were refused.
      expect(uncommitted.filter((v) => v.startsWith('z1-early-'))).toHaveLength(30);
      expect(uncommitted.filter((v) => v.startsWith('z1-late-'))).toEqual([]);
    });
  });

  it('a read-process-write pipeline SIGKILLed repeatedly, and a broker, outputs every input exactly once', async () => {
    await withCluster(async (c) => {
      const input = 'eo-input';
      const output = 'eo-output';
      const transactionalId = 'eo-pipeline';
      await createTopic(c, input, 3);
      await createTopic(c, output, 3);
      const client = clientOf(c);
      const inputs = new InputWriter(client, input);
      onCleanup(() => inputs.stop());
      const pipeline = new Pipeline(
        workerProcess('pipeline-worker', 'pl', [
          ...['--bootstrap', c.bootstrap.join(','), '--input', input, '--output', output],
          ...['--group', 'eo-group', '--transactional-id', transactionalId],
        ]),
      );
      onCleanup(() => pipeline.worker.kill('SIGKILL'));
      dumpOnFailure(pipeline.worker);
      const outputsAtLeast = (count: number) =>
        waitFor(
          `${count} outputs committed`,
          async () => {
            pipeline.keepRunning();
            const committed = await readValues(client, output, { readCommitted: true });
            return committed.length >= count ? committed : undefined;
          },
          { timeoutMs: PIPELINE_WAIT_MS, intervalMs: 250 },
        );

      pipeline.worker.start();
      for (let kill = 1; kill <= PIPELINE_KILLS; kill++) {
        await outputsAtLeast(kill * PIPELINE_PROGRESS_PER_KILL);
        await pipeline.worker.kill('SIGKILL');
        if (kill !== 2) {
          pipeline.worker.start();
          continue;
        }
        // Once, the broker coordinating the pipeline's transactions dies with it, and comes back later.
        const coordinator = c.broker(await transactionCoordinatorOf(c, transactionalId));
        await coordinator.kill('SIGKILL');
        pipeline.worker.start();
        await outputsAtLeast(kill * PIPELINE_PROGRESS_PER_KILL + PIPELINE_PROGRESS_PER_KILL / 2);
        await coordinator.restart();
        await c.waitForUnfencedBrokers();
      }
      await inputs.stop();
      const written = await readTopic(client, input, { readCommitted: false });
      expect(new Set(written.map((r) => r.value)).size).toBe(written.length);
      await outputsAtLeast(written.length);
      await pipeline.worker.kill('SIGTERM');

      const expected = written.map((r) => `${r.value}@${r.partition}:${r.offset}`);
      const outputs = await readValues(client, output, { readCommitted: true });
      const counts = new Map<string, number>();
      for (const value of outputs) counts.set(value, (counts.get(value) ?? 0) + 1);
      expect(
        [...counts].filter(([, n]) => n > 1),
        'outputs committed twice',
      ).toEqual([]);
      expect(
        expected.filter((value) => !counts.has(value)),
        'inputs without a committed output',
      ).toEqual([]);
      expect(sorted(outputs)).toEqual(sorted(expected));
      const all = await readValues(client, output, { readCommitted: false });
      console.log(
        `pipeline: ${written.length} inputs, ${outputs.length} committed outputs, ` +
          `${all.length - outputs.length} aborted outputs, ${PIPELINE_KILLS} kills, ` +
          `${pipeline.restarts} restarts after a failure, ${inputs.failures} input sends failed`,
      );
    });
  }, 240_000);
});

/** The pipeline's process, restarted (a bounded number of times) when it exits on its own after an error. */
class Pipeline {
  restarts = 0;

  constructor(readonly worker: ManagedProcess) {}

  keepRunning(): void {
    if (this.worker.isRunning) return;
    if (this.restarts >= TXN_E2E_LIMITS.pipelineRestartsMax) {
      const failures = workerEvents(this.worker).filter((e) => e.event === 'failed');
      throw new WaitAbortedError(
        `the pipeline failed ${this.restarts + 1} times: ${JSON.stringify(failures.slice(-3))}`,
      );
    }
    this.restarts++;
    this.worker.start();
  }
}

/** Writes the pipeline's inputs in the background (idempotent, acks=all), keyed over 16 keys. */
class InputWriter {
  failures = 0;
  #stopped = false;
  readonly #done: Promise<void>;

  constructor(client: TributaryClient, topic: string) {
    const producer = client.producer({ deliveryTimeoutMs: 60_000 });
    this.#done = this.#run(producer, topic);
  }

  async #run(producer: ReturnType<TributaryClient['producer']>, topic: string): Promise<void> {
    for (let next = 0; next < PIPELINE_INPUTS_MAX && !this.#stopped; next += INPUT_CHUNK_RECORDS) {
      const chunk = Array.from({ length: INPUT_CHUNK_RECORDS }, (_, index) => ({
        key: `k${(next + index) % 16}`,
        value: `in-${next + index}`,
      }));
      try {
        await producer.send(topic, chunk);
      } catch {
        // Its records may or may not be in the input: the check reads the input back.
        this.failures++;
      }
      await sleep(INPUT_CHUNK_PAUSE_MS);
    }
  }

  stop(): Promise<void> {
    this.#stopped = true;
    return this.#done;
  }
}
