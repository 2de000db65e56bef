import type { TributaryError } from '@tributary/core';
import type { FetchRequest__Output, ProduceRequest__Output } from '@tributary/protocol';
import { describe, expect, it } from 'vitest';
import { REQUEST_LIMITS } from './limits.js';
import { validateFetchRequest, validateProduceRequest, validateReplicaFetchRequest } from './validate.js';

function produce(overrides: Partial<ProduceRequest__Output> = {}): ProduceRequest__Output {
  return {
    acks: -1,
    timeoutMs: 1_000,
    topics: [{ name: 't', partitions: [{ partition: 0, records: Buffer.alloc(10) }] }],
    transactionalId: '',
    ...overrides,
  };
}

function codeOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as TributaryError).code;
  }
}

describe('request validation', () => {
  it('accepts a well-formed produce', () => {
    expect(codeOf(() => validateProduceRequest(produce()))).toBeUndefined();
  });

  it('refuses client produce to the internal __consumer_offsets topic', () => {
    const topics = [
      { name: '__consumer_offsets', partitions: [{ partition: 0, records: Buffer.alloc(10) }] },
    ];
    expect(codeOf(() => validateProduceRequest(produce({ topics })))).toBe('INVALID_TOPIC');
  });

  it('refuses bad acks, empty names, duplicates, empty records and oversized requests', () => {
    expect(codeOf(() => validateProduceRequest(produce({ acks: 2 })))).toBe('INVALID_REQUIRED_ACKS');
    expect(codeOf(() => validateProduceRequest(produce({ timeoutMs: 1e9 })))).toBe('INVALID_REQUEST');
    const topic = (name: string, records: Buffer) => ({ name, partitions: [{ partition: 0, records }] });
    expect(codeOf(() => validateProduceRequest(produce({ topics: [topic('', Buffer.alloc(1))] })))).toBe(
      'INVALID_REQUEST',
    );
    expect(
      codeOf(() =>
        validateProduceRequest(
          produce({ topics: [topic('a', Buffer.alloc(1)), topic('a', Buffer.alloc(1))] }),
        ),
      ),
    ).toBe('INVALID_REQUEST');
    expect(codeOf(() => validateProduceRequest(produce({ topics: [topic('a', Buffer.alloc(0))] })))).toBe(
      'INVALID_REQUEST',
    );
    const big = Buffer.alloc(REQUEST_LIMITS.produceBytesPerRequestMax / 2 + 1);
    const twoBig = { name: 'a', partitions: [0, 1].map((partition) => ({ partition, records: big })) };
    expect(codeOf(() => validateProduceRequest(produce({ topics: [twoBig] })))).toBe('INVALID_REQUEST');
  });

  it('bounds fetches and replica fetches', () => {
    const fetch: FetchRequest__Output = {
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 1024,
      topics: [
        {
          name: 't',
          partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1024, currentLeaderEpoch: -1 }],
        },
      ],
    };
    expect(codeOf(() => validateFetchRequest(fetch))).toBeUndefined();
    expect(codeOf(() => validateFetchRequest({ ...fetch, maxWaitMs: 3_600_000 }))).toBe('INVALID_REQUEST');
    const negative = {
      ...fetch,
      topics: [
        {
          name: 't',
          partitions: [{ partition: 0, fetchOffset: -5, partitionMaxBytes: 1, currentLeaderEpoch: -1 }],
        },
      ],
    };
    expect(codeOf(() => validateFetchRequest(negative))).toBe('INVALID_REQUEST');
    const many = Array.from({ length: REQUEST_LIMITS.partitionsPerRequestMax + 1 }, (_, partition) => ({
      topic: 't',
      partition,
      fetchOffset: 0,
      lastFetchedEpoch: -1,
      currentLeaderEpoch: 0,
      logStartOffset: 0,
    }));
    expect(
      codeOf(() =>
        validateReplicaFetchRequest({
          replicaId: 2,
          brokerEpoch: 1,
          maxWaitMs: 0,
          minBytes: 0,
          maxBytes: 0,
          partitions: many,
        }),
      ),
    ).toBe('INVALID_REQUEST');
  });
});
