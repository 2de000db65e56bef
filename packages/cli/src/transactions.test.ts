/**
 * `trib transactions list | describe | abort` and `trib consume --isolation-level`: argument refusals (one
 * line, exit 2), the pure table output, and the commands end to end against `tributary dev` in this process
 * with a transactional producer that commits one transaction and leaves the next one open.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Producer, TributaryClient } from '@tributary/client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTransactionDescription, formatTransactionList } from './commands/transactions.js';
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
