/**
 * The nemesis against a real 3+3 cluster whose links go through proxies: each fault kind is injected, healed
 * by stop(), and the cluster keeps taking acks=all writes through it all; at the end nothing acknowledged is
 * lost. One cluster for every kind keeps the file well under 90 s. Every wait is bounded.
 */
import { createBrokerClient, unary } from '@tributary/protocol';
import { describe, expect, it } from 'vitest';
import { AckedProducer, checkAckedHistory, readBack } from '../acked-history.js';
import type { Cluster } from '../cluster.js';
import { clusterPerTest } from '../cluster-per-test.js';
import { waitFor } from '../wait.js';
import { CLIENT_SOURCE } from './link-proxy.js';
import { createNemesis } from './nemesis.js';
import { type PlannedFault, planFaults } from './nemesis-plan.js';
import type { NemesisKind } from './nemesis-types.js';

const TOPIC = 'nemesis';
const PARTITIONS = 3;
const RECOVERY_TIMEOUT_MS = 30_000;

const { withCluster, onCleanup } = clusterPerTest({ brokers: 3, linkProxies: true });

/** What each kind's record must show, so the test knows the fault really was of that kind. */
const EXPECTED_TARGET: Record<NemesisKind, RegExp> = {
  kill: /^(controller|broker) \d/,
  pause: /^(controller|broker) \d/,
  corrupt: /^broker \d$/,
  partition: /^(link|isolate) /,
  slow: /^link /,
  clock: /^(controller|broker) \d$/,
};

