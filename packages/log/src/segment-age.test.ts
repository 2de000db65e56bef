import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  judgedMaxTimestampMs,
  judgedWallNowMs,
  retentionExpired,
  type SegmentAgeInput,
  segmentAgeMs,
} from './segment-age.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A wall clock reading in 2026 (ms since the epoch). */
const T0 = 1_796_000_000_000;

function input(fields: {
  maxTimestampMs: number;
  openedWallMs?: number;
  openedMonotonicMs?: number;
  nowWallMs: number;
  nowMonotonicMs: number;
}): SegmentAgeInput {
  return {
    maxTimestampMs: fields.maxTimestampMs,
    observed: { wallMs: fields.openedWallMs ?? T0, monotonicMs: fields.openedMonotonicMs ?? 0 },
    nowWallMs: fields.nowWallMs,
    nowMonotonicMs: fields.nowMonotonicMs,
  };
}

describe('segmentAgeMs', () => {
  // Each row: the log opened at wall T0 / monotonic 0, a segment's newest record, both clocks now.
  const rows: readonly {
    name: string;
    maxTimestampMs: number;
    nowWallMs: number;
    nowMonotonicMs: number;
    ageMs: number;
  }[] = [
    {
      name: 'honest clocks: Kafka’s age',
      maxTimestampMs: T0,
      nowWallMs: T0 + HOUR_MS,
      nowMonotonicMs: HOUR_MS,
      ageMs: HOUR_MS,
    },
    {
      name: 'old data stays old',
      maxTimestampMs: T0 - 10 * DAY_MS,
      nowWallMs: T0 + 1_000,
      nowMonotonicMs: 1_000,
      ageMs: 10 * DAY_MS + 1_000,
    },
    {
      name: 'wall a day ahead: real time only',
      maxTimestampMs: T0,
      nowWallMs: T0 + DAY_MS + 5_000,
      nowMonotonicMs: 5_000,
      ageMs: 5_000,
    },
    {
      name: 'wall a day behind: younger (kept longer)',
      maxTimestampMs: T0,
      nowWallMs: T0 - DAY_MS + 5_000,
      nowMonotonicMs: 5_000,
      ageMs: 5_000 - DAY_MS,
    },
    {
      name: 'data from the future: negative',
      maxTimestampMs: T0 + HOUR_MS,
      nowWallMs: T0,
      nowMonotonicMs: 0,
      ageMs: -HOUR_MS,
    },
    {
      name: 'old data, wall ahead: its real age',
      maxTimestampMs: T0 - 2 * DAY_MS,
      nowWallMs: T0 + 30 * DAY_MS,
      nowMonotonicMs: HOUR_MS,
      ageMs: 2 * DAY_MS + HOUR_MS,
    },
    {
      name: 'empty segment (-1): as old as the epoch',
      maxTimestampMs: -1,
      nowWallMs: T0 + 10,
      nowMonotonicMs: 10,
      ageMs: T0 + 11,
    },
  ];
  it.each(rows)('$name', ({ maxTimestampMs, nowWallMs, nowMonotonicMs, ageMs }) => {
    expect(segmentAgeMs(input({ maxTimestampMs, nowWallMs, nowMonotonicMs }))).toBe(ageMs);
  });

  it('counts no monotonic time backwards (an observation from another clock)', () => {
    const age = segmentAgeMs(
      input({ maxTimestampMs: T0, openedMonotonicMs: 500, nowWallMs: T0 + DAY_MS, nowMonotonicMs: 100 }),
    );
    expect(age).toBe(0);
  });
});

describe('judgedWallNowMs', () => {
  const opened = { wallMs: T0, monotonicMs: 1_000 };
  it.each([
    { name: 'honest: the wall clock', nowWallMs: T0 + 5_000, nowMonotonicMs: 6_000, judgedMs: T0 + 5_000 },
    {
      name: 'a day ahead: real time since the open',
      nowWallMs: T0 + DAY_MS,
      nowMonotonicMs: 6_000,
      judgedMs: T0 + 5_000,
    },
    {
      name: 'a day behind: the wall clock',
      nowWallMs: T0 - DAY_MS,
      nowMonotonicMs: 6_000,
      judgedMs: T0 - DAY_MS,
    },
  ])('$name', ({ nowWallMs, nowMonotonicMs, judgedMs }) => {
    expect(judgedWallNowMs(opened, nowWallMs, nowMonotonicMs)).toBe(judgedMs);
  });
});

