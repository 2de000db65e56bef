/**
 * Controller quorum membership change with real processes (issue 7, item 4): a 3-controller, 2-broker
 * cluster under acks=all produce load; controller 4 starts with --join and is added with addVoter (caught up
 * as an observer, then promoted); the active controller (one of 1, 2, 3) removes itself with removeVoter and
 * is stopped. The remaining quorum (including 4) then elects a leader, a topic can still be created, brokers
 * keep heartbeating (stay unfenced), and every acknowledged record reads back. Finally controller 4 restarts
 * with the same flags (--voters still naming 1, 2, 3) and keeps the membership from its own log.
 */
import { Admin } from '@tributary/client';
import {
  createMetadataStreamClient,
  type FetchMetadataEvent__Output,
  type MetadataEntry__Output,
} from '@tributary/protocol';
import { describe, expect, it } from 'vitest';
import { AckedProducer, checkAckedHistory, readBack } from './acked-history.js';
import { clusterPerTest } from './cluster-per-test.js';
import { ControllerProcess } from './controller-process.js';
import { freePorts } from './ports.js';
import type { DescribeQuorumResponse } from './rpc.js';
import { makeTempDir } from './temp-dir.js';
import { waitFor } from './wait.js';

const TOPIC = 'membership';
const PARTITIONS = 2;

const { withCluster, onCleanup } = clusterPerTest({ brokers: 2 });

function flagValue(args: readonly string[], flag: string): string {
  const value = args[args.indexOf(flag) + 1];
  if (value === undefined || !args.includes(flag)) throw new Error(`no ${flag} in ${args.join(' ')}`);
  return value;
}

const idsOf = (voters: readonly { readonly id: number }[]): number[] => voters.map((v) => v.id).sort();

/** Waits until a majority of `nodes` name one leader among them, which itself reports leading. */
async function leaderAmong(nodes: readonly ControllerProcess[]): Promise<number> {
  return waitFor(
    `a leader among controllers ${nodes.map((n) => n.nodeId).join(',')}`,
    async () => {
      const views = await Promise.allSettled(nodes.map((n) => n.describeQuorum(1_000)));
      const answers = views.flatMap((v): DescribeQuorumResponse[] =>
        v.status === 'fulfilled' ? [v.value] : [],
      );
      for (const candidate of nodes) {
        const agreeing = answers.filter((a) => a.leaderId === candidate.nodeId).length;
        const self = answers.find((a) => a.nodeId === candidate.nodeId);
        if (agreeing * 2 > nodes.length && self?.role === 'leader') return candidate.nodeId;
      }
      return undefined;
    },
    { timeoutMs: 30_000 },
  );
}

/** Every committed metadata entry from offset 1 (the stream closes once caught up; 10 s at most). */
async function fetchEntries(address: string): Promise<MetadataEntry__Output[]> {
  const client = createMetadataStreamClient(address);
  try {
    return await new Promise((resolve, reject) => {
      const entries: MetadataEntry__Output[] = [];
      const call = client.FetchMetadata({ fromOffset: 1, follow: false }, { deadline: Date.now() + 10_000 });
      call.on('data', (event: FetchMetadataEvent__Output) => {
        if (event.entry !== null && event.entry !== undefined) entries.push(event.entry);
      });
      call.on('error', reject);
      call.on('end', () => resolve(entries));
    });
  } finally {
    client.close();
  }
}

