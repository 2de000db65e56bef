import { TributaryError } from '@tributary/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, runCli } from './program.js';
import { captureIo, encodeJson, jsonDecoders } from './testing/capture.js';
import { type FakeController, startFakeController } from './testing/fake-controller.js';

const voters = [
  { id: 1, address: 'c1', matchIndex: 20, lag: 0, lastContactMsAgo: 0 },
  { id: 2, address: 'c2', matchIndex: 18, lag: 2, lastContactMsAgo: 40 },
  { id: 3, address: 'c3', matchIndex: 5, lag: 15, lastContactMsAgo: -1 },
];

function quorumAnswer(nodeId: number, role: 'leader' | 'follower', term: number) {
  return {
    nodeId,
    leaderId: 1,
    term,
    commitIndex: 20,
    lastIndex: 21,
    role,
    voters,
    snapshotIndex: 0,
    appliedIndex: 20,
  };
}

let leader: FakeController;
let follower: FakeController;
/** A port nothing listens on: a dead controller. */
const dead = '127.0.0.1:1';

beforeAll(async () => {
  leader = await startFakeController(quorumAnswer(1, 'leader', 7));
  follower = await startFakeController(quorumAnswer(2, 'follower', 7));
});

afterAll(async () => {
  await Promise.all([leader.stop(), follower.stop()]);
});

beforeEach(() => {
  leader.state.topics.clear();
  leader.state.adminError = undefined;
  leader.state.metadataEvents = [];
  leader.state.requests.length = 0;
});

async function trib(argv: string[], controllers = leader.address) {
  const captured = captureIo();
  const code = await runCli(
    ['--controllers', controllers, '--timeout-ms', '3000', ...argv],
    captured.io,
    jsonDecoders,
  );
  return { code, out: captured.out, err: captured.err };
}

function parseOnly(out: string[]): unknown {
  expect(out).toHaveLength(1);
  return JSON.parse(out[0] ?? '');
}

describe('trib quorum describe', () => {
  it("asks every controller, tolerates dead ones and reports the leader's view as one JSON object", async () => {
    const { code, out, err } = await trib(
      ['quorum', 'describe', '--json'],
      `${dead},${follower.address},${leader.address}`,
    );
    expect(err).toEqual([]);
    expect(code).toBe(EXIT_OK);
    expect(parseOnly(out)).toEqual({
      leaderId: 1,
      term: 7,
      commitIndex: 20,
      lastIndex: 21,
      voters: [
        { id: 1, address: 'c1', matchIndex: 20, lag: 0, lastContactMsAgo: 0, reachable: true },
        { id: 2, address: 'c2', matchIndex: 18, lag: 2, lastContactMsAgo: 40, reachable: true },
        { id: 3, address: 'c3', matchIndex: 5, lag: 15, lastContactMsAgo: null, reachable: false },
      ],
      observers: [],
      timestamp: Date.parse('2030-01-01T00:00:00.000Z'),
    });
  });

  it('prints one error line and exits 1 when no controller answers', async () => {
    const { code, out, err } = await trib(['quorum', 'describe'], dead);
    expect(code).toBe(EXIT_FAILURE);
    expect(out).toEqual([]);
    expect(err).toEqual([`error: LEADER_NOT_AVAILABLE: no controller answered (${dead})`]);
  });

  it('--watch prints a line per poll (leaderId null when nobody answers) until interrupted', async () => {
    const captured = captureIo();
    const running = runCli(
      ['--controllers', dead, '--json', 'quorum', 'describe', '--watch', '--interval-ms', '20'],
      captured.io,
      jsonDecoders,
    );
    await waitFor(() => captured.out.length >= 2);
    captured.interrupt();
    expect(await running).toBe(EXIT_OK);
    for (const line of captured.out) expect(JSON.parse(line)).toMatchObject({ leaderId: null, voters: [] });
  });
});

