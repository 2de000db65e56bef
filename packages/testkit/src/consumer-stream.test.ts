/**
 * The consumer on FetchStream against real processes (issue 15): 3 controllers + 3 brokers, RF=3, acks=all.
 * A packages/client consumer reads two partitions over the brokers' FetchStreams (it makes no unary Fetch
 * call) while a raw-protocol producer writes with acks=all; the leader of partition 0 is SIGKILLed (its
 * streams break with the connection) and restarted, then the leader of partition 1 is stopped with SIGTERM
 * (the broker shuts its streams down) and restarted. The consumer fails over each time, and every record it
 * read is the log's, in offset order with no gap or repeat, covering every acknowledged record at its
 * acknowledged offset. Every wait is bounded; failures print every process's log tail.
 */
import * as grpc from '@grpc/grpc-js';
import { TributaryClient } from '@tributary/client';
import { describe, expect, it } from 'vitest';
import { AckedProducer, checkAckedHistory, readBack } from './acked-history.js';
import type { Cluster } from './cluster.js';
import { clusterPerTest } from './cluster-per-test.js';
import type { TopicInfo } from './rpc.js';
import { waitFor } from './wait.js';

const TOPIC = 'stream-failover';
const PARTITIONS = 2;
const RECOVERY_TIMEOUT_MS = 30_000;
const FETCH_STREAM_PATH = '/tributary.v1.Broker/FetchStream';
const FETCH_PATH = '/tributary.v1.Broker/Fetch';

const { withCluster, onCleanup } = clusterPerTest();

async function describeTopic(c: Cluster): Promise<TopicInfo> {
  const { topics } = await c.quorum.admin().admin('DescribeTopics', { names: [TOPIC] });
  const topic = topics[0];
  if (topic === undefined) throw new Error(`no topic ${TOPIC}`);
  return topic;
}

async function createTopic(c: Cluster): Promise<void> {
  await c.quorum.admin().admin('CreateTopic', {
    name: TOPIC,
    partitions: PARTITIONS,
    replicationFactor: 3,
    configs: [],
  });
  await waitFor(
    `${TOPIC} led on the brokers`,
    async () => {
      const metadata = await c.brokers[0]?.metadata();
      const topic = metadata?.topics.find((t) => t.topic?.name === TOPIC)?.topic;
      return topic?.partitions.length === PARTITIONS && topic.partitions.every((p) => p.leader >= 0)
        ? true
        : undefined;
    },
    { timeoutMs: 15_000 },
  );
}

/** Kills (or stops) the leader of `partition`, waits for another leader, restarts it and waits for the ISR. */
async function bounceLeader(
  c: Cluster,
  sender: AckedProducer,
  partition: number,
  signal: 'SIGKILL' | 'SIGTERM',
): Promise<void> {
  const before = (await describeTopic(c)).partitions[partition];
  const victimId = before?.leader ?? -1;
  const epochBefore = before?.leaderEpoch ?? 0;
  const victim = c.broker(victimId);
  await victim.kill(signal);
  await waitFor(
    `partition ${partition} led elsewhere with a higher leader epoch`,
    async () => {
      const now = (await describeTopic(c)).partitions[partition];
      return now !== undefined && now.leader >= 0 && now.leader !== victimId && now.leaderEpoch > epochBefore
        ? true
        : undefined;
    },
    { timeoutMs: RECOVERY_TIMEOUT_MS },
  );
  await sender.waitForAcks(40, RECOVERY_TIMEOUT_MS);
  await victim.restart();
  await waitFor(
    `broker ${victimId} back in every ISR`,
    async () =>
      (await describeTopic(c)).partitions.every((p) => p.isr.includes(victimId)) ? true : undefined,
    { timeoutMs: RECOVERY_TIMEOUT_MS },
  );
  await sender.waitForAcks(20, RECOVERY_TIMEOUT_MS);
}

describe('the consumer on FetchStream (real processes, RF=3, acks=all)', () => {
  it('fails over when a leader is killed or stopped, and reads every acknowledged record once, in order', {
    timeout: 240_000,
  }, async () => {
    await withCluster(async (c) => {
      await createTopic(c);
      // Counts the calls the consumer's client opens, by method.
      const calls = new Map<string, number>();
      const counting: grpc.Interceptor = (options, nextCall) => {
        const path = options.method_definition.path;
        calls.set(path, (calls.get(path) ?? 0) + 1);
        return new grpc.InterceptingCall(nextCall(options));
      };
      const client = new TributaryClient({
        bootstrap: c.bootstrap,
        timeoutMs: 10_000,
        interceptors: [counting],
      });
      onCleanup(() => client.close());

      const consumed = new Map<number, { offset: number; value: string }[]>();
      for (let partition = 0; partition < PARTITIONS; partition++) consumed.set(partition, []);
      const stop = new AbortController();
      const consuming = (async () => {
        const chunks = client.consumer().consume(TOPIC, {
          from: new Map(Array.from({ length: PARTITIONS }, (_, partition) => [partition, 0])),
          signal: stop.signal,
          maxWaitMs: 500,
        });
        for await (const chunk of chunks) {
          for (const record of chunk) {
            const value = Buffer.from(record.value ?? []).toString();
            consumed.get(record.partition)?.push({ offset: record.offset, value });
          }
        }
      })();
      onCleanup(async () => {
        stop.abort();
        await consuming.catch(() => undefined);
      });

      const sender = new AckedProducer({ bootstrap: c.bootstrap, topic: TOPIC, partitions: PARTITIONS });
      onCleanup(() => sender.stop());
      sender.start();
      await sender.waitForAcks(40, 20_000);

      await bounceLeader(c, sender, 0, 'SIGKILL');
      await bounceLeader(c, sender, 1, 'SIGTERM');
      await sender.stop();

      const acked = sender.acked;
      const lastAcked = new Map<number, number>();
      for (const record of acked) {
        lastAcked.set(record.partition, Math.max(lastAcked.get(record.partition) ?? -1, record.offset));
      }
      await waitFor(
        'the consumer past every acknowledged offset',
        async () =>
          [...lastAcked].every(([partition, offset]) => {
            const read = consumed.get(partition) ?? [];
            return (read[read.length - 1]?.offset ?? -1) >= offset;
          })
            ? true
            : undefined,
        { timeoutMs: RECOVERY_TIMEOUT_MS },
      );
      stop.abort();
      await consuming;

      expect(checkAckedHistory(acked, consumed)).toEqual([]);
      // What the consumer read is the log itself, from offset 0 on: no gap, no repeat, no record the log lost.
      const log = await readBack(c.bootstrap, TOPIC, PARTITIONS);
      for (let partition = 0; partition < PARTITIONS; partition++) {
        const read = consumed.get(partition) ?? [];
        expect(read).toEqual((log.get(partition) ?? []).slice(0, read.length));
      }
      expect(acked.length).toBeGreaterThanOrEqual(160);
      expect(calls.get(FETCH_STREAM_PATH) ?? 0).toBeGreaterThanOrEqual(1);
      expect(calls.get(FETCH_PATH) ?? 0).toBe(0);
    });
  });
});
