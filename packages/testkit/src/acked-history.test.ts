import { describe, expect, it } from 'vitest';
import { checkAckedHistory } from './acked-history.js';

describe('checkAckedHistory', () => {
  const read = new Map([
    [
      0,
      [
        { offset: 0, value: 'a' },
        { offset: 1, value: 'b' },
      ],
    ],
    [1, [{ offset: 0, value: 'c' }]],
  ]);

  it('accepts a history where every acknowledged record is read once where it was acknowledged', () => {
    const acked = [
      { partition: 0, offset: 0, value: 'a' },
      { partition: 0, offset: 1, value: 'b' },
      { partition: 1, offset: 0, value: 'c' },
    ];
    expect(checkAckedHistory(acked, read)).toEqual([]);
  });

  it('reports lost, duplicated and moved records and offsets that go backwards', () => {
    const acked = [
      { partition: 0, offset: 2, value: 'lost' },
      { partition: 0, offset: 0, value: 'a' },
      { partition: 1, offset: 5, value: 'c' },
    ];
    const bad = new Map([
      [
        0,
        [
          { offset: 0, value: 'a' },
          { offset: 0, value: 'a' },
        ],
      ],
      [1, [{ offset: 0, value: 'c' }]],
    ]);
    const anomalies = checkAckedHistory(acked, bad);
    expect(anomalies.some((a) => a.startsWith('lost: lost'))).toBe(true);
    expect(anomalies.some((a) => a.startsWith('duplicated: a'))).toBe(true);
    expect(anomalies.some((a) => a.startsWith('moved: c'))).toBe(true);
    expect(anomalies.some((a) => a.includes('offset 0 after 0'))).toBe(true);
  });
});
