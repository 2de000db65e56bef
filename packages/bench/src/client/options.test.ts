import { describe, expect, it } from 'vitest';
import { CLIENT_BENCH_DEFAULTS, parseClientBenchArgs } from './options.js';

describe('parseClientBenchArgs', () => {
  it('defaults to 3 runs, 6 partitions, 300,000 records, groups of 1 and 3', () => {
    expect(parseClientBenchArgs([])).toEqual(CLIENT_BENCH_DEFAULTS);
    expect(CLIENT_BENCH_DEFAULTS).toMatchObject({
      runs: 3,
      partitions: 6,
      messages: 300_000,
      members: [1, 3],
    });
    expect(parseClientBenchArgs(['--help'])).toBe('help');
    expect(parseClientBenchArgs(['-h'])).toBe('help');
  });

  it('overrides every option', () => {
    expect(
      parseClientBenchArgs([
        '--runs',
        '1',
        '--partitions',
        '3',
        '--messages',
        '50000',
        '--members',
        '2,4,2',
        '--value-pool',
        '100000',
        '--json',
        '--skip-groups',
      ]),
    ).toEqual({
      runs: 1,
      partitions: 3,
      messages: 50_000,
      members: [2, 4],
      valuePool: 100_000,
      json: true,
      skipProduce: false,
      skipGroups: true,
    });
    expect(parseClientBenchArgs(['--skip-produce'])).toMatchObject({ skipProduce: true, skipGroups: false });
  });

  it('rejects bad values, missing values and unknown flags', () => {
    expect(() => parseClientBenchArgs(['--runs', '0'])).toThrow(/--runs/);
    expect(() => parseClientBenchArgs(['--runs'])).toThrow(/--runs needs an integer/);
    expect(() => parseClientBenchArgs(['--messages', '1.5'])).toThrow(/--messages/);
    expect(() => parseClientBenchArgs(['--partitions', 'six'])).toThrow(/--partitions/);
    expect(() => parseClientBenchArgs(['--members', '1,,3'])).toThrow(/--members/);
    expect(() => parseClientBenchArgs(['--members', '0'])).toThrow(/--members/);
    expect(() => parseClientBenchArgs(['--members'])).toThrow(/--members/);
    expect(() => parseClientBenchArgs(['--value-pool', '-1'])).toThrow(/--value-pool/);
    expect(() => parseClientBenchArgs(['--bogus'])).toThrow(/unknown flag --bogus/);
  });

  it('refuses to skip both phases', () => {
    expect(() => parseClientBenchArgs(['--skip-produce', '--skip-groups'])).toThrow(/nothing to measure/);
  });
});
