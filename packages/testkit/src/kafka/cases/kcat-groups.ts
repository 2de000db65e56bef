/**
 * kcat's group consumer (`kcat -G`, librdkafka 2.0's classic protocol) against a real 3-controller +
 * 3-broker cluster (issue 12, DESIGN §9): two kcat members share a topic's 6 partitions (each gets some,
 * together every record), their commits show in `trib groups describe --json`, `trib groups reset-offsets`
 * moves the classic group's offsets and kcat resumes there, and a group id serves one protocol at a time
 * (a `trib consume --group` member refuses kcat with INCONSISTENT_GROUP_PROTOCOL, and the reverse).
 * Every wait is bounded (the shared cluster runs with a 1 s initial rebalance delay).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { murmur2, toPositive } from '@tributary/records';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../cluster.js';
import { waitFor } from '../../wait.js';
import { kcat, kcatPath, run, TRIB_BIN, trib } from '../tools.js';

const PARTITIONS = 6;
const RECORDS_PER_PARTITION = 10;
const WAIT_MS = 20_000;
/** librdkafka settings that keep rebalances and commits within the test's bounds. */
const KCAT_GROUP_SETTINGS = [
  '-X',
  'auto.offset.reset=earliest',
  '-X',
  'session.timeout.ms=6000',
  '-X',
  'heartbeat.interval.ms=500',
  '-X',
  'auto.commit.interval.ms=200',
];

let cluster: Cluster;

/** A long-running child (a kcat member, `trib consume`) whose output the test watches. */
class Background {
  readonly #child: ChildProcess;
  #stdout = '';
  #stderr = '';
  #exited: Promise<number | null>;

