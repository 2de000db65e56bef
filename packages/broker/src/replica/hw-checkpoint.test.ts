import { describe, expect, it } from 'vitest';
import { formatHighWatermarks, parseHighWatermarks } from './hw-checkpoint.js';

describe('high watermark checkpoint', () => {
  it('round-trips, including topic names with dashes', () => {
    const entries = new Map([
      ['orders-0', 12],
      ['my-topic-3', 0],
    ]);
    const text = formatHighWatermarks(entries);
    expect(text).toBe('0\n2\norders 0 12\nmy-topic 3 0\n');
    expect(parseHighWatermarks(text)).toEqual(entries);
  });

  it('treats malformed files as no checkpoint', () => {
    expect(parseHighWatermarks('')).toEqual(new Map());
    expect(parseHighWatermarks('1\n0\n')).toEqual(new Map());
    expect(parseHighWatermarks('0\n2\norders 0 1\n')).toEqual(new Map());
    expect(parseHighWatermarks('0\n1\norders x 1\n')).toEqual(new Map());
    expect(parseHighWatermarks('0\n1\norders 0 -4\n')).toEqual(new Map());
  });
});
