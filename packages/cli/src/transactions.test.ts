/**
 * `trib transactions list | describe | describe-producers | abort` and `trib consume --isolation-level`:
 * argument refusals (one line, exit 2; the two forms of abort never mixed), the pure table output and
 * abort-form parsing, and the commands end to end against `tributary dev` in this process with a
 * transactional producer that commits one transaction and leaves the next one open.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Producer, TributaryClient } from '@tributary/client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  abortFormOf,
  abortSpecAt,
  formatProducerTable,
  formatTransactionDescription,
  formatTransactionList,
} from './commands/transactions.js';
import { type DevCluster, startDevCluster } from './dev.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './program.js';
import { runTrib } from './testing/run-trib.js';

const ABORT = ['transactions', 'abort', '--topic', 't', '--partition', '0', '--producer-id', '7'];

describe('transactions and consume --isolation-level: argument errors are one line, exit 2', () => {
  const cases: [string, string[]][] = [
    ['an unknown --state', ['transactions', 'list', '--state', 'Running']],
    ['a negative --producer-id', ['transactions', 'list', '--producer-id', '-1']],
    ['a non-numeric --duration-ms', ['transactions', 'list', '--duration-ms', 'soon']],
    ['describe without an id', ['transactions', 'describe']],
    ['abort without --coordinator-epoch', [...ABORT, '--producer-epoch', '0']],
    ['abort without --topic', ['transactions', 'abort', '--partition', '0', '--producer-id', '7']],
    ['abort with an empty --topic', ['transactions', 'abort', ...ABORT.slice(2, 3), '', ...ABORT.slice(4)]],
    ['abort with a bad --partition', [...ABORT.slice(0, 5), 'x', ...ABORT.slice(6)]],
    ['abort with a negative epoch', [...ABORT, '--producer-epoch', '-2', '--coordinator-epoch', '0']],
    ['abort mixing --start-offset with --producer-id', [...ABORT, '--start-offset', '3']],
    [
      'abort mixing --start-offset with the epochs',
      [...ABORT.slice(0, 6), '--start-offset', '3', '--producer-epoch', '0', '--coordinator-epoch', '0'],
    ],
    ['abort naming no producer at all', ABORT.slice(0, 6)],
    ['abort with a negative --start-offset', [...ABORT.slice(0, 6), '--start-offset', '-1']],
    ['describe-producers without --partition', ['transactions', 'describe-producers', '--topic', 't']],
    ['describe-producers without --topic', ['transactions', 'describe-producers', '--partition', '0']],
    [
      'describe-producers with an empty --topic',
      ['transactions', 'describe-producers', '--topic', '', '--partition', '0'],
    ],
    [
      'describe-producers with a bad --partition',
      ['transactions', 'describe-producers', '--topic', 't', '--partition', 'x'],
    ],
    ['an unknown transactions subcommand', ['transactions', 'commit']],
    ['an unknown isolation level', ['consume', 't', '--isolation-level', 'read_dirty']],
  ];
  for (const [name, argv] of cases) {
    it(name, async () => {
      const { code, err, out } = await runTrib(argv);
      expect(code).toBe(EXIT_USAGE);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^error: /);
    });
  }

  it('abort refuses an epoch past int16 before calling anything (the client bound), exit 1', async () => {
    const argv = [
      '--bootstrap',
      '127.0.0.1:1',
      ...ABORT,
      '--producer-epoch',
      '32767',
      '--coordinator-epoch',
      '0',
    ];
    const { code, err, out } = await runTrib(argv);
    expect(code).toBe(EXIT_FAILURE);
    expect(out).toEqual([]);
    expect(err).toEqual([expect.stringMatching(/^error: INVALID_REQUEST: producer epoch must be /)]);
  });
});

describe('transactions output (pure)', () => {
  it('lists one row per transactional id', () => {
    const lines = formatTransactionList([
      { transactionalId: 'orders-1', coordinatorId: 2, producerId: 4000, state: 'Ongoing' },
    ]);
    expect(lines[0]).toMatch(/^TRANSACTIONAL ID +COORDINATOR +PRODUCER ID +STATE$/);
    expect(lines[1]?.split(/ +/)).toEqual(['orders-1', '2', '4000', 'Ongoing']);
  });

  it('describes the state, epochs, age and partitions; an idle id has no partitions table', () => {
    const open = formatTransactionDescription(
      {
        transactionalId: 'orders-1',
        coordinatorId: 2,
        state: 'Ongoing',
        producerId: 4000,
        producerEpoch: 3,
        transactionTimeoutMs: 60_000,
        transactionStartTimeMs: 1_000,
        partitions: [{ topic: 'orders', partitions: [0, 2] }],
      },
      3_500,
    );
    expect(open[0]).toContain('state Ongoing  producer 4000 epoch 3  coordinator 2  timeout 60000 ms');
    expect(open[0]).toContain(`started ${new Date(1_000).toISOString()} (2500 ms ago)`);
    expect(open.slice(1).map((l) => l.split(/ +/))).toEqual([
      ['TOPIC', 'PARTITIONS'],
      ['orders', '0,2'],
    ]);
    const idle = formatTransactionDescription(
      {
        transactionalId: 'orders-1',
        coordinatorId: 2,
        state: 'CompleteCommit',
        producerId: 4000,
        producerEpoch: 3,
        transactionTimeoutMs: 60_000,
        transactionStartTimeMs: null,
        partitions: [],
      },
      3_500,
    );
    expect(idle).toHaveLength(1);
    expect(idle[0]).toContain('no open transaction');
  });
});

describe('describe-producers and abort --start-offset (pure)', () => {
  const open = {
    producerId: 4000,
    producerEpoch: 3,
    lastSequence: 9,
    lastTimestampMs: 1_700_000_000_000,
    coordinatorEpoch: 2,
    currentTransactionStartOffset: 120,
  };
  const idle = {
    producerId: 4001,
    producerEpoch: 0,
    lastSequence: null,
    lastTimestampMs: null,
    coordinatorEpoch: null,
    currentTransactionStartOffset: null,
  };

  it("prints Kafka's table: -1 for what a producer lacks, None for no open transaction", () => {
    const lines = formatProducerTable([open, idle]);
    expect(lines.map((l) => l.split(/ +/))).toEqual([
      [
        'ProducerId',
        'ProducerEpoch',
        'LatestCoordinatorEpoch',
        'LastSequence',
        'LastTimestamp',
        'CurrentTransactionStartOffset',
      ],
      ['4000', '3', '2', '9', '1700000000000', '120'],
      ['4001', '0', '-1', '-1', '-1', 'None'],
    ]);
  });

  it('finds the producer whose open transaction started at the offset; a coordinator epoch of none is 0', () => {
    const where = { topic: 't', partition: 1 };
    expect(abortSpecAt(where, [idle, open], 120)).toEqual({
      ...where,
      producerId: 4000,
      producerEpoch: 3,
      coordinatorEpoch: 2,
    });
    const neverMarked = { ...open, coordinatorEpoch: null };
    expect(abortSpecAt(where, [neverMarked], 120).coordinatorEpoch).toBe(0);
    expect(() => abortSpecAt(where, [idle, open], 7)).toThrow(
      'no open transaction on t-1 starts at offset 7 (open ones start at 120)',
    );
    expect(() => abortSpecAt(where, [idle], 7)).toThrow(/\(none is open there\)/);
  });

  it('tells the two forms of abort apart and refuses a mix', () => {
    const where = { topic: 't', partition: 0 };
    expect(abortFormOf({ ...where, startOffset: 5 })).toEqual({
      kind: 'start-offset',
      where,
      startOffset: 5,
    });
    expect(abortFormOf({ ...where, producerId: 1, producerEpoch: 2, coordinatorEpoch: 3 })).toEqual({
      kind: 'explicit',
      spec: { ...where, producerId: 1, producerEpoch: 2, coordinatorEpoch: 3 },
    });
    expect(abortFormOf({ ...where, startOffset: 5, producerEpoch: 2 })).toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/--start-offset cannot be combined with --producer-epoch/),
    });
    expect(abortFormOf({ ...where, producerId: 1 })).toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/missing --producer-epoch, --coordinator-epoch/),
    });
  });
});

interface Described {
  transactionalId: string;
  state: string;
  producerId: number;
  producerEpoch: number;
  partitions: { topic: string; partitions: number[] }[];
}

describe('trib transactions against tributary dev', () => {
  const topic = 'txn-cli';
  const transactionalId = 'cli-txn-1';
  let dir = '';
  let cluster: DevCluster | undefined;
  let client: TributaryClient | undefined;
  let producer: Producer | undefined;
  let bootstrap = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trib-transactions-'));
    cluster = await startDevCluster({
      dataDir: join(dir, 'data'),
      controllerListen: '127.0.0.1:0',
      brokerListen: '127.0.0.1:0',
      kafkaListen: 'off',
      logger: pino({ level: 'silent' }),
    });
    bootstrap = cluster.broker.advertisedAddress;
    client = new TributaryClient({ bootstrap: [bootstrap] });
    producer = client.producer({ transactionalId });
    const committed = await producer.transaction();
    await committed.send(topic, [{ value: 'c1' }, { value: 'c2' }]);
    await committed.commit();
    const open = await producer.transaction();
    await open.send(topic, [{ value: 'open' }]);
    // A plain record after the open transaction: read_committed must stop before it too (the LSO).
    await client.producer().send(topic, [{ value: 'after' }]);
  }, 60_000);
  afterAll(async () => {
    client?.close();
    await cluster?.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  const trib = (argv: string[]) => runTrib(['--bootstrap', bootstrap, ...argv]);

  async function values(isolationLevel: string): Promise<string[]> {
    const run = await trib([
      ...['--json', '--timeout-ms', '1500', 'consume', topic, '--from-beginning'],
      ...['--isolation-level', isolationLevel],
    ]);
    expect(run.code).toBe(EXIT_OK);
    return run.out.map((line) => String((JSON.parse(line) as { value: string }).value));
  }

  it('lists the open transaction as Ongoing, and filters by state and producer id', async () => {
    const listed = await trib(['--json', 'transactions', 'list']);
    expect(listed.code).toBe(EXIT_OK);
    const { transactions } = JSON.parse(listed.out[0] ?? '') as { transactions: Described[] };
    const mine = transactions.find((t) => t.transactionalId === transactionalId);
    expect(mine?.state).toBe('Ongoing');
    const byState = await trib(['--json', 'transactions', 'list', '--state', 'CompleteCommit']);
    expect(JSON.parse(byState.out[0] ?? '')).toEqual({ transactions: [] });
    const byProducer = await trib([
      ...['--json', 'transactions', 'list', '--state', 'Ongoing', '--state', 'Empty'],
      ...['--producer-id', String(mine?.producerId)],
    ]);
    expect(JSON.parse(byProducer.out[0] ?? '')).toEqual({ transactions: [mine] });
    const table = await trib(['transactions', 'list']);
    expect(table.out[1]?.split(/ +/)).toEqual([transactionalId, '1', String(mine?.producerId), 'Ongoing']);
  });

  it('describes its partitions; an unknown id fails with one line', async () => {
    const described = await trib(['--json', 'transactions', 'describe', transactionalId]);
    expect(described.code).toBe(EXIT_OK);
    const [txn] = (JSON.parse(described.out[0] ?? '') as { transactions: Described[] }).transactions;
    expect(txn).toMatchObject({ state: 'Ongoing', partitions: [{ topic, partitions: [0] }] });
    const table = await trib(['transactions', 'describe', transactionalId]);
    expect(table.out[0]).toContain(`state Ongoing  producer ${txn?.producerId} epoch ${txn?.producerEpoch}`);
    const unknown = await trib(['transactions', 'describe', 'no-such-id']);
    expect(unknown.code).toBe(EXIT_FAILURE);
    expect(unknown.err).toEqual([expect.stringMatching(/^error: TRANSACTIONAL_ID_NOT_FOUND: /)]);
  });

  it('describe-producers shows where the open transaction started; abort --start-offset elsewhere fails', async () => {
    const described = await trib([
      '--json',
      'transactions',
      'describe-producers',
      '--topic',
      topic,
      '--partition',
      '0',
    ]);
    expect(described).toMatchObject({ code: EXIT_OK, err: [] });
    const { activeProducers } = JSON.parse(described.out[0] ?? '') as {
      activeProducers: { producerId: number; currentTransactionStartOffset: number | null }[];
    };
    const [txn] = (
      JSON.parse((await trib(['--json', 'transactions', 'describe', transactionalId])).out[0] ?? '') as {
        transactions: Described[];
      }
    ).transactions;
    // c1, c2 (0-1) and their COMMIT marker (2): the open transaction starts at 3.
    const mine = activeProducers.find((p) => p.producerId === txn?.producerId);
    expect(mine?.currentTransactionStartOffset).toBe(3);
    const table = await trib(['transactions', 'describe-producers', '--topic', topic, '--partition', '0']);
    expect(table.out[0]).toMatch(/^ProducerId +ProducerEpoch +LatestCoordinatorEpoch +LastSequence/);
    expect(table.out.some((line) => line.startsWith(`${txn?.producerId} `) && line.endsWith(' 3'))).toBe(
      true,
    );

    const wrong = await trib([
      ...['transactions', 'abort', '--topic', topic, '--partition', '0', '--start-offset', '1'],
    ]);
    expect(wrong.code).toBe(EXIT_FAILURE);
    expect(wrong.err).toEqual([
      `error: RESOURCE_NOT_FOUND: no open transaction on ${topic}-0 starts at offset 1 (open ones start at 3)`,
    ]);
    const unknown = await trib([
      'transactions',
      'describe-producers',
      '--topic',
      'no-such',
      '--partition',
      '0',
    ]);
    expect(unknown.code).toBe(EXIT_FAILURE);
    expect(unknown.err).toEqual([expect.stringMatching(/^error: UNKNOWN_TOPIC_OR_PARTITION: /)]);
  });

  it('read_committed stops before the open transaction until abort, given its epochs, ends it', async () => {
    expect(await values('read_committed')).toEqual(['c1', 'c2']);
    expect(await values('read_uncommitted')).toEqual(['c1', 'c2', 'open', 'after']);

    const described = await trib(['--json', 'transactions', 'describe', transactionalId]);
    const [txn] = (JSON.parse(described.out[0] ?? '') as { transactions: Described[] }).transactions;
    // The coordinator epoch is the leader epoch of the id's __transaction_state partition (docs/cli.md);
    // this one-broker cluster never moved a leader, so every partition has the same one.
    const state = await trib(['--json', 'topics', 'describe', '__transaction_state']);
    const epochs = (JSON.parse(state.out[0] ?? '') as { partitions: { leaderEpoch: number }[] }).partitions;
    const coordinatorEpoch = Math.max(...epochs.map((p) => p.leaderEpoch));
    const aborted = await trib([
      ...['transactions', 'abort', '--topic', topic, '--partition', '0'],
      ...['--producer-id', String(txn?.producerId), '--producer-epoch', String(txn?.producerEpoch)],
      ...['--coordinator-epoch', String(coordinatorEpoch)],
    ]);
    expect(aborted).toMatchObject({ code: EXIT_OK, err: [] });
    expect(aborted.out).toEqual([
      `aborted the transaction of producer ${txn?.producerId} (epoch ${txn?.producerEpoch}) on ${topic}-0`,
    ]);
    expect(await values('read_committed')).toEqual(['c1', 'c2', 'after']);
  });
});
