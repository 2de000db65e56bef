import { type FakeCluster, startFakeCluster } from '@tributary/client/testing';
import { decodeRecordBatch } from '@tributary/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRecord } from './commands/consume.js';
import { nextBatchRecords, recordsPerBatch } from './commands/perf.js';
import { endToEndValue, sequenceOf } from './commands/perf-end-to-end.js';
import { LatencyRecorder, StallTracker, summarizeConsume, summarizeProduce } from './commands/perf-stats.js';
import { lineToRecord } from './commands/produce.js';
import { parseAcks, readLines } from './commands/produce-commands.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from './program.js';
import { captureIo, jsonDecoders } from './testing/capture.js';

async function* chunksOf(...chunks: string[]): AsyncGenerator<Buffer> {
  for (const chunk of chunks) yield Buffer.from(chunk, 'utf8');
}

async function trib(argv: string[], options: { stdin?: string[]; env?: Record<string, string> } = {}) {
  const captured = captureIo(options.env ?? {});
  const code = await runCli(argv, captured.io, jsonDecoders, {
    stdin: chunksOf(...(options.stdin ?? [])),
    stderrIsTty: false,
  });
  return { code, out: captured.out, err: captured.err };
}

describe('argument errors: one line, exit 2', () => {
  const cases: [string, string[], Record<string, string>?][] = [
    ['missing topic', ['produce']],
    ['bad acks', ['produce', 't', '--acks', '2']],
    ['bad compression', ['produce', 't', '--compression', 'brotli']],
    [
      'bad perf compression',
      ['perf', 'produce', 't', '--messages', '1', '--record-size', '1', '--compression', 'x'],
    ],
    ['--key with --key-separator', ['produce', 't', '--key', 'k', '--key-separator', ':']],
    ['--offset without --partition', ['consume', 't', '--offset', '5']],
    [
      '--offset with --from-beginning',
      ['consume', 't', '--partition', '0', '--offset', '5', '--from-beginning'],
    ],
    ['negative partition', ['consume', 't', '--partition', '-1']],
    ['neither --messages nor --duration-ms', ['perf', 'produce', 't', '--record-size', '100']],
    ['perf end-to-end without an end', ['perf', 'end-to-end', 't']],
    [
      'negative --linger-ms',
      ['perf', 'produce', 't', '--duration-ms', '10', '--record-size', '1', '--linger-ms', '-1'],
    ],
    [
      '--linger-ms above its bound',
      ['perf', 'end-to-end', 't', '--duration-ms', '10', '--linger-ms', '10001'],
    ],
    ['zero record size', ['perf', 'produce', 't', '--messages', '10', '--record-size', '0']],
    ['zero --request-timeout-ms', ['produce', 't', '--request-timeout-ms', '0']],
    ['bad --delivery-timeout-ms', ['produce', 't', '--delivery-timeout-ms', 'soon']],
    ['bad --bootstrap', ['--bootstrap', 'nope', 'consume', 't']],
    ['bad TRIB_BOOTSTRAP', ['consume', 't'], { TRIB_BOOTSTRAP: 'a:1,bad' }],
  ];
  for (const [name, argv, env] of cases) {
    it(name, async () => {
      const { code, err, out } = await trib(argv, env === undefined ? {} : { env });
      expect(code).toBe(EXIT_USAGE);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^error: /);
      expect(err[0]).not.toContain('\n');
    });
  }
});

it('--compression names every codec it accepts', async () => {
  const { err } = await trib(['produce', 't', '--compression', 'brotli']);
  expect(err[0]).toMatch(/none, gzip, snappy, lz4, zstd/);
});