describe('retentionExpired and judgedMaxTimestampMs', () => {
  const retentionMs = HOUR_MS;
  const rows: readonly { name: string; at: SegmentAgeInput; expired: boolean }[] = [
    {
      name: 'an hour and a bit of real time',
      at: input({ maxTimestampMs: T0, nowWallMs: T0 + HOUR_MS + 1, nowMonotonicMs: HOUR_MS + 1 }),
      expired: true,
    },
    {
      name: 'exactly the retention: kept (Kafka’s >)',
      at: input({ maxTimestampMs: T0, nowWallMs: T0 + HOUR_MS, nowMonotonicMs: HOUR_MS }),
      expired: false,
    },
    {
      name: 'wall jumped a day ahead: kept',
      at: input({ maxTimestampMs: T0, nowWallMs: T0 + DAY_MS, nowMonotonicMs: 60_000 }),
      expired: false,
    },
    {
      name: 'wall jumped ahead, data really old: deleted',
      at: input({ maxTimestampMs: T0 - 2 * HOUR_MS, nowWallMs: T0 + DAY_MS, nowMonotonicMs: 1 }),
      expired: true,
    },
    {
      name: 'wall jumped back a day, data an hour old by real time: kept',
      at: input({ maxTimestampMs: T0, nowWallMs: T0 - DAY_MS + 2 * HOUR_MS, nowMonotonicMs: 2 * HOUR_MS }),
      expired: false,
    },
  ];
  it.each(rows)('$name', ({ at, expired }) => {
    expect(retentionExpired(at, retentionMs)).toBe(expired);
    expect(retentionExpired(at, -1)).toBe(false);
    // The cleaner's view says the same age against the same wall clock.
    expect(at.nowWallMs - judgedMaxTimestampMs(at)).toBe(segmentAgeMs(at));
  });

  it('keeps -1 for an empty segment', () => {
    expect(
      judgedMaxTimestampMs(input({ maxTimestampMs: -1, nowWallMs: T0 + DAY_MS, nowMonotonicMs: 1 })),
    ).toBe(-1);
  });
});

/**
 * Random walks of real time with the wall clock jumping forwards and backwards (up to a week either way) after
 * the log's open, records stamped by producers with true clocks: the judged age is never more than the real
 * age (no early deletion, whatever the jumps), never more than Kafka's (wall now - timestamp), and equal to
 * Kafka's whenever the wall clock is honest now.
 */
describe('segmentAgeMs under random wall clock jumps (property)', () => {
  it('never ages data faster than real time (SEGMENT_AGE_SEED=n replays; the seed is printed)', () => {
    const seed = Number(process.env.SEGMENT_AGE_SEED ?? Date.now() % 2 ** 31);
    process.stdout.write(`segment age property seed ${seed} (SEGMENT_AGE_SEED=${seed} replays)\n`);
    const step = fc.record({
      elapsedMs: fc.integer({ min: 0, max: 3 * DAY_MS }),
      jumpMs: fc.oneof(fc.constant(0), fc.integer({ min: -7 * DAY_MS, max: 7 * DAY_MS })),
      recordAgoMs: fc.integer({ min: -HOUR_MS, max: 30 * DAY_MS }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        let trueNowMs = T0;
        let monotonicMs = 0;
        let wallOffsetMs = 0;
        for (const { elapsedMs, jumpMs, recordAgoMs } of steps) {
          trueNowMs += elapsedMs;
          monotonicMs += elapsedMs;
          wallOffsetMs += jumpMs;
          const maxTimestampMs = trueNowMs - recordAgoMs;
          const at = input({
            maxTimestampMs,
            nowWallMs: trueNowMs + wallOffsetMs,
            nowMonotonicMs: monotonicMs,
          });
          const ageMs = segmentAgeMs(at);
          const realAgeMs = trueNowMs - maxTimestampMs;
          expect(ageMs).toBeLessThanOrEqual(realAgeMs);
          expect(ageMs).toBeLessThanOrEqual(at.nowWallMs - maxTimestampMs);
          if (wallOffsetMs === 0) expect(ageMs).toBe(realAgeMs);
          for (const retentionMs of [0, HOUR_MS, DAY_MS]) {
            if (retentionExpired(at, retentionMs)) expect(realAgeMs).toBeGreaterThan(retentionMs);
          }
        }
      }),
      { seed, numRuns: 500 },
    );
  });
});