describe('controller quorum membership change (real processes)', () => {
  it('adds controller 4 with --join, removes the active controller, and keeps serving throughout', async () => {
    await withCluster(async (c) => {
      await c.quorum
        .admin()
        .admin('CreateTopic', { name: TOPIC, partitions: PARTITIONS, replicationFactor: 2, configs: [] });
      const producer = new AckedProducer({ bootstrap: c.bootstrap, topic: TOPIC, partitions: PARTITIONS });
      producer.start();
      onCleanup(() => producer.stop());
      await producer.waitForAcks(200, 30_000);

      // Controller 4 joins: outside --voters, it waits as a non-voter until added.
      const [port] = await freePorts(1);
      const dir = await makeTempDir('tributary-joiner');
      onCleanup(() => dir.remove());
      const joiner = new ControllerProcess({
        nodeId: 4,
        port: port ?? 0,
        dataDir: dir.path,
        voters: flagValue(c.quorum.node(1).args(), '--voters'),
        extraArgs: ['--join'],
      });
      onCleanup(() => joiner.dispose());
      joiner.start();
      const before = await joiner.waitReady();
      expect(idsOf(before.voters)).toEqual([1, 2, 3]);
      expect(before.role).toBe('follower');

      const admin = new Admin({ controllers: [...c.quorum.nodes.map((n) => n.address), joiner.address] });
      onCleanup(() => admin.close());
      const added = await admin.addVoter(4, joiner.address);
      expect(idsOf(added)).toEqual([1, 2, 3, 4]);
      await waitFor(
        'controller 4 to see itself as a voter',
        async () => (idsOf((await joiner.describeQuorum()).voters).includes(4) ? true : undefined),
        { timeoutMs: 10_000 },
      );
      await producer.waitForAcks(100, 30_000);
      // The metadata log shows both membership entries (learner, then voter) to inspection tools.
      const memberships = (await fetchEntries(joiner.address)).flatMap((entry) =>
        entry.quorumMembership === ''
          ? []
          : [JSON.parse(entry.quorumMembership) as { voters: number[]; learners: number[] }],
      );
      expect(memberships).toMatchObject([
        { voters: [1, 2, 3], learners: [4] },
        { voters: [1, 2, 3, 4], learners: [] },
      ]);

      // Remove the active controller (the harder case: it removes itself, answers, then steps down), then
      // stop it. It is one of 1, 2, 3: the leader does not change while nothing fails.
      const { leaderId: removedId } = await c.quorum.waitForLeader();
      const kept = [1, 2, 3, 4].filter((id) => id !== removedId);
      const removed = await admin.removeVoter(removedId);
      expect(idsOf(removed)).toEqual(kept);
      await c.quorum.node(removedId).kill('SIGTERM');
      const remaining = kept.map((id) => (id === 4 ? joiner : c.quorum.node(id)));
      const leader = await leaderAmong(remaining);
      expect(kept).toContain(leader);
      const view = await (remaining.find((n) => n.nodeId === leader) as ControllerProcess).describeQuorum();
      expect(idsOf(view.voters)).toEqual(kept);
      expect(view.observers).toEqual([]);

      // The quorum (2, 3, 4) still decides: a new topic, and the brokers stay registered and unfenced.
      await admin.createTopic({ name: 'after-membership-change', partitions: 1, replicationFactor: 2 });
      await waitFor(
        'brokers 1 and 2 registered and unfenced',
        async () => {
          const cluster = await admin.describeCluster();
          return cluster.brokers.filter((b) => !b.fenced).length === 2 ? true : undefined;
        },
        { timeoutMs: 30_000 },
      );
      await producer.waitForAcks(100, 30_000);

      // Every acknowledged record reads back.
      await producer.stop();
      const acked = producer.acked;
      const read = await readBack(c.bootstrap, TOPIC, PARTITIONS);
      expect(checkAckedHistory(acked, read)).toEqual([]);

      // Restarted with the same flags (--voters still 1,2,3), controller 4 keeps the membership of its log.
      await joiner.kill('SIGKILL');
      joiner.start();
      await joiner.waitReady();
      await waitFor(
        `restarted controller 4 to follow the quorum (${kept.join(', ')})`,
        async () => {
          const after = await joiner.describeQuorum();
          return idsOf(after.voters).join(',') === kept.join(',') && after.leaderId >= 0 ? true : undefined;
        },
        { timeoutMs: 30_000 },
      );
    });
  }, 240_000);
});