  constructor(command: string, args: readonly string[]) {
    this.#child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stdout += chunk;
    });
    this.#child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr += chunk;
    });
    this.#exited = new Promise((resolve) => this.#child.on('exit', (code) => resolve(code)));
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Waits until the output matches (bounded); fails with the output's tail. */
  async waitForOutput(what: string, pattern: RegExp, timeoutMs = WAIT_MS): Promise<void> {
    await waitFor(
      what,
      async () => (pattern.test(this.#stdout) || pattern.test(this.#stderr) ? true : undefined),
      { timeoutMs },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nstderr: ${this.#stderr.slice(-2000)}`);
    });
  }

  /** SIGINT (kcat and trib leave their groups on it), then SIGKILL if it does not exit within 10 s. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGINT');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000);
    await this.#exited;
    clearTimeout(timer);
  }
}

const running: Background[] = [];

function background(command: string, args: readonly string[]): Background {
  const child = new Background(command, args);
  running.push(child);
  return child;
}

function kcatMember(group: string, topic: string): Background {
  const args = ['-b', cluster.kafkaBootstrap.join(','), '-G', group, topic, ...KCAT_GROUP_SETTINGS];
  // -u: unbuffered, so the test sees each record as kcat prints it (a pipe is block-buffered otherwise).
  return background(kcatPath(), [...args, '-u', '-f', '%p %o %s\\n']);
}

const bootstrap = (): string => cluster.bootstrap.join(',');

async function createTopic(name: string): Promise<void> {
  await trib([
    'topics',
    'create',
    name,
    '--partitions',
    String(PARTITIONS),
    '--replication-factor',
    '3',
    '--bootstrap',
    bootstrap(),
  ]);
  await waitFor(
    `${name} has leaders`,
    async () => {
      const { topics } = await cluster.quorum.admin().admin('DescribeTopics', { names: [name] });
      return topics[0]?.partitions.every((p) => p.leader >= 0) === true ? true : undefined;
    },
    { timeoutMs: WAIT_MS },
  );
}

/** Keyed records, RECORDS_PER_PARTITION on each partition (murmur2, as kcat is told to place them). */
function keyedRecords(): { key: string; partition: number }[] {
  const perPartition = new Map<number, number>();
  const out: { key: string; partition: number }[] = [];
  for (let i = 0; out.length < PARTITIONS * RECORDS_PER_PARTITION; i++) {
    const key = `key-${i}`;
    const partition = toPositive(murmur2(Buffer.from(key, 'utf8'))) % PARTITIONS;
    const count = perPartition.get(partition) ?? 0;
    if (count === RECORDS_PER_PARTITION) continue;
    perPartition.set(partition, count + 1);
    out.push({ key, partition });
  }
  return out;
}

async function produceKeyed(topic: string): Promise<void> {
  const input = keyedRecords()
    .map(({ key }) => `${key}:value-${key}\n`)
    .join('');
  await kcat(
    [
      '-b',
      cluster.kafkaBootstrap.join(','),
      '-P',
      '-t',
      topic,
      '-K',
      ':',
      '-X',
      'partitioner=murmur2_random',
    ],
    {
      input,
    },
  );
}

interface Consumed {
  readonly partition: number;
  readonly offset: number;
  readonly value: string;
}

function consumedBy(output: string): Consumed[] {
  return output
    .split('\n')
    .map((line) => /^(\d+) (\d+) (.*)$/.exec(line))
    .flatMap((m) =>
      m === null ? [] : [{ partition: Number(m[1]), offset: Number(m[2]), value: m[3] ?? '' }],
    );
}

interface DescribedGroup {
  readonly state: string;
  readonly groupType: string;
  readonly members: readonly {
    memberId: string;
    assignment: readonly { topic: string; partitions: number[] }[];
  }[];
  readonly partitions: readonly { partition: number; committedOffset: number | null }[];
}

async function describeGroup(group: string): Promise<DescribedGroup> {
  return JSON.parse(
    await trib(['groups', 'describe', group, '--json', '--bootstrap', bootstrap()]),
  ) as DescribedGroup;
}

function assignedPartitions(member: DescribedGroup['members'][number]): number[] {
  return member.assignment.flatMap((a) => a.partitions).sort((a, b) => a - b);
}

/** Registers these cases on the shared cluster of kafka-clients.test.ts. */
export function kcatGroupCases(shared: () => Cluster): void {
  describe('kcat -G against the Kafka listener (3+3, RF=3)', () => {
    beforeAll(() => {
      cluster = shared();
      kcatPath();
    });

    afterEach(async () => {
      await Promise.all(running.splice(0).map((child) => child.stop()));
    });

    it('two kcat members share 6 partitions; their commits show in trib; reset-offsets moves where kcat resumes', async () => {
      const topic = 'kcat-group-share';
      const group = 'kcat-share';
      await createTopic(topic);
      const a = kcatMember(group, topic);
      await a.waitForOutput('member A assigned', /assigned: /);
      const b = kcatMember(group, topic);
      // A learns of B's arrival from its heartbeat, rejoins, and the leader splits the partitions.
      const stable = await waitFor(
        'two members sharing every partition',
        async () => {
          const described = await describeGroup(group);
          const owned = described.members.map(assignedPartitions);
          const all = owned.flat().sort((x, y) => x - y);
          const split = owned.length === 2 && owned.every((p) => p.length > 0);
          return described.state === 'Stable' && split && all.join() === '0,1,2,3,4,5'
            ? described
            : undefined;
        },
        { timeoutMs: WAIT_MS },
      );
      expect(stable.groupType).toBe('classic');

      await produceKeyed(topic);
      const total = PARTITIONS * RECORDS_PER_PARTITION;
      await waitFor(
        'every record consumed by one member or the other',
        async () => (consumedBy(a.stdout).length + consumedBy(b.stdout).length >= total ? true : undefined),
        { timeoutMs: WAIT_MS },
      );
      const [byA, byB] = [consumedBy(a.stdout), consumedBy(b.stdout)];
      expect(byA.length).toBeGreaterThan(0);
      expect(byB.length).toBeGreaterThan(0);
      const partitionsOf = (records: Consumed[]) => [...new Set(records.map((r) => r.partition))].sort();
      expect(new Set([...partitionsOf(byA), ...partitionsOf(byB)]).size).toBe(PARTITIONS);
      expect(partitionsOf(byA).filter((p) => partitionsOf(byB).includes(p))).toEqual([]);
      expect(new Set([...byA, ...byB].map((r) => r.value))).toEqual(
        new Set(keyedRecords().map(({ key }) => `value-${key}`)),
      );

      // librdkafka's auto-commits (OffsetCommit through the listener), as Tributary's API shows them.
      await waitFor(
        'kcat commits visible to trib groups describe',
        async () => {
          const { partitions } = await describeGroup(group);
          const done = partitions.length === PARTITIONS;
          return done && partitions.every((p) => p.committedOffset === RECORDS_PER_PARTITION)
            ? true
            : undefined;
        },
        { timeoutMs: WAIT_MS },
      );
      await Promise.all([a.stop(), b.stop()]);
      await waitFor(
        'the group empty',
        async () => ((await describeGroup(group)).state === 'Empty' ? true : undefined),
        {
          timeoutMs: WAIT_MS,
        },
      );

      // An admin commit through gRPC; kcat (OffsetFetch through the listener) resumes there.
      await trib([
        'groups',
        'reset-offsets',
        group,
        '--topic',
        topic,
        '--to-offset',
        '5',
        '--bootstrap',
        bootstrap(),
      ]);
      const resumed = consumedBy(
        await kcat(
          [
            '-b',
            cluster.kafkaBootstrap.join(','),
            '-G',
            group,
            topic,
            ...KCAT_GROUP_SETTINGS,
            '-e',
            '-f',
            '%p %o %s\\n',
          ],
          {
            timeoutMs: 30_000,
          },
        ),
      );
      expect(resumed).toHaveLength(PARTITIONS * (RECORDS_PER_PARTITION - 5));
      expect(Math.min(...resumed.map((r) => r.offset))).toBe(5);
    });

    it('a group id serves one protocol at a time: trib consume refuses kcat, kcat refuses trib consume', async () => {
      const topic = 'kcat-group-exclusive';
      await createTopic(topic);

      const tributaryMember = background(process.execPath, [
        TRIB_BIN,
        'consume',
        topic,
        '--group',
        'g-tributary',
        '--bootstrap',
        bootstrap(),
      ]);
      await waitFor(
        "trib consume's member in its group",
        async () => {
          const described = await describeGroup('g-tributary');
          return described.groupType === 'consumer' && described.members.length === 1 ? true : undefined;
        },
        { timeoutMs: WAIT_MS },
      );
      const refusedKcat = kcatMember('g-tributary', topic);
      await refusedKcat.waitForOutput('kcat refused', /Inconsistent group protocol/);
      await Promise.all([refusedKcat.stop(), tributaryMember.stop()]);

      const classicMember = kcatMember('g-classic', topic);
      await classicMember.waitForOutput('kcat assigned', /assigned: /);
      const refusedTrib = await run(
        process.execPath,
        [
          TRIB_BIN,
          'consume',
          topic,
          '--group',
          'g-classic',
          '--timeout-ms',
          '5000',
          '--bootstrap',
          bootstrap(),
        ],
        { timeoutMs: 30_000 },
      );
      expect(refusedTrib.code).not.toBe(0);
      expect(refusedTrib.stderr).toContain('INCONSISTENT_GROUP_PROTOCOL');
    });
  });
}
