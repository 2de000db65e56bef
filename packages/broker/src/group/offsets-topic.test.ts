import { ManualClock, TributaryError } from '@tributary/core';
import type { ProducePartitionResult } from '@tributary/protocol';
import { describe, expect, it } from 'vitest';
import { appendOffsetsRecords } from './offsets-topic.js';

const clock = new ManualClock(1_000);
const record = {
  key: { group: 'g', topic: 't', partition: 0 },
  value: null,
};

function answering(errorCode: string): () => Promise<ProducePartitionResult[]> {
  return async () => [{ partition: 0, errorCode, errorMessage: 'injected', baseOffset: -1 }];
}

describe('appendOffsetsRecords', () => {
  it.each([
    ['STORAGE_ERROR', 'NOT_COORDINATOR'],
    ['NOT_LEADER', 'NOT_COORDINATOR'],
    ['REQUEST_TIMED_OUT', 'COORDINATOR_NOT_AVAILABLE'],
  ])('turns a failed write (%s) into the retriable coordinator error %s', async (written, answered) => {
    const failed = appendOffsetsRecords(answering(written), clock, 0, [record]);
    await expect(failed).rejects.toBeInstanceOf(TributaryError);
    await expect(failed).rejects.toMatchObject({ code: answered, retriable: true });
  });
});
