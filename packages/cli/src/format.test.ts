import { describe, expect, it } from 'vitest';
import { collectConfig, parseAddressList } from './args.js';
import { formatBrokersTable, summarizeCluster } from './commands/brokers.js';
import { entryLines, formatLogLine } from './commands/metadata-log.js';
import { formatQuorumLine, formatQuorumTable, noQuorumSummary, summarizeQuorum } from './commands/quorum.js';
import { formatTopicDescription, summarizeTopic } from './commands/topics.js';
import { formatTable } from './format.js';
import { encodeJson, jsonDecoders } from './testing/capture.js';

const voters = [
  { id: 1, address: 'c1:9093', matchIndex: 10, lag: 0, lastContactMsAgo: -1 },
  { id: 2, address: 'c2:9093', matchIndex: 8, lag: 2, lastContactMsAgo: 120 },
  { id: 3, address: 'c3:9093', matchIndex: 0, lag: 10, lastContactMsAgo: 9000 },
];

function quorum(nodeId: number, role: string, term: number) {
  return {
    nodeId,
    leaderId: role === 'leader' ? nodeId : -1,
    term,
    commitIndex: 10,
    lastIndex: 11,
    role,
    voters: role === 'leader' ? voters : voters.map((voter) => ({ ...voter, matchIndex: 0, lag: 0 })),
    snapshotIndex: 0,
    appliedIndex: 10,
    observers: [],
  };
}

describe('formatTable', () => {
  it('aligns columns without trailing spaces', () => {
    expect(
      formatTable(
        ['ID', 'NAME'],
        [
          ['1', 'orders'],
          ['10', '-'],
        ],
      ),
    ).toEqual(['ID  NAME', '1   orders', '10  -']);
  });
});

describe('argument parsers', () => {
  it('parse address lists and repeated configs', () => {
    expect(parseAddressList(' a:1, [::1]:9093 ,b.c:65535')).toEqual(['a:1', '[::1]:9093', 'b.c:65535']);
    expect(collectConfig('c=d=e', collectConfig('a=b'))).toEqual([
      ['a', 'b'],
      ['c', 'd=e'],
    ]);
  });
});

describe('summarizeQuorum', () => {
  const at = Date.parse('2030-01-01T00:00:00.000Z');

  it("uses the leader's answer and marks who answered", () => {
    const summary = summarizeQuorum(
      [
        { address: 'c1:9093', response: quorum(1, 'leader', 4) },
        { address: 'c2:9093', response: quorum(2, 'follower', 4) },
        { address: 'c3:9093', response: null },
      ],
      at,
    );
    expect(summary).toEqual({
      leaderId: 1,
      term: 4,
      commitIndex: 10,
      lastIndex: 11,
      voters: [
        { id: 1, address: 'c1:9093', matchIndex: 10, lag: 0, lastContactMsAgo: null, reachable: true },
        { id: 2, address: 'c2:9093', matchIndex: 8, lag: 2, lastContactMsAgo: 120, reachable: true },
        { id: 3, address: 'c3:9093', matchIndex: 0, lag: 10, lastContactMsAgo: 9000, reachable: false },
      ],
      observers: [],
      timestamp: at,
    });
  });

  it('prefers the highest term when two answers claim leadership', () => {
    const summary = summarizeQuorum(
      [
        { address: 'c1:9093', response: quorum(1, 'leader', 3) },
        { address: 'c2:9093', response: quorum(2, 'leader', 5) },
      ],
      at,
    );
    expect(summary?.leaderId).toBe(2);
    expect(summary?.term).toBe(5);
  });

  it('reports no leader (and no progress) when only followers answer, and null when none do', () => {
    const summary = summarizeQuorum([{ address: 'c2:9093', response: quorum(2, 'follower', 4) }], at);
    expect(summary?.leaderId).toBeNull();
    expect(summary?.voters[1]).toMatchObject({ lag: null, matchIndex: null, reachable: true });
    expect(summarizeQuorum([{ address: 'c1:9093', response: null }], at)).toBeNull();
  });

  it('formats a table and compact watch lines', () => {
    const summary = summarizeQuorum([{ address: 'c1:9093', response: quorum(1, 'leader', 4) }], at);
    if (summary === null) throw new Error('expected a summary');
    expect(formatQuorumTable(summary)).toEqual([
      'leader 1  term 4  commit index 10  last index 11',
      'ID  ADDRESS  ROLE    MATCH INDEX  LAG  LAST CONTACT MS  REACHABLE',
      '1   c1:9093  leader  10           0    -                yes',
      '2   c2:9093  voter   8            2    120              no',
      '3   c3:9093  voter   0            10   9000             no',
    ]);
    expect(formatQuorumLine(summary)).toBe(
      '2030-01-01T00:00:00.000Z  leader 1  term 4  commit 10  last 11  lag 1:0 2:down 3:down',
    );
    expect(formatQuorumLine(noQuorumSummary(at))).toBe('2030-01-01T00:00:00.000Z  no controller answered');
  });
});

