import { describe, expect, it } from 'vitest';
import { AssertionError, assert } from './assert.js';
import { ManualClock } from './clock.js';
import { mapConcurrently } from './concurrency.js';
import {
  ERROR_CODES,
  type ErrorCodeEntry,
  isErrorCode,
  isStaleMetadata,
  isWrongNode,
  needsCoordinatorLookup,
  TributaryError,
} from './errors.js';
import { SeededRandom } from './random.js';
import { validateTopicName } from './topic-name.js';

describe('assert', () => {
  it('throws an AssertionError with the message when the condition fails', () => {
    expect(() => assert(false, 'commit index passed log end')).toThrow(AssertionError);
    expect(() => assert(1 + 1 === 3, () => 'lazy message')).toThrow('lazy message');
    expect(() => assert(true, 'never')).not.toThrow();
  });
});

describe('SeededRandom', () => {
  it('replays the same sequence from the same seed and differs across seeds', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    const seqB = Array.from({ length: 5 }, () => b.next());
    const seqC = Array.from({ length: 5 }, () => c.next());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });
  it('draws integers inside the range and rejects empty ranges', () => {
    const r = new SeededRandom(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 6);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThan(6);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5]);
    expect(() => r.int(5, 5)).toThrow(RangeError);
  });
});

describe('ManualClock', () => {
  it('moves only forward when told to', () => {
    const clock = new ManualClock(10);
    clock.advance(5);
    expect(clock.nowMs()).toBe(15);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('jumps its wall clock alone, forwards and backwards, while the monotonic clock keeps going', () => {
    const clock = new ManualClock(100);
    clock.jumpWall(86_400_000);
    expect(clock.wallMs()).toBe(86_400_100);
    expect(clock.nowMs()).toBe(100);
    clock.advance(10);
    clock.jumpWall(-2 * 86_400_000);
    expect(clock.wallMs()).toBe(110 - 86_400_000);
    expect(clock.nowMs()).toBe(110);
    expect(() => clock.jumpWall(Number.NaN)).toThrow(RangeError);
  });
});

describe('error codes', () => {
  it('carry retriability from the shared table', () => {
    expect(new TributaryError('NOT_CONTROLLER', 'x').retriable).toBe(true);
    expect(new TributaryError('TOPIC_ALREADY_EXISTS', 'x').retriable).toBe(false);
    expect(isErrorCode('INVALID_TOPIC')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(Object.keys(ERROR_CODES).length).toBeGreaterThan(10);
  });

  it('carry the retry columns the client acts on, each only on retriable codes', () => {
    const codes = Object.keys(ERROR_CODES).filter(isErrorCode);
    for (const code of codes) {
      const entry: ErrorCodeEntry = ERROR_CODES[code];
      if (isStaleMetadata(code) || isWrongNode(code) || needsCoordinatorLookup(code)) {
        expect(entry.retriable, code).toBe(true);
      }
    }
    expect(codes.filter(isWrongNode).sort()).toEqual([
      'BROKER_NOT_READY',
      'LEADER_NOT_AVAILABLE',
      'NOT_LEADER',
      'SHUTTING_DOWN',
      // Kafka's KAFKA_STORAGE_ERROR: the replica's log directory is offline, the leadership moves.
      'STORAGE_ERROR',
    ]);
    expect(isStaleMetadata('STORAGE_ERROR')).toBe(true);
    expect(codes.filter(needsCoordinatorLookup).sort()).toEqual([
      'COORDINATOR_NOT_AVAILABLE',
      'NOT_COORDINATOR',
    ]);
    expect(isStaleMetadata('FENCED_LEADER_EPOCH')).toBe(true);
    expect(isStaleMetadata('BROKER_NOT_READY')).toBe(false);
  });
});

describe('validateTopicName', () => {
  it.each(['orders', 'a.b_c-D9', 'x'.repeat(249)])('accepts %s', (name) => {
    expect(() => validateTopicName(name)).not.toThrow();
  });
  it.each(['', '.', '..', 'x'.repeat(250), 'has space', 'ümlaut', 'a/b'])('rejects %j', (name) => {
    expect(() => validateTopicName(name)).toThrow(TributaryError);
  });
});

describe('mapConcurrently', () => {
  it('keeps at most `concurrency` calls in flight and answers in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapConcurrently([5, 1, 4, 2, 3, 0], 2, async (delayMs, index) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      inFlight--;
      return `${index}:${delayMs}`;
    });
    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0']);
    expect(most).toBe(2);
    expect(await mapConcurrently([], 4, async () => 1)).toEqual([]);
    await expect(
      mapConcurrently([1, 2], 1, async (n) => (n === 2 ? Promise.reject(new Error('two')) : n)),
    ).rejects.toThrow('two');
  });
});
