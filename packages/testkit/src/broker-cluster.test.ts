/**
 * Brokers with real processes (issue 3, "how it is shown"): 3 controllers + 3 brokers on 127.0.0.1, RF=3,
 * acks=all. Every wait is bounded; the cluster is always stopped; failures print every process's log tail.
 */
import { describe, expect, it } from 'vitest';
import { AckedProducer, checkAckedHistory, readBack } from './acked-history.js';
import type { Cluster } from './cluster.js';
import { clusterPerTest } from './cluster-per-test.js';
import type { TopicInfo } from './rpc.js';
import { waitFor } from './wait.js';

const RECOVERY_TIMEOUT_MS = 30_000;

const { withCluster, onCleanup } = clusterPerTest();

async function createTopic(
  c: Cluster,
  name: string,
  partitions: number,
  configs: Record<string, string> = {},
) {
  const admin = c.quorum.admin();
  await admin.admin('CreateTopic', {
    name,
    partitions,
    replicationFactor: 3,
    configs: Object.entries(configs).map(([key, value]) => ({ name: key, value })),
  });
  // Wait until every partition has a leader that the brokers know about.
  await waitFor(
    `${name} led on the brokers`,
    async () => {
      const metadata = await c.brokers[0]?.metadata();
      const topic = metadata?.topics.find((t) => t.topic?.name === name)?.topic;
      return topic !== undefined &&
        topic !== null &&
        topic.partitions.length === partitions &&
        topic.partitions.every((p) => p.leader >= 0)
        ? true
        : undefined;
    },
    { timeoutMs: 15_000 },
  );
}

async function describe1(c: Cluster, name: string): Promise<TopicInfo> {
  const { topics } = await c.quorum.admin().admin('DescribeTopics', { names: [name] });
  const topic = topics[0];
  if (topic === undefined) throw new Error(`no topic ${name}`);
  return topic;
}

function startProducer(c: Cluster, topic: string, partitions: number): AckedProducer {
  const started = new AckedProducer({ bootstrap: c.bootstrap, topic, partitions });
  onCleanup(() => started.stop());
  started.start();
  return started;
}

function waitForTopic(c: Cluster, name: string, what: string, test: (topic: TopicInfo) => boolean) {
  return waitFor(
    what,
    async () => {
      const topic = await describe1(c, name);
      return test(topic) ? topic : undefined;
    },
    { timeoutMs: RECOVERY_TIMEOUT_MS },
  );
}