describe('brokers and topics output', () => {
  it('shows fenced state and epoch, sorted by id', () => {
    const summary = summarizeCluster({
      clusterId: 'c',
      controllerId: -1,
      metadataOffset: 3,
      brokers: [
        {
          brokerId: 2,
          address: 'b2:9092',
          rack: '',
          brokerEpoch: 9,
          fenced: true,
          incarnationId: 'x',
          kafkaAddress: '',
        },
        {
          brokerId: 1,
          address: 'b1:9092',
          rack: 'r1',
          brokerEpoch: 4,
          fenced: false,
          incarnationId: 'y',
          kafkaAddress: 'b1:9094',
        },
      ],
    });
    expect(summary.controllerId).toBeNull();
    expect(formatBrokersTable(summary)).toEqual([
      'ID  ADDRESS  KAFKA    RACK  STATE     EPOCH',
      '1   b1:9092  b1:9094  r1    unfenced  4',
      '2   b2:9092  -        -     fenced    9',
    ]);
  });

  it('shows a leaderless partition with leader null / "-"', () => {
    const summary = summarizeTopic({
      name: 't',
      topicId: 'id',
      configs: [{ name: 'retention.ms', value: '1000' }],
      partitions: [
        {
          partition: 1,
          leader: 2,
          leaderEpoch: 3,
          partitionEpoch: 4,
          replicas: [2, 3],
          isr: [2],
          addingReplicas: [],
          removingReplicas: [],
        },
        {
          partition: 0,
          leader: -1,
          leaderEpoch: 1,
          partitionEpoch: 1,
          replicas: [1],
          isr: [],
          addingReplicas: [],
          removingReplicas: [],
        },
      ],
    });
    expect(summary.partitions[0]).toEqual({
      partition: 0,
      leader: null,
      leaderEpoch: 1,
      replicas: [1],
      isr: [],
    });
    expect(formatTopicDescription(summary)).toEqual([
      'topic t  id id  partitions 2  configs retention.ms=1000',
      'PARTITION  LEADER  LEADER EPOCH  REPLICAS  ISR',
      '0          -       1             1         -',
      '1          2       3             2,3       2',
    ]);
  });
});

describe('metadata log lines', () => {
  it('prints offset, term, type and fields; no-ops and undecodable records too', () => {
    const lines = entryLines(
      {
        offset: 7,
        term: 2,
        leaderChange: false,
        records: [encodeJson({ type: 'Topic', name: 'orders', topicId: 'u1' }), Buffer.from('garbage')],
        quorumMembership: '',
      },
      jsonDecoders,
    );
    expect(lines.map((line) => formatLogLine(line, false))).toEqual([
      '7 2 Topic {"name":"orders","topicId":"u1"}',
      expect.stringMatching(/^7 2 Undecodable \{"error":/),
    ]);
    expect(formatLogLine(lines[0] ?? noLine(), true)).toBe(
      '{"offset":7,"term":2,"type":"Topic","fields":{"name":"orders","topicId":"u1"}}',
    );
    const noop = entryLines(
      { offset: 8, term: 3, leaderChange: true, records: [], quorumMembership: '' },
      jsonDecoders,
    );
    expect(noop.map((line) => formatLogLine(line, false))).toEqual(['8 3 LeaderChange {}']);
  });

  it('shows controller quorum membership changes, and what it cannot read as Undecodable', () => {
    const membership = '{"voters":[1,2],"learners":[4],"addresses":{"4":"h4:9093"}}';
    const lines = entryLines(
      { offset: 9, term: 3, leaderChange: false, records: [], quorumMembership: membership },
      jsonDecoders,
    );
    expect(lines.map((line) => formatLogLine(line, false))).toEqual([`9 3 QuorumMembership ${membership}`]);
    const bad = entryLines(
      { offset: 10, term: 3, leaderChange: false, records: [], quorumMembership: '[1' },
      jsonDecoders,
    );
    expect(bad[0]?.type).toBe('Undecodable');
  });
});

function noLine(): never {
  throw new Error('expected a line');
}
