import { describe, expect, it } from 'vitest';
import { BASELINE_VARIANT, PRODUCE_VARIANTS, runOrder, variantFlags } from './produce-variants.js';

describe('producer variants', () => {
  it('puts the baseline first and maps variants to trib perf produce flags', () => {
    expect(PRODUCE_VARIANTS[0]).toBe(BASELINE_VARIANT);
    expect(variantFlags(BASELINE_VARIANT, undefined)).toEqual([]);
    const flags = PRODUCE_VARIANTS.map((variant) => variantFlags(variant, 100_000).join(' '));
    expect(flags).toEqual([
      '--value-pool 100000',
      '--no-idempotence --value-pool 100000',
      '--compression gzip --value-pool 100000',
      '--compression lz4 --value-pool 100000',
    ]);
  });

  it('rotates the order from run to run so every item comes first once per cycle', () => {
    expect(runOrder(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(runOrder(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
    expect(runOrder(['a', 'b', 'c'], 5)).toEqual(['c', 'a', 'b']);
    expect(runOrder([], 3)).toEqual([]);
  });
});
