import { describe, expect, it } from 'vitest';
import { KAFKA_BENCH_DEFAULTS, parseKafkaBenchArgs } from './options.js';

describe('parseKafkaBenchArgs', () => {
  it('defaults to 3 runs of 1,000,000 records on 6 partitions, idempotent on both paths', () => {
    expect(parseKafkaBenchArgs([])).toEqual(KAFKA_BENCH_DEFAULTS);
    expect(KAFKA_BENCH_DEFAULTS).toMatchObject({
      runs: 3,
      records: 1_000_000,
      partitions: 6,
      idempotent: true,
      kafkaBatchRecords: 4_854,
      json: false,
      profileDir: undefined,
    });
    expect(parseKafkaBenchArgs(['--help'])).toBe('help');
    expect(parseKafkaBenchArgs(['-h'])).toBe('help');
  });

  it('overrides every option', () => {
    expect(
      parseKafkaBenchArgs([
        '--runs',
        '5',
        '--records',
        '200000',
        '--partitions',
        '3',
        '--no-idempotence',
        '--kafka-batch-records',
        '0',
        '--seed',
        '7',
        '--profile',
        '/tmp/prof',
        '--profile-path',
        'grpc',
        '--json',
      ]),
    ).toEqual({
      runs: 5,
      records: 200_000,
      partitions: 3,
      idempotent: false,
      kafkaBatchRecords: 0,
      seed: 7,
      json: true,
      profileDir: '/tmp/prof',
      profilePath: 'grpc',
    });
  });

  it('rejects bad values, missing values and unknown flags', () => {
    expect(() => parseKafkaBenchArgs(['--runs', '0'])).toThrow(/--runs/);
    expect(() => parseKafkaBenchArgs(['--runs'])).toThrow(/--runs needs an integer/);
    expect(() => parseKafkaBenchArgs(['--records', '1e9'])).toThrow(/--records/);
    expect(() => parseKafkaBenchArgs(['--records', ' '])).toThrow(/--records/);
    expect(() => parseKafkaBenchArgs(['--partitions', 'six'])).toThrow(/--partitions/);
    expect(() => parseKafkaBenchArgs(['--seed', '-1'])).toThrow(/--seed/);
    expect(() => parseKafkaBenchArgs(['--kafka-batch-records', '-5'])).toThrow(/--kafka-batch-records/);
    expect(() => parseKafkaBenchArgs(['--profile'])).toThrow(/--profile needs a directory/);
    expect(() => parseKafkaBenchArgs(['--profile-path', 'http'])).toThrow(/kafka or grpc/);
    expect(() => parseKafkaBenchArgs(['--bogus'])).toThrow(/unknown flag --bogus/);
  });
});
