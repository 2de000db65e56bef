/**
 * Consumer groups against real processes (issue 4, "how it is shown"): 3 controllers + 3 brokers, RF=3.
 * Members are GroupConsumers in this process and one `trib consume --group` child process (the one that is
 * SIGKILLed). Every wait is bounded; failures print the processes' log tails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TributaryClient } from '@tributary/client';
import { describe, expect, it } from 'vitest';
import type { Cluster } from './cluster.js';
import { clusterPerTest } from './cluster-per-test.js';
import { waitFor } from './wait.js';

const TRIB_BIN = fileURLToPath(new URL('../../cli/dist/bin/trib.js', import.meta.url));
/** Short, so a SIGKILLed member's partitions move within the test's bounds. */
const SESSION_TIMEOUT_MS = 6_000;
const WAIT_MS = 30_000;
const GROUP = 'g-orders';

interface Seen {
  readonly member: string;
  readonly partition: number;
  readonly offset: number;
  readonly value: string;
}

const { withCluster, onCleanup } = clusterPerTest();

function clientOf(c: Cluster): TributaryClient {
  const client = new TributaryClient({
    bootstrap: c.bootstrap,
    controllers: c.quorum.nodes.map((node) => node.address),
  });
  onCleanup(() => client.close());
  return client;
}

async function createTopic(c: Cluster, name: string, partitions: number): Promise<void> {
  await c.quorum.admin().admin('CreateTopic', { name, partitions, replicationFactor: 3, configs: [] });
  await waitFor(
    `${name} led`,
    async () => {
      const { topics } = await c.quorum.admin().admin('DescribeTopics', { names: [name] });
      const led = topics[0]?.partitions.filter((p) => p.leader >= 0).length ?? 0;
      return led === partitions ? true : undefined;
    },
    { timeoutMs: 15_000 },
  );
}

/** Sends `count` keyed records (spread over the partitions by key) and returns their values. */
async function produce(
  client: TributaryClient,
  topic: string,
  prefix: string,
  count: number,
): Promise<string[]> {
  const values = Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
  await client.producer({ deliveryTimeoutMs: 60_000 }).send(
    topic,
    values.map((value) => ({ key: value, value })),
  );
  return values;
}

/** A group member in this process that remembers every record it handled and its rebalance events. */
function startMember(client: TributaryClient, name: string, topic: string, seen: Seen[]) {
  const events = { assigned: [] as number[][], revoked: [] as number[][], lost: [] as number[][] };
  const partitionsOf = (list: { partition: number }[]) =>
    list.map((tp) => tp.partition).sort((a, b) => a - b);
  const member = client.consumer({
    groupId: GROUP,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    fromBeginning: true,
    autoCommitIntervalMs: 500,
    onAssigned: (partitions) => {
      events.assigned.push(partitionsOf(partitions));
    },
    onRevoked: (partitions) => {
      events.revoked.push(partitionsOf(partitions));
    },
    onLost: (partitions) => {
      events.lost.push(partitionsOf(partitions));
    },
  });
  onCleanup(() => member.close());
  member.subscribe({ topics: [topic] });
  const running = member
    .run({
      eachMessage: async ({ partition, message }) => {
        seen.push({
          member: name,
          partition,
          offset: message.offset,
          value: Buffer.from(message.value ?? []).toString(),
        });
      },
    })
    .catch((error: unknown) => {
      seen.push({ member: name, partition: -1, offset: -1, value: `run failed: ${String(error)}` });
    });
  const owned = (): number[] =>
    member
      .assignment()
      .flatMap((entry) => entry.partitions)
      .sort((a, b) => a - b);
  return { member, events, owned, running };
}

/** `trib consume --group` as a child process; its JSON lines become `seen` entries. */
function startTribMember(c: Cluster, topic: string, seen: Seen[]): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      TRIB_BIN,
      'consume',
      topic,
      '--group',
      GROUP,
      '--from-beginning',
      '--json',
      '--session-timeout-ms',
      String(SESSION_TIMEOUT_MS),
      '--bootstrap',
      c.bootstrap.join(','),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  onCleanup(() => child.kill('SIGKILL'));
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const record = JSON.parse(line) as { partition: number; offset: number; value: string };
      seen.push({ member: 'trib', partition: record.partition, offset: record.offset, value: record.value });
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    seen.push({ member: 'trib', partition: -1, offset: -1, value: `stderr: ${chunk}` });
  });
  return child;
}

function waitForValues(seen: readonly Seen[], values: readonly string[], what: string): Promise<true> {
  return waitFor(
    what,
    async () => {
      const have = new Set(seen.map((record) => record.value));
      return values.every((value) => have.has(value)) ? true : undefined;
    },
    { timeoutMs: WAIT_MS },
  );
}

/** (partition, offset) pairs handled by more than one member. */
function overlaps(seen: readonly Seen[]): string[] {
  const owner = new Map<string, string>();
  const found: string[] = [];
  for (const record of seen) {
    if (record.partition < 0) continue;
    const key = `${record.partition}@${record.offset}`;
    const first = owner.get(key);
    if (first === undefined) owner.set(key, record.member);
    else if (first !== record.member) found.push(`${key} by ${first} and ${record.member}`);
  }
  return found;
}