describe('pure pieces', () => {
  it('parses acks', () => {
    expect([parseAcks('all'), parseAcks('-1'), parseAcks('1'), parseAcks('0')]).toEqual(['all', 'all', 1, 0]);
  });

  it('splits stdin into lines across chunk boundaries, with \\r\\n and a last unterminated line', async () => {
    const lines: string[] = [];
    for await (const line of readLines(chunksOf('a\nb', 'c\r\n\nd'))) lines.push(line);
    expect(lines).toEqual(['a', 'bc', '', 'd']);
  });

  it('turns lines into records by --key or --key-separator', () => {
    expect(lineToRecord('v', { key: 'k' })).toEqual({ key: 'k', value: 'v' });
    expect(lineToRecord('k1::v::x', { keySeparator: '::' })).toEqual({ key: 'k1', value: 'v::x' });
    expect(lineToRecord('plain', { keySeparator: ':', partition: 2 })).toEqual({
      key: null,
      value: 'plain',
      partition: 2,
    });
  });

  it('formats records as values or JSON with UTF-8 strings and nulls', () => {
    const record = {
      topic: 't',
      partition: 1,
      offset: 7,
      timestampMs: 1_000,
      key: null,
      value: Buffer.from('héllo'),
      headers: [],
    };
    expect(formatRecord(record, false)).toBe('héllo');
    expect(formatRecord({ ...record, value: null }, false)).toBe('null');
    expect(JSON.parse(formatRecord({ ...record, key: Buffer.from('k') }, true))).toEqual({
      partition: 1,
      offset: 7,
      key: 'k',
      value: 'héllo',
      timestamp: 1_000,
    });
  });

  it('computes throughput, latency percentiles weighted by batch size, and the longest stall', () => {
    const latency = new LatencyRecorder();
    latency.record(1, 990);
    latency.record(10, 9);
    latency.record(100, 1);
    const stalls = new StallTracker(0);
    stalls.ack(100);
    stalls.ack(900);
    stalls.ack(1_000);
    const summary = summarizeProduce({
      acked: 1_000,
      failed: 5,
      errors: 1,
      recordSizeBytes: 1_048_576 / 1_000,
      elapsedMs: 2_000,
      maxStallMs: stalls.maxStallMs(1_000),
      latency,
    });
    expect(summary.recordsPerSecond).toBe(500);
    expect(summary.mbPerSecond).toBe(0.5);
    expect(summary.p50Ms).toBeCloseTo(1, 2);
    expect(summary.p99Ms).toBeCloseTo(1, 2);
    expect(summary.p999Ms).toBeCloseTo(10, 1);
    expect(summary.maxStallMs).toBe(800);
    expect(summary).toMatchObject({ acked: 1_000, failed: 5, errors: 1 });
    expect(stalls.maxStallMs(3_000)).toBe(2_000);
    expect(summarizeConsume(0, 0, 0)).toMatchObject({ recordsPerSecond: 0, mbPerSecond: 0 });
    expect(recordsPerBatch(100, 512 * 1024, 1_000_000)).toBe(4854);
    expect(recordsPerBatch(10_000_000, 1024, 5)).toBe(1);
    // At a rate: what the rate brings in one linger, at least one record, never past the byte budget.
    const linger = (recordsPerSecond: number, lingerMs = 5) => ({ recordsPerSecond, lingerMs });
    expect(recordsPerBatch(100, 512 * 1024, undefined, linger(200))).toBe(1);
    expect(recordsPerBatch(100, 512 * 1024, undefined, linger(100_000))).toBe(500);
    expect(recordsPerBatch(100, 512 * 1024, undefined, linger(10_000_000))).toBe(4854);
    expect(recordsPerBatch(100, 512 * 1024, undefined, linger(200, 0))).toBe(1);
  });

  it('a rate-capped batch takes every record already due when the sends fell behind', () => {
    const next = (sent: number, elapsedMs: number, recordsPerSecond?: number) =>
      nextBatchRecords({ planned: 1, byteBudget: 500, sent, remaining: 10_000, recordsPerSecond, elapsedMs });
    expect(next(0, 0, 200)).toBe(1);
    expect(next(100, 500, 200)).toBe(1);
    expect(next(100, 1_000, 200)).toBe(100);
    expect(next(0, 60_000, 200)).toBe(500);
    expect(next(0, 60_000)).toBe(1);
    expect(
      nextBatchRecords({
        planned: 1,
        byteBudget: 500,
        sent: 0,
        remaining: 3,
        recordsPerSecond: 200,
        elapsedMs: 60_000,
      }),
    ).toBe(3);
  });

  it('perf end-to-end values carry their sequence number', () => {
    const value = endToEndValue(123_456, 100);
    expect(value).toHaveLength(100);
    expect(sequenceOf(value)).toBe(123_456);
    expect(sequenceOf(endToEndValue(2 ** 32 - 1, 4))).toBe(2 ** 32 - 1);
    expect(sequenceOf(new Uint8Array(3))).toBeUndefined();
    expect(sequenceOf(null)).toBeUndefined();
  });
});