describe('trib brokers list', () => {
  it('prints a table and JSON', async () => {
    const table = await trib(['brokers', 'list']);
    expect(table.out).toEqual([
      'ID  ADDRESS         KAFKA  RACK  STATE     EPOCH',
      '1   127.0.0.1:9101  -      r1    unfenced  5',
      '2   127.0.0.1:9102  -      -     fenced    7',
    ]);
    const json = await trib(['--json', 'brokers', 'list']);
    expect(parseOnly(json.out)).toMatchObject({
      clusterId: 'cluster-1',
      controllerId: 1,
      brokers: [
        { id: 1, address: '127.0.0.1:9101', rack: 'r1', fenced: false, epoch: 5 },
        { id: 2, address: '127.0.0.1:9102', rack: null, fenced: true, epoch: 7 },
      ],
    });
  });

  it('finds the active controller behind a NOT_CONTROLLER hint', async () => {
    follower.state.adminError = new TributaryError('NOT_CONTROLLER', 'standby', {
      leaderHint: { id: 1, address: leader.address },
    });
    try {
      const { code } = await trib(['brokers', 'list'], follower.address);
      expect(code).toBe(EXIT_OK);
      expect(leader.state.requests.map((request) => request.method)).toEqual(['DescribeCluster']);
    } finally {
      follower.state.adminError = undefined;
    }
  });
});

describe('trib topics', () => {
  it('create sends partitions, replication factor and configs, and prints the topic', async () => {
    const { code, out } = await trib([
      '--json',
      'topics',
      'create',
      'orders',
      '--partitions',
      '2',
      '--replication-factor',
      '3',
      '--config',
      'retention.ms=1000',
      '--config',
      'cleanup.policy=compact',
    ]);
    expect(code).toBe(EXIT_OK);
    expect(leader.state.requests[0]).toEqual({
      method: 'CreateTopic',
      request: {
        name: 'orders',
        partitions: 2,
        replicationFactor: 3,
        configs: [
          { name: 'retention.ms', value: '1000' },
          { name: 'cleanup.policy', value: 'compact' },
        ],
        validateOnly: false,
      },
    });
    expect(parseOnly(out)).toEqual({
      name: 'orders',
      id: 'id-orders',
      partitions: [
        { partition: 0, leader: null, leaderEpoch: 0, replicas: [1, 2, 3], isr: [] },
        { partition: 1, leader: 1, leaderEpoch: 1, replicas: [1, 2, 3], isr: [1, 2, 3] },
      ],
      configs: { 'retention.ms': '1000', 'cleanup.policy': 'compact' },
    });
  });

  it('list, describe, add-partitions and delete', async () => {
    await trib(['topics', 'create', 'b-topic', '--partitions', '1', '--replication-factor', '3']);
    await trib(['topics', 'create', 'a-topic', '--partitions', '1', '--replication-factor', '3']);

    const listed = await trib(['topics', 'list']);
    expect(listed.out).toEqual([
      'NAME     ID          PARTITIONS  REPLICATION FACTOR',
      'a-topic  id-a-topic  1           3',
      'b-topic  id-b-topic  1           3',
    ]);
    const listedJson = await trib(['--json', 'topics', 'list']);
    expect(parseOnly(listedJson.out)).toEqual({
      topics: [
        { name: 'a-topic', id: 'id-a-topic', partitions: 1, replicationFactor: 3 },
        { name: 'b-topic', id: 'id-b-topic', partitions: 1, replicationFactor: 3 },
      ],
    });

    const grown = await trib(['topics', 'add-partitions', 'a-topic', '--partitions', '3']);
    expect(grown.out[0]).toBe('topic a-topic now has 3 partitions');
    expect(leader.state.requests.at(-1)).toEqual({
      method: 'CreatePartitions',
      request: { name: 'a-topic', totalCount: 3, validateOnly: false },
    });

    const described = await trib(['topics', 'describe', 'a-topic', '--json']);
    expect(parseOnly(described.out)).toMatchObject({ name: 'a-topic', partitions: [{}, {}, {}] });

    const deleted = await trib(['--json', 'topics', 'delete', 'a-topic']);
    expect(parseOnly(deleted.out)).toEqual({ name: 'a-topic', id: 'id-a-topic' });
  });

  it('alter-config sets and removes configs, and refuses an empty change', async () => {
    await trib([
      'topics',
      'create',
      'c-topic',
      '--partitions',
      '1',
      '--replication-factor',
      '3',
      '--config',
      'retention.ms=1000',
    ]);
    const altered = await trib([
      'topics',
      'alter-config',
      'c-topic',
      '--set',
      'segment.bytes=4096',
      '--delete',
      'retention.ms',
    ]);
    expect(altered.out[0]).toBe('changed the configs of topic c-topic');
    expect(leader.state.requests.at(-1)).toEqual({
      method: 'AlterTopicConfigs',
      request: {
        name: 'c-topic',
        set: [{ name: 'segment.bytes', value: '4096' }],
        remove: ['retention.ms'],
        validateOnly: false,
      },
    });
    const described = await trib(['--json', 'topics', 'describe', 'c-topic']);
    expect(parseOnly(described.out)).toMatchObject({ configs: { 'segment.bytes': '4096' } });
    const empty = await trib(['topics', 'alter-config', 'c-topic']);
    expect(empty.code).not.toBe(0);
    expect(empty.err[0]).toContain('nothing to change');
  });

  it('maps server errors to `error: CODE: message` and exit 1', async () => {
    const missing = await trib(['topics', 'describe', 'nope']);
    expect(missing).toMatchObject({
      code: EXIT_FAILURE,
      out: [],
      err: ['error: UNKNOWN_TOPIC: topic "nope" does not exist'],
    });
    const deleted = await trib(['topics', 'delete', 'nope']);
    expect(deleted.err).toEqual(['error: UNKNOWN_TOPIC: topic "nope" does not exist']);
    await trib(['topics', 'create', 'dup', '--partitions', '1', '--replication-factor', '1']);
    const duplicate = await trib([
      'topics',
      'create',
      'dup',
      '--partitions',
      '1',
      '--replication-factor',
      '1',
    ]);
    expect(duplicate).toMatchObject({
      code: EXIT_FAILURE,
      err: ['error: TOPIC_ALREADY_EXISTS: topic "dup" already exists'],
    });
  });
});

