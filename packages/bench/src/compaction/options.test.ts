import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPACTION_BENCH_OPTIONS, parseCompactionBenchArgs } from './options.js';

describe('parseCompactionBenchArgs', () => {
  it('defaults to three rounds of every mode, 100,000 updates of 1,000 bytes over 1,000 keys', () => {
    expect(parseCompactionBenchArgs([])).toEqual(DEFAULT_COMPACTION_BENCH_OPTIONS);
    expect(DEFAULT_COMPACTION_BENCH_OPTIONS).toMatchObject({
      modes: ['disabled', 'unthrottled', 'throttled'],
      keys: 1_000,
      updates: 100_000,
      valueBytes: 1_000,
    });
  });

  it('always keeps the disabled baseline, in a fixed mode order', () => {
    const parsed = parseCompactionBenchArgs([
      '--modes',
      'throttled',
      '--rounds',
      '5',
      '--throttle-bytes',
      '5000000',
    ]);
    expect(parsed).toMatchObject({
      modes: ['disabled', 'throttled'],
      rounds: 5,
      throttleBytesPerSecond: 5_000_000,
    });
  });

  it('refuses unknown modes and flags, out-of-range numbers and inconsistent sizes', () => {
    expect(() => parseCompactionBenchArgs(['--modes', 'fast'])).toThrow(/--modes/);
    expect(() => parseCompactionBenchArgs(['--rounds', '0'])).toThrow(/--rounds/);
    expect(() => parseCompactionBenchArgs(['--throttle-bytes', '1000'])).toThrow(/--throttle-bytes/);
    expect(() => parseCompactionBenchArgs(['--keys', '10', '--updates', '5'])).toThrow(/--keys/);
    expect(() => parseCompactionBenchArgs(['--updates', '10000000', '--value-bytes', '1000'])).toThrow(
      /--value-bytes/,
    );
    expect(() => parseCompactionBenchArgs(['--trigger-after-ms', '20000'])).toThrow(/--trigger-after-ms/);
    expect(() => parseCompactionBenchArgs(['--fast'])).toThrow(/unknown flag/);
    expect(parseCompactionBenchArgs(['--help'])).toBe('help');
  });
});
