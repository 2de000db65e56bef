/**
 * DescribeProducers as the leader answers it (describe-producers.ts), over hand-made producer entries:
 * -1 for every field an entry lacks, sorted by producer id, and the per-partition errors of a partition
 * not hosted (UNKNOWN_TOPIC_OR_PARTITION) or only followed (NOT_LEADER, Kafka's NOT_LEADER_OR_FOLLOWER).
 */
import type { ProducerEntry } from '@tributary/log';
import { describe, expect, it } from 'vitest';
import { activeProducerOf, describeProducers, type ProducerStateHolder } from './describe-producers.js';

const TRANSACTIONAL: ProducerEntry = {
  producerId: 42,
  producerEpoch: 3,
  batches: [
    { firstSequence: 0, lastSequence: 4, firstOffset: 10, lastOffset: 14, maxTimestamp: 1_000 },
    { firstSequence: 5, lastSequence: 6, firstOffset: 20, lastOffset: 21, maxTimestamp: 1_500 },
  ],
  currentTxnFirstOffset: 20,
  coordinatorEpoch: 7,
  lastUpdateMs: 99,
};

/** Opened by a marker alone (a new epoch): no batch, no open transaction. */
const MARKER_ONLY: ProducerEntry = { producerId: 9, producerEpoch: 1, batches: [], lastUpdateMs: 5 };

function holder(kind: 'leader' | 'follower', entries: readonly ProducerEntry[]): ProducerStateHolder {
  return { role: { kind }, log: { producers: { entries: () => entries } } };
}

describe('activeProducerOf', () => {
  it("reports the last batch's sequence and timestamp, the coordinator epoch and the open transaction", () => {
    expect(activeProducerOf(TRANSACTIONAL)).toEqual({
      producerId: 42,
      producerEpoch: 3,
      lastSequence: 6,
      lastTimestampMs: 1_500,
      coordinatorEpoch: 7,
      currentTxnStartOffset: 20,
    });
  });

  it('answers -1 for whatever the entry does not have', () => {
    expect(activeProducerOf(MARKER_ONLY)).toEqual({
      producerId: 9,
      producerEpoch: 1,
      lastSequence: -1,
      lastTimestampMs: -1,
      coordinatorEpoch: -1,
      currentTxnStartOffset: -1,
    });
  });
});

describe('describeProducers', () => {
  const hosted = new Map([
    ['t-0', holder('leader', [TRANSACTIONAL, MARKER_ONLY])],
    ['t-1', holder('follower', [TRANSACTIONAL])],
  ]);
  const answer = (wanted: { topic: string; partition: number }[]) =>
    describeProducers({ wanted, lookup: (t, p) => hosted.get(`${t}-${p}`), brokerId: 2 });

  it('answers a led partition with its producers sorted by id', () => {
    const [led] = answer([{ topic: 't', partition: 0 }]);
    expect(led).toMatchObject({ topic: 't', partition: 0, errorCode: '', errorMessage: '' });
    expect(led?.activeProducers.map((p) => p.producerId)).toEqual([9, 42]);
  });

  it('refuses a followed partition (NOT_LEADER) and an unhosted one, in the order asked', () => {
    const results = answer([
      { topic: 'u', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
    expect(results).toEqual([
      {
        topic: 'u',
        partition: 0,
        errorCode: 'UNKNOWN_TOPIC_OR_PARTITION',
        errorMessage: 'u-0 is not hosted by broker 2',
        activeProducers: [],
      },
      {
        topic: 't',
        partition: 1,
        errorCode: 'NOT_LEADER',
        errorMessage: 'broker 2 does not lead t-1',
        activeProducers: [],
      },
    ]);
  });
});