describe('trib metadata log', () => {
  const events = () => [
    {
      snapshot: {
        snapshotOffset: 9,
        snapshotTerm: 1,
        data: encodeJson({ offset: 9, records: [] }).subarray(0, 5),
      },
      highWatermark: 12,
    },
    {
      snapshot: {
        snapshotOffset: 9,
        snapshotTerm: 1,
        data: encodeJson({ offset: 9, records: [{ type: 'Topic', name: 't', topicId: 'u' }] }).subarray(5),
        last: false,
      },
      highWatermark: 12,
    },
    {
      snapshot: { snapshotOffset: 9, snapshotTerm: 1, data: Buffer.alloc(0), last: true },
      highWatermark: 12,
    },
    { entry: { offset: 10, term: 2, leaderChange: true, records: [] }, highWatermark: 12 },
    {
      entry: {
        offset: 11,
        term: 2,
        records: [
          encodeJson({ type: 'RegisterBroker', brokerId: 1 }),
          encodeJson({ type: 'UnfenceBroker', brokerId: 1 }),
        ],
      },
      highWatermark: 12,
    },
  ];

  it('prints the snapshot and each record, then exits once caught up', async () => {
    leader.state.metadataEvents = events();
    const { code, out, err } = await trib(['metadata', 'log', '--from', '3']);
    expect(err).toEqual([]);
    expect(code).toBe(EXIT_OK);
    expect(leader.state.requests).toEqual([
      { method: 'FetchMetadata', request: { fromOffset: 3, follow: false } },
    ]);
    expect(out).toEqual([
      `9 1 Snapshot ${JSON.stringify({ bytes: encodeJson({ offset: 9, records: [{ type: 'Topic', name: 't', topicId: 'u' }] }).length, records: 1 })}`,
      '9 1 Topic {"name":"t","topicId":"u"}',
      '10 2 LeaderChange {}',
      '11 2 RegisterBroker {"brokerId":1}',
      '11 2 UnfenceBroker {"brokerId":1}',
    ]);
  });

  it('--follow --json streams JSON lines until interrupted', async () => {
    leader.state.metadataEvents = events().slice(3);
    const captured = captureIo();
    const running = runCli(
      ['--controllers', `${dead},${leader.address}`, '--json', 'metadata', 'log', '--follow'],
      captured.io,
      jsonDecoders,
    );
    await waitFor(() => captured.out.length >= 3);
    captured.interrupt();
    expect(await running).toBe(EXIT_OK);
    expect(captured.err).toEqual([]);
    expect(captured.out.map((line) => JSON.parse(line))).toEqual([
      { offset: 10, term: 2, type: 'LeaderChange', fields: {} },
      { offset: 11, term: 2, type: 'RegisterBroker', fields: { brokerId: 1 } },
      { offset: 11, term: 2, type: 'UnfenceBroker', fields: { brokerId: 1 } },
    ]);
  });

  it('fails with one line when no controller serves the log', async () => {
    const { code, err } = await trib(['metadata', 'log'], dead);
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error: LEADER_NOT_AVAILABLE: /);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const startMs = performance.now();
  while (!condition()) {
    if (performance.now() - startMs > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
