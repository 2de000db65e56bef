/** `trib topics delete-records` against fake brokers: text and JSON output, errors, argument checks. */
import { type FakeCluster, startFakeCluster } from '@tributary/client/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeleteOffset } from './commands/delete-records.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from './program.js';
import { captureIo, jsonDecoders } from './testing/capture.js';

let brokers: FakeCluster;

beforeAll(async () => {
  brokers = await startFakeCluster({ brokers: 2, topics: { orders: 2 } });
  brokers.log('orders', 0).endOffset = 100;
  brokers.log('orders', 1).endOffset = 30;
});

afterAll(async () => {
  await brokers.stop();
});

async function* noInput(): AsyncGenerator<string> {}

async function trib(argv: string[]) {
  const captured = captureIo();
  const code = await runCli(
    ['--bootstrap', brokers.bootstrap.join(','), ...argv],
    captured.io,
    jsonDecoders,
    {
      stdin: noInput(),
      stderrIsTty: false,
    },
  );
  return { code, out: captured.out, err: captured.err };
}

describe('trib topics delete-records', () => {
  it('moves the log start on the leader and prints it', async () => {
    const text = await trib(['topics', 'delete-records', 'orders', '--partition', '0', '--offset', '42']);
    expect(text).toMatchObject({ code: EXIT_OK, out: ['deleted the records of orders-0 below 42'] });
    expect(brokers.state.logStartOffsets.get('orders-0')).toBe(42);
    const json = await trib([
      '--json',
      'topics',
      'delete-records',
      'orders',
      '--partition',
      '1',
      '--offset',
      '-1',
    ]);
    expect(json.code).toBe(EXIT_OK);
    expect(json.out.map((line) => JSON.parse(line))).toEqual([
      { topic: 'orders', partition: 1, lowWatermark: 30 },
    ]);
  });

  it('fails with one line naming the partition and the reason', async () => {
    const past = await trib(['topics', 'delete-records', 'orders', '--partition', '0', '--offset', '101']);
    expect(past.code).toBe(EXIT_FAILURE);
    expect(past.err.join('\n')).toMatch(/OFFSET_OUT_OF_RANGE.*orders-0/);
    const unknown = await trib(['topics', 'delete-records', 'orders', '--partition', '5', '--offset', '1']);
    expect(unknown.code).toBe(EXIT_FAILURE);
    expect(unknown.err.join('\n')).toMatch(/UNKNOWN_TOPIC_OR_PARTITION/);
  });

  it('checks its arguments', async () => {
    expect(parseDeleteOffset('-1')).toBe(-1);
    expect(parseDeleteOffset('7')).toBe(7);
    expect(() => parseDeleteOffset('-2')).toThrow(/high watermark/);
    for (const argv of [
      ['topics', 'delete-records', 'orders', '--partition', '0'],
      ['topics', 'delete-records', 'orders', '--offset', '3'],
      ['topics', 'delete-records', 'orders', '--partition', 'x', '--offset', '3'],
    ]) {
      expect((await trib(argv)).code, argv.join(' ')).toBe(EXIT_USAGE);
    }
  });
});
