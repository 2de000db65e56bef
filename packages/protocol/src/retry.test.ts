import { SeededRandom, TributaryError } from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, nextRetryStep } from './retry.js';

const addresses = ['a:1', 'b:1', 'c:1'];

describe('backoffDelayMs', () => {
  it('stays within [window/2, window] and the window doubles up to the maximum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer(), (round, seed) => {
        const windowMs = Math.min(1_000, 50 * 2 ** Math.min(round, 30));
        const delayMs = backoffDelayMs(round, { baseMs: 50, maxMs: 1_000 }, new SeededRandom(seed));
        return delayMs >= Math.floor(windowMs / 2) && delayMs <= windowMs;
      }),
    );
  });
});

describe('nextRetryStep', () => {
  const state = (tried: string[]) => ({ addresses, triedSinceBackoff: new Set(tried) });

  it('fails on non-retriable errors', () => {
    expect(nextRetryStep(state(['a:1']), 'a:1', new TributaryError('UNKNOWN_TOPIC', 'x'))).toEqual({
      kind: 'fail',
    });
  });

  it('follows a leader hint at once', () => {
    const error = new TributaryError('NOT_CONTROLLER', 'x', { leaderHint: { id: 9, address: 'z:1' } });
    expect(nextRetryStep(state(['a:1']), 'a:1', error)).toEqual({
      kind: 'retry',
      address: 'z:1',
      backoff: false,
    });
  });

  it('rotates to untried addresses, then backs off once all were tried', () => {
    const error = new TributaryError('LEADER_NOT_AVAILABLE', 'x');
    expect(nextRetryStep(state(['b:1']), 'b:1', error)).toEqual({
      kind: 'retry',
      address: 'c:1',
      backoff: false,
    });
    expect(nextRetryStep(state(['b:1', 'c:1']), 'c:1', error)).toEqual({
      kind: 'retry',
      address: 'a:1',
      backoff: false,
    });
    expect(nextRetryStep(state(addresses), 'a:1', error)).toEqual({
      kind: 'retry',
      address: 'b:1',
      backoff: true,
    });
  });

  it('does not bounce back to a hinted node already tried in this round', () => {
    const error = new TributaryError('NOT_CONTROLLER', 'x', { leaderHint: { id: 1, address: 'a:1' } });
    expect(nextRetryStep(state(['a:1', 'b:1']), 'b:1', error)).toEqual({
      kind: 'retry',
      address: 'c:1',
      backoff: false,
    });
  });

  it('retries a busy node itself after a pause', () => {
    const error = new TributaryError('RESOURCE_EXHAUSTED', 'x');
    expect(nextRetryStep(state(['a:1']), 'a:1', error)).toEqual({
      kind: 'retry',
      address: 'a:1',
      backoff: true,
    });
  });
});