describe('nemesis (real processes, 3+3, link proxies)', () => {
  it('injects and heals every fault kind; the cluster keeps acknowledging writes and loses none', async () => {
    await withCluster(async (cluster) => {
      await cluster.quorum
        .admin()
        .admin('CreateTopic', { name: TOPIC, partitions: PARTITIONS, replicationFactor: 3, configs: [] });
      const producer = new AckedProducer({
        bootstrap: cluster.bootstrap,
        topic: TOPIC,
        partitions: PARTITIONS,
      });
      onCleanup(() => producer.stop());
      producer.start();
      await producer.waitForAcks(20, RECOVERY_TIMEOUT_MS);

      for (const [index, kind] of (
        ['slow', 'partition', 'kill', 'pause', 'corrupt', 'clock'] as const
      ).entries()) {
        const nemesis = createNemesis(cluster, {
          seed: 100 + index,
          kinds: [kind],
          intervalMs: 200,
          faultDurationMs: { min: 1_500, max: 1_500 },
        });
        nemesis.start();
        // Let the first fault run its course and heal on its own schedule; stop() then heals any later one.
        await waitFor(
          `a ${kind} fault injected and healed`,
          async () => (nemesis.faults[0]?.healedAtMs === undefined ? undefined : true),
          { timeoutMs: 25_000 },
        );
        await nemesis.stop();
        const context = JSON.stringify({ faults: nemesis.faults, problems: nemesis.problems });
        if (process.env.NEMESIS_TEST_VERBOSE === '1') console.log(context);
        expect(nemesis.problems, context).toEqual([]);
        expect(nemesis.faults.length, context).toBeGreaterThan(0);
        for (const fault of nemesis.faults) {
          expect(fault.kind).toBe(kind);
          expect(fault.target, context).toMatch(EXPECTED_TARGET[kind]);
          expect(fault.healedAtMs, context).toBeGreaterThanOrEqual(fault.atMs);
        }
        if (kind === 'corrupt') {
          // The damaged tail was there at restart and recovery cut it off.
          const first = nemesis.faults[0];
          expect(first?.detail, context).toMatch(/append-garbage|append-zeros|flip-last-batch/);
          const victim = cluster.broker(Number(first?.target.replace('broker ', '')));
          expect(victim.dump(2_000)).toContain('recovery truncated a segment');
        }
        // Healed: every process is up and every broker registered again, and writes are acknowledged.
        expect(cluster.brokers.every((broker) => broker.isRunning && !broker.process.isPaused)).toBe(true);
        expect(cluster.quorum.nodes.every((node) => node.isRunning && !node.process.isPaused)).toBe(true);
        await cluster.waitForUnfencedBrokers(undefined, RECOVERY_TIMEOUT_MS);
        await producer.waitForAcks(10, RECOVERY_TIMEOUT_MS);
      }
      await producer.stop();
      const read = await readBack(cluster.bootstrap, TOPIC, PARTITIONS);
      expect(checkAckedHistory(producer.acked, read)).toEqual([]);
    });
  }, 90_000);

  it('cuts real links per source (a gRPC call fails while cut, works after heal) and kills the active controller', async () => {
    await withCluster(async (cluster) => {
      const links = cluster.links;
      if (links === undefined) throw new Error('the cluster has no link proxies');
      const viaProxy = createBrokerClient(links.proxyAddress('broker 1'));
      onCleanup(() => viaProxy.close());
      const metadata = () =>
        unary(viaProxy, 'Metadata', { topics: [], allowAutoTopicCreation: false }, { deadlineMs: 2_000 });
      await metadata();

      links.cut(CLIENT_SOURCE, 'broker 1');
      await expect(metadata()).rejects.toThrow();
      // Only the client's link is cut: the broker itself (directly) and its peers are fine.
      await cluster.broker(1).metadata();
      links.uncut(CLIENT_SOURCE, 'broker 1');
      // grpc-js reconnects with backoff, so the first call after the heal may still fail.
      await waitFor('Metadata through the healed link', metadata, { timeoutMs: 20_000 });

      // Broker 2 cannot reach any controller: it is fenced after its session timeout, the others are not.
      for (const node of cluster.quorum.nodes) links.cut('broker 2', `controller ${node.nodeId}`);
      const admin = cluster.quorum.admin();
      const fencedView = await waitFor(
        'broker 2 fenced',
        async () => {
          const { brokers } = await admin.admin('DescribeCluster', {});
          return brokers.find((b) => b.brokerId === 2)?.fenced === true ? brokers : undefined;
        },
        { timeoutMs: 20_000 },
      );
      expect(fencedView.filter((b) => b.brokerId !== 2).every((b) => !b.fenced)).toBe(true);
      for (const node of cluster.quorum.nodes) links.uncut('broker 2', `controller ${node.nodeId}`);
      await cluster.waitForUnfencedBrokers(undefined, RECOVERY_TIMEOUT_MS);

      // The first seed whose first fault is a kill of "the active controller" (found by the pure planner).
      const options = {
        kinds: ['kill'] as const,
        intervalMs: 200,
        faultDurationMs: { min: 1_000, max: 1_000 },
      };
      const ids = { controllerIds: [1, 2, 3], brokerIds: [1, 2, 3] };
      const killsActive = (fault: PlannedFault | undefined) =>
        fault?.kind === 'kill' && fault.processes.some((target) => target.nodeId === 'active');
      const seed = Array.from({ length: 200 }, (_, s) => s).find((s) =>
        killsActive(planFaults({ ...options, ...ids, seed: s }, 1)[0]),
      );
      if (seed === undefined) throw new Error('no seed plans an active-controller kill first');
      const before = await cluster.quorum.waitForLeader({ timeoutMs: RECOVERY_TIMEOUT_MS });
      const nemesis = createNemesis(cluster, { ...options, seed });
      nemesis.start();
      await waitFor(
        'the kill healed',
        async () => (nemesis.faults[0]?.healedAtMs === undefined ? undefined : true),
        {
          timeoutMs: 25_000,
        },
      );
      await nemesis.stop();
      expect(nemesis.problems).toEqual([]);
      expect(nemesis.faults[0]?.target).toBe(`controller ${before.leaderId}`);
      expect(nemesis.faults[0]?.detail).toContain('active controller');
      await cluster.quorum.waitForLeader({ timeoutMs: RECOVERY_TIMEOUT_MS });
    });
  }, 90_000);

  it('refuses link faults on a cluster without link proxies', () => {
    // Only `links` is read before the check; the rest of a Cluster is not needed to see it fail.
    const withoutProxies = { links: undefined, quorum: { nodes: [] }, brokers: [] } as unknown as Cluster;
    expect(() => createNemesis(withoutProxies, { seed: 1, kinds: ['kill', 'partition'] })).toThrow(
      /partition needs a cluster started with linkProxies: true/,
    );
  });
});