describe('against fake brokers', () => {
  let cluster: FakeCluster;
  let bootstrap: string;

  beforeAll(async () => {
    cluster = await startFakeCluster({
      brokers: 2,
      topics: { lines: 3, perf: 2, packed: 2, rate: 2, e2e: 2 },
    });
    bootstrap = cluster.bootstrap.join(',');
  });
  afterAll(async () => {
    await cluster.stop();
  });

  const values = (topic: string, partition: number): string[] =>
    cluster
      .log(topic, partition)
      .batches.flatMap((b) =>
        decodeRecordBatch(b.bytes).records.map((r) => Buffer.from(r.value ?? []).toString('utf8')),
      );

  it('produce sends stdin lines in few requests; consume --json reads them back', async () => {
    const produced = await trib(['--bootstrap', bootstrap, 'produce', 'lines', '--key-separator', ':'], {
      stdin: ['a:1\nb:2\n', 'c:3\nd:4\n'],
    });
    expect(produced.err).toEqual([]);
    expect(produced.code).toBe(EXIT_OK);
    expect(cluster.state.requests.filter((r) => r.method === 'Produce').length).toBeLessThanOrEqual(2);
    expect([0, 1, 2].flatMap((p) => values('lines', p)).sort()).toEqual(['1', '2', '3', '4']);

    const consumed = await trib([
      '--bootstrap',
      bootstrap,
      '--json',
      'consume',
      'lines',
      '--from-beginning',
      '--max-messages',
      '4',
    ]);
    expect(consumed.code).toBe(EXIT_OK);
    const records = consumed.out.map((line) => JSON.parse(line) as { key: string; value: string });
    expect(records.map((r) => `${r.key}:${r.value}`).sort()).toEqual(['a:1', 'b:2', 'c:3', 'd:4']);
  });

  it('consume --partition --offset prints values and stops after --timeout-ms without data', async () => {
    await trib(['--bootstrap', bootstrap, 'produce', 'lines', '--partition', '2'], { stdin: ['x\ny\nz\n'] });
    const end = cluster.log('lines', 2).endOffset;
    const consumed = await trib([
      '--bootstrap',
      bootstrap,
      '--timeout-ms',
      '300',
      'consume',
      'lines',
      '--partition',
      '2',
      '--offset',
      String(end - 2),
    ]);
    expect(consumed.code).toBe(EXIT_OK);
    expect(consumed.out).toEqual(['y', 'z']);
  });

  for (const compression of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`produce --compression ${compression} writes compressed batches that consume reads back`, async () => {
      const produced = await trib(
        ['--bootstrap', bootstrap, 'produce', 'lines', '--partition', '0', '--compression', compression],
        { stdin: [`${compression}-1\n${compression}-2\n`] },
      );
      expect(produced.code).toBe(EXIT_OK);
      const last = cluster.log('lines', 0).batches.at(-1);
      expect(last && decodeRecordBatch(last.bytes).compression).toBe(compression);
      expect(values('lines', 0).slice(-2)).toEqual([`${compression}-1`, `${compression}-2`]);
    });
  }

  for (const compression of ['lz4', 'zstd'] as const) {
    it(`perf produce --compression ${compression} sends compressed batches`, async () => {
      const produced = await trib([
        '--bootstrap',
        bootstrap,
        '--json',
        'perf',
        'produce',
        'packed',
        '--messages',
        '300',
        '--record-size',
        '100',
        '--partition',
        '1',
        '--compression',
        compression,
      ]);
      expect(produced.code).toBe(EXIT_OK);
      expect(JSON.parse(produced.out[0] ?? '')).toMatchObject({ acked: 300 });
      const last = cluster.log('packed', 1).batches.at(-1);
      expect(last && decodeRecordBatch(last.bytes).compression).toBe(compression);
    });
  }

  it('produce to a missing topic exits 1 with one line naming the problem', async () => {
    const { code, err } = await trib(['--bootstrap', bootstrap, '--timeout-ms', '1000', 'produce', 'nope'], {
      stdin: ['a\n'],
    });
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error: UNKNOWN_TOPIC: .*nope/);
  });

  it('produce exits 1 when some records are not acknowledged', async () => {
    cluster.state.injected.push({
      method: 'Produce',
      topic: 'lines',
      partition: 1,
      errorCode: 'RECORD_TOO_LARGE',
    });
    const { code, err } = await trib(['--bootstrap', bootstrap, 'produce', 'lines', '--partition', '1'], {
      stdin: ['a\nb\n'],
    });
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toEqual([expect.stringMatching(/^error: RECORD_TOO_LARGE: 2 of 2 records not acknowledged/)]);
  });

  it('perf produce --duration-ms alone, at a rate: small batches, never above the rate', async () => {
    const produced = await trib([
      '--bootstrap',
      bootstrap,
      '--json',
      'perf',
      'produce',
      'rate',
      '--duration-ms',
      '500',
      '--throughput',
      '2000',
      '--record-size',
      '100',
    ]);
    expect(produced.code).toBe(EXIT_OK);
    const stats = JSON.parse(produced.out[0] ?? '') as Record<string, number>;
    expect(stats.failed).toBe(0);
    expect(stats.acked).toBeGreaterThan(0);
    // 2,000/s for 500 ms, batches of 2,000 × 5 ms = 10 records: at most one batch past the rate's due time.
    expect(stats.acked).toBeLessThanOrEqual(1_000 + 2 * 10);
  });

  it('perf end-to-end reads back every record it sent and reports produce → consume percentiles', async () => {
    const run = await trib([
      '--bootstrap',
      bootstrap,
      '--json',
      'perf',
      'end-to-end',
      'e2e',
      '--messages',
      '300',
      '--throughput',
      '3000',
    ]);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(EXIT_OK);
    const stats = JSON.parse(run.out[0] ?? '') as Record<string, number | null>;
    expect(stats).toMatchObject({ sent: 300, acked: 300, failed: 0, unread: 0, lastError: null });
    expect(stats.p50Ms).toBeGreaterThan(0);
    expect(stats.p99Ms).toBeGreaterThanOrEqual(stats.p50Ms ?? 0);
  });

  it('perf end-to-end refuses a record too small for its sequence number, sending nothing', async () => {
    const before = cluster.state.requests.length;
    const run = await trib([
      '--bootstrap',
      bootstrap,
      'perf',
      'end-to-end',
      'e2e',
      '--messages',
      '5',
      '--record-size',
      '3',
    ]);
    expect(run.code).toBe(EXIT_FAILURE);
    expect(run.err).toEqual([
      expect.stringMatching(/^error: INVALID_REQUEST: --record-size must be at least 4/),
    ]);
    expect(cluster.state.requests.length).toBe(before);
  });

  it('perf produce reports JSON stats and keeps going through errors; perf consume reads them', async () => {
    cluster.state.injected.push({
      method: 'Produce',
      topic: 'perf',
      partition: 0,
      errorCode: 'CORRUPT_MESSAGE',
    });
    const produced = await trib([
      '--bootstrap',
      bootstrap,
      '--json',
      'perf',
      'produce',
      'perf',
      '--messages',
      '5000',
      '--record-size',
      '100',
      '--batch-bytes',
      '10000',
    ]);
    expect(produced.code).toBe(EXIT_OK);
    const stats = JSON.parse(produced.out[0] ?? '') as Record<string, number>;
    expect(stats.failed).toBeGreaterThan(0);
    expect((stats.acked ?? 0) + (stats.failed ?? 0)).toBe(5000);
    for (const field of ['maxStallMs', 'recordsPerSecond', 'mbPerSecond', 'p50Ms', 'p99Ms', 'p999Ms']) {
      expect(typeof stats[field]).toBe('number');
    }
    const consumed = await trib([
      '--bootstrap',
      bootstrap,
      '--json',
      'perf',
      'consume',
      'perf',
      '--messages',
      String(stats.acked),
    ]);
    expect(consumed.code).toBe(EXIT_OK);
    expect(JSON.parse(consumed.out[0] ?? '')).toMatchObject({
      records: stats.acked,
      bytes: (stats.acked ?? 0) * 100,
    });
  });
});

describe('produce timeouts (fake brokers, one of them paused)', () => {
  let cluster: FakeCluster;
  beforeAll(async () => {
    cluster = await startFakeCluster({ brokers: 2, topics: { stuck: 1 } });
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('--delivery-timeout-ms bounds a record whose leader answers nothing: exit 1 naming the deadline', async () => {
    cluster.state.pausedBrokers.add(cluster.state.leaders.get('stuck')?.[0] ?? -1);
    const { code, err } = await trib(
      [
        '--bootstrap',
        cluster.bootstrap.join(','),
        'produce',
        'stuck',
        '--request-timeout-ms',
        '400',
        '--delivery-timeout-ms',
        '1500',
      ],
      { stdin: ['a\n'] },
    );
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/REQUEST_TIMED_OUT: .*1500 ms delivery/);
    cluster.state.pausedBrokers.clear();
  });
});
