import { TributaryError } from '@tributary/core';
import type { DescribedPartitionReplicas } from '@tributary/protocol';
import { describe, expect, it } from 'vitest';
import { answerDescribeReplicas, validateDescribeReplicasRequest } from './describe-replicas.js';
import { REQUEST_LIMITS } from './limits.js';

function invalidMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof TributaryError && error.code === 'INVALID_REQUEST') return error.message;
    throw error;
  }
  throw new Error('expected INVALID_REQUEST');
}

describe('DescribeReplicas validation', () => {
  it('names the bad field', () => {
    expect(
      invalidMessage(() => validateDescribeReplicasRequest({ partitions: [{ topic: '', partition: 0 }] })),
    ).toMatch(/partitions\[0\]\.topic/);
    expect(
      invalidMessage(() =>
        validateDescribeReplicasRequest({
          partitions: [
            { topic: 'ok', partition: 0 },
            { topic: 'bad/name', partition: 0 },
          ],
        }),
      ),
    ).toMatch(/partitions\[1\]\.topic/);
    expect(
      invalidMessage(() => validateDescribeReplicasRequest({ partitions: [{ topic: 'ok', partition: -1 }] })),
    ).toMatch(/partitions\[0\]\.partition/);
    expect(
      invalidMessage(() =>
        validateDescribeReplicasRequest({
          partitions: [
            { topic: 'ok', partition: 1 },
            { topic: 'ok', partition: 1 },
          ],
        }),
      ),
    ).toMatch(/twice/);
    const tooMany = Array.from({ length: REQUEST_LIMITS.partitionsPerRequestMax + 1 }, (_, i) => ({
      topic: 't',
      partition: i,
    }));
    expect(invalidMessage(() => validateDescribeReplicasRequest({ partitions: tooMany }))).toMatch(
      /^partitions has/,
    );
  });

  it('passes an empty request as "every partition led here" and a list as it is', () => {
    const asked: unknown[] = [];
    const describer = {
      describeReplicas: (wanted: unknown): DescribedPartitionReplicas[] => {
        asked.push(wanted);
        return [];
      },
    };
    answerDescribeReplicas({ partitions: [] }, describer);
    answerDescribeReplicas({ partitions: [{ topic: 'a', partition: 2 }] }, describer);
    expect(asked).toEqual([null, [{ topic: 'a', partition: 2 }]]);
    expect(answerDescribeReplicas({ partitions: [] }, undefined)).toEqual({ partitions: [] });
  });
});
