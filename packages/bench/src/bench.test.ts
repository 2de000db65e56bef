import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, parseArgs } from './args.js';
import { median, percentile } from './stats.js';

describe('stats', () => {
  it('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 90)).toBe(7);
    expect(() => percentile(values, 0)).toThrow(RangeError);
  });
});

describe('parseArgs', () => {
  it('defaults and overrides', () => {
    expect(parseArgs([])).toEqual(DEFAULT_OPTIONS);
    expect(parseArgs(['--runs', '3', '--json', '--clients', '4'])).toMatchObject({
      runs: 3,
      json: true,
      clients: 4,
    });
    expect(parseArgs(['--help'])).toBe('help');
  });

  it('rejects bad values and unknown flags', () => {
    expect(() => parseArgs(['--runs', '0'])).toThrow(/--runs/);
    expect(() => parseArgs(['--runs'])).toThrow(/--runs/);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown flag/);
    expect(() => parseArgs(['--replication-factor', '4'])).toThrow(/brokers/);
  });
});