describe('brokers (real processes, RF=3, acks=all)', () => {
  it('SIGKILL of a partition leader: a new leader takes writes, the old one rejoins, nothing acknowledged is lost', async () => {
    await withCluster(async (c) => {
      await createTopic(c, 'failover', 3);
      const sender = startProducer(c, 'failover', 3);
      await sender.waitForAcks(60, 20_000);

      const before = await describe1(c, 'failover');
      const victimId = before.partitions[0]?.leader ?? -1;
      const epochBefore = before.partitions[0]?.leaderEpoch ?? 0;
      const victim = c.broker(victimId);
      await victim.kill('SIGKILL');
      await waitForTopic(c, 'failover', 'partition 0 led elsewhere with a higher leader epoch', (topic) => {
        const p0 = topic.partitions[0];
        return p0 !== undefined && p0.leader >= 0 && p0.leader !== victimId && p0.leaderEpoch > epochBefore;
      });
      await sender.waitForAcks(60, RECOVERY_TIMEOUT_MS);

      await victim.restart();
      await waitForTopic(c, 'failover', `broker ${victimId} back in every ISR`, (topic) =>
        topic.partitions.every((p) => p.isr.includes(victimId)),
      );
      await sender.waitForAcks(30, RECOVERY_TIMEOUT_MS);
      await sender.stop();

      const read = await readBack(c.bootstrap, 'failover', 3);
      expect(checkAckedHistory(sender.acked, read)).toEqual([]);
      expect(sender.acked.length).toBeGreaterThanOrEqual(150);
    });
  });

  it('SIGTERM of a leader broker moves its leaderships first (controlled shutdown) and exits 0', async () => {
    await withCluster(async (c) => {
      await createTopic(c, 'handover', 3);
      const sender = startProducer(c, 'handover', 3);
      await sender.waitForAcks(30, 20_000);
      const before = await describe1(c, 'handover');
      const leaderId = before.partitions[0]?.leader ?? -1;
      const led = before.partitions.filter((p) => p.leader === leaderId).map((p) => p.partition);

      const exit = await c.broker(leaderId).kill('SIGTERM');
      expect(exit.code).toBe(0);
      // By the time it exited, every partition it led has another leader (with a higher epoch).
      const after = await describe1(c, 'handover');
      for (const partition of led) {
        const state = after.partitions[partition];
        expect(state?.leader).not.toBe(leaderId);
        expect(state?.leader).toBeGreaterThanOrEqual(0);
        expect(state?.leaderEpoch ?? 0).toBeGreaterThan(before.partitions[partition]?.leaderEpoch ?? 0);
      }
      await sender.waitForAcks(30, RECOVERY_TIMEOUT_MS);
      await sender.stop();
      const read = await readBack(
        c.bootstrap.filter((a) => a !== c.broker(leaderId).address),
        'handover',
        3,
      );
      expect(checkAckedHistory(sender.acked, read)).toEqual([]);
    });
  });

  it('a paused (SIGSTOP) follower drops out of the ISR and comes back after SIGCONT', async () => {
    await withCluster(async (c) => {
      await createTopic(c, 'paused', 1);
      const sender = startProducer(c, 'paused', 1);
      await sender.waitForAcks(20, 20_000);
      const topic = await describe1(c, 'paused');
      const followerId = topic.partitions[0]?.replicas.find((id) => id !== topic.partitions[0]?.leader) ?? -1;
      const follower = c.broker(followerId);

      follower.pause();
      await waitForTopic(c, 'paused', `broker ${followerId} out of the ISR`, (t) =>
        t.partitions.every((p) => !p.isr.includes(followerId)),
      );
      // Writes go on with the two remaining in-sync replicas (min.insync.replicas = 2).
      await sender.waitForAcks(20, RECOVERY_TIMEOUT_MS);
      follower.resume();
      await waitForTopic(c, 'paused', `broker ${followerId} back in the ISR`, (t) =>
        t.partitions.every((p) => p.isr.includes(followerId)),
      );
      await sender.stop();
      const read = await readBack(c.bootstrap, 'paused', 1);
      expect(checkAckedHistory(sender.acked, read)).toEqual([]);
    });
  });

  it('with min.insync.replicas=2 and two brokers down, acks=all fails with NOT_ENOUGH_REPLICAS and nothing is lost', async () => {
    await withCluster(async (c) => {
      await createTopic(c, 'strict', 1, { 'min.insync.replicas': '2' });
      const sender = startProducer(c, 'strict', 1);
      await sender.waitForAcks(20, 20_000);
      const topic = await describe1(c, 'strict');
      const leaderId = topic.partitions[0]?.leader ?? -1;
      const others = c.brokers.filter((b) => b.nodeId !== leaderId);
      for (const broker of others) await broker.kill('SIGKILL');

      await waitFor(
        'acks=all refused with NOT_ENOUGH_REPLICAS',
        async () =>
          sender.outcomes.some((o) => !o.result.acked && o.result.code === 'NOT_ENOUGH_REPLICAS')
            ? true
            : undefined,
        { timeoutMs: RECOVERY_TIMEOUT_MS },
      );
      await sender.stop();
      const read = await readBack([c.broker(leaderId).address], 'strict', 1);
      expect(checkAckedHistory(sender.acked, read)).toEqual([]);
    });
  });
});
