/**
 * Broker.DescribeProducers' request handling (describe-producers.ts): the bounds and duplicate checks
 * name the field, the describer is asked once per partition in the order named, and a broker without a
 * describer (a test double) answers every partition UNKNOWN_TOPIC_OR_PARTITION.
 */
import { TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import type { TopicPartition } from '../replica/describe-replicas.js';
import { answerDescribeProducers } from './describe-producers.js';
import { REQUEST_LIMITS } from './limits.js';

function invalidMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof TributaryError && error.code === 'INVALID_REQUEST') return error.message;
    throw error;
  }
  throw new Error('expected INVALID_REQUEST');
}

const topic = (name: string, partitions: number[]) => ({
  name,
  partitions: partitions.map((partition) => ({ partition })),
});

describe('Broker.DescribeProducers', () => {
  it('asks the describer for each named partition, in order', () => {
    const asked: TopicPartition[][] = [];
    const response = answerDescribeProducers(
      { topics: [topic('a', [1, 0]), topic('b', [2])] },
      {
        describeProducers: (wanted) => {
          asked.push([...wanted]);
          return wanted.map((w) => ({ ...w, errorCode: '', errorMessage: '', activeProducers: [] }));
        },
      },
    );
    expect(asked).toEqual([
      [
        { topic: 'a', partition: 1 },
        { topic: 'a', partition: 0 },
        { topic: 'b', partition: 2 },
      ],
    ]);
    expect(response.results.map((r) => `${r.topic}-${r.partition}`)).toEqual(['a-1', 'a-0', 'b-2']);
  });

  it('refuses an empty topic name, a partition named twice and too many partitions, naming the field', () => {
    expect(invalidMessage(() => answerDescribeProducers({ topics: [topic('', [0])] }, undefined))).toMatch(
      /topics\.name/,
    );
    expect(
      invalidMessage(() =>
        answerDescribeProducers({ topics: [topic('a', [0]), topic('a', [0])] }, undefined),
      ),
    ).toMatch(/a-0 twice/);
    const many = Array.from({ length: REQUEST_LIMITS.partitionsPerRequestMax + 1 }, (_, i) => i);
    expect(invalidMessage(() => answerDescribeProducers({ topics: [topic('a', many)] }, undefined))).toMatch(
      /more than/,
    );
  });

  it('without a describer, hosts nothing', () => {
    expect(answerDescribeProducers({ topics: [topic('a', [0])] }, undefined).results).toEqual([
      {
        topic: 'a',
        partition: 0,
        errorCode: 'UNKNOWN_TOPIC_OR_PARTITION',
        errorMessage: 'a-0 is not hosted here',
        activeProducers: [],
      },
    ]);
  });
});
