/**
 * The commit manager's OffsetFetch against a scripted coordinator: a read_committed member asks for stable
 * offsets (KIP-447) and waits out UNSTABLE_OFFSET_COMMIT, so it never resumes from the offset before
 * another member's pending transactional commit; a read_uncommitted member does not ask.
 */
import { SeededRandom, TributaryError } from '@tributary/core';
import type { OffsetFetchRequest, OffsetFetchResponse } from '@tributary/protocol';
import { describe, expect, it } from 'vitest';
import { CommitManager } from './commit-manager.js';
import type { CoordinatorLookup } from './coordinator.js';
import { partitionKey } from './reconcile.js';

/** Answers OffsetFetch UNSTABLE_OFFSET_COMMIT `unstableAnswers` times when asked for stable offsets. */
function scriptedLookup(unstableAnswers: number): {
  lookup: CoordinatorLookup;
  requests: OffsetFetchRequest[];
} {
  const requests: OffsetFetchRequest[] = [];
  let unstableLeft = unstableAnswers;
  const fake = {
    groupId: 'g',
    async call(method: string, request: OffsetFetchRequest): Promise<OffsetFetchResponse> {
      expect(method).toBe('OffsetFetch');
      requests.push(request);
      if (request.requireStable === true && unstableLeft > 0) {
        unstableLeft--;
        throw new TributaryError('UNSTABLE_OFFSET_COMMIT', 'a transaction holds an offset commit');
      }
      return {
        errorCode: '',
        errorMessage: '',
        offsets: [{ topic: 'in', partition: 0, offset: 42, leaderEpoch: -1, metadata: '' }],
      };
    },
  };
  // The manager uses only groupId and call of the lookup.
  return { lookup: fake as unknown as CoordinatorLookup, requests };
}

function manager(lookup: CoordinatorLookup, requireStable: boolean): CommitManager {
  return new CommitManager({
    lookup,
    random: new SeededRandom(7),
    member: () => ({ memberId: 'm', memberEpoch: 1 }),
    requireStable,
  });
}

describe('CommitManager.fetchCommitted', () => {
  it('asks for stable offsets under read_committed and waits while a transaction holds one', async () => {
    const { lookup, requests } = scriptedLookup(3);
    const found = await manager(lookup, true).fetchCommitted([{ topic: 'in', partition: 0 }]);
    expect(found.get(partitionKey({ topic: 'in', partition: 0 }))).toBe(42);
    expect(requests).toHaveLength(4);
    expect(requests.every((r) => r.requireStable === true)).toBe(true);
  });

  it('does not ask for stable offsets under read_uncommitted', async () => {
    const { lookup, requests } = scriptedLookup(3);
    await manager(lookup, false).fetchCommitted([{ topic: 'in', partition: 0 }]);
    expect(requests.map((r) => r.requireStable)).toEqual([false]);
  });
});