describe('consumer groups (real processes, RF=3)', () => {
  it('members split 6 partitions, a third joins cooperatively, a SIGKILLed member’s partitions move', async () => {
    await withCluster(async (c) => {
      await createTopic(c, 'orders', 6);
      const client = clientOf(c);
      const first = await produce(client, 'orders', 'a', 600);
      const seen: Seen[] = [];
      const a = startMember(client, 'a', 'orders', seen);
      const b = startMember(client, 'b', 'orders', seen);
      await waitFor(
        'a and b own 3 partitions each',
        async () => (a.owned().length === 3 && b.owned().length === 3 ? true : undefined),
        { timeoutMs: WAIT_MS },
      );
      expect([...a.owned(), ...b.owned()].sort()).toEqual([0, 1, 2, 3, 4, 5]);
      await waitForValues(seen, first, 'the first 600 records handled');
      expect(overlaps(seen)).toEqual([]);

      // A third member joins: it takes two partitions, and a and b only give up one each.
      const admin = client.admin();
      // Stable: every revocation of the first rebalance is reported (onRevoked runs before that).
      await waitFor(
        'the group stable with two members',
        async () => {
          const group = await admin.describeGroup(GROUP);
          return group.state === 'Stable' && group.members.length === 2 ? true : undefined;
        },
        { timeoutMs: WAIT_MS },
      );
      const aBefore = a.owned();
      const bBefore = b.owned();
      const revokedBefore = { a: a.events.revoked.length, b: b.events.revoked.length };
      const tribMember = startTribMember(c, 'orders', seen);
      await waitFor(
        'three members with two partitions each',
        async () => {
          const group = await admin.describeGroup(GROUP);
          const counts = group.members.map((m) => m.assignment.flatMap((tp) => tp.partitions).length);
          return group.members.length === 3 &&
            counts.every((n) => n === 2) &&
            a.owned().length === 2 &&
            b.owned().length === 2
            ? true
            : undefined;
        },
        { timeoutMs: WAIT_MS },
      );
      // Cooperative: what a and b kept was never revoked; only the moved partitions were.
      const revokedSince = [
        ...a.events.revoked.slice(revokedBefore.a),
        ...b.events.revoked.slice(revokedBefore.b),
      ]
        .flat()
        .sort();
      const moved = [
        ...aBefore.filter((p) => !a.owned().includes(p)),
        ...bBefore.filter((p) => !b.owned().includes(p)),
      ].sort();
      expect(moved).toHaveLength(2);
      expect(revokedSince).toEqual(moved);
      expect([...a.events.lost, ...b.events.lost]).toEqual([]);
      const second = await produce(client, 'orders', 'b', 300);
      await waitForValues(seen, second, 'the next 300 records handled by the three members');
      expect(seen.some((record) => record.member === 'trib' && record.value.startsWith('b-'))).toBe(true);
      expect(overlaps(seen)).toEqual([]);

      // SIGKILL the trib member: after its session timeout its partitions go back to a and b.
      tribMember.kill('SIGKILL');
      await waitFor(
        'a and b own all 6 partitions again',
        async () => ([...a.owned(), ...b.owned()].length === 6 ? true : undefined),
        { timeoutMs: SESSION_TIMEOUT_MS + 15_000 },
      );
      expect([...a.owned(), ...b.owned()].sort()).toEqual([0, 1, 2, 3, 4, 5]);
      const third = await produce(client, 'orders', 'c', 300);
      await waitForValues(seen, third, 'records after the kill handled by a and b');
      expect(seen.filter((record) => record.partition < 0)).toEqual([]);
    });
  }, 150_000);

  it('the coordinator’s broker is SIGKILLed: committed offsets survive, a new member starts where the group committed', async () => {
    await withCluster(async (c) => {
      await createTopic(c, 'events', 6);
      const client = clientOf(c);
      const admin = client.admin();
      const seen: Seen[] = [];
      const first = await produce(client, 'events', 'a', 300);
      const a = startMember(client, 'a', 'events', seen);
      await waitForValues(seen, first, 'the first 300 records handled');
      const committedAll = async (): Promise<Map<number, number> | undefined> => {
        const group = await admin.describeGroup(GROUP);
        const done = group.partitions.length === 6 && group.partitions.every((p) => p.lag === 0);
        return done
          ? new Map(group.partitions.map((p) => [p.partition, p.committedOffset ?? -1]))
          : undefined;
      };
      const before = await waitFor('every partition committed up to its end', committedAll, {
        timeoutMs: WAIT_MS,
      });
      const coordinatorId = (await admin.describeGroup(GROUP)).coordinatorId;

      await c.broker(coordinatorId).kill('SIGKILL');
      const after = await waitFor(
        'a new coordinator with the committed offsets',
        async () => {
          try {
            const group = await admin.describeGroup(GROUP, { deadlineMs: 3_000 });
            if (group.coordinatorId === coordinatorId) return undefined;
            return new Map(group.partitions.map((p) => [p.partition, p.committedOffset ?? -1]));
          } catch {
            return undefined;
          }
        },
        { timeoutMs: WAIT_MS },
      );
      expect(after).toEqual(before);

      // The member rejoins the new coordinator and goes on consuming.
      const second = await produce(client, 'events', 'b', 60);
      await waitForValues(seen, second, 'records after the coordinator failover handled');
      // Records handled while the member was being fenced by the new coordinator are not committed (its
      // partitions were lost); it rejoins, handles them again (at least once) and commits them.
      const committed = await waitFor('everything committed again', committedAll, { timeoutMs: WAIT_MS });
      await a.member.close();

      // A new member (fromBeginning: true) starts at the committed offsets, not at the beginning.
      const third = await produce(client, 'events', 'c', 60);
      const fresh: Seen[] = [];
      startMember(client, 'd', 'events', fresh);
      await waitForValues(fresh, third, 'the new member handles the new records');
      expect(fresh.filter((record) => !record.value.startsWith('c-'))).toEqual([]);
      for (const record of fresh)
        expect(record.offset).toBeGreaterThanOrEqual(committed.get(record.partition) ?? 0);
    });
  }, 150_000);
});
