import { SeededRandom } from '@tributary/core';
import type { ProduceRequest__Output } from '@tributary/protocol';
import { decodeRecordBatch, readBatchHeader, splitBatches } from '@tributary/records';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TributaryClient } from './client.js';
import { type FakeCluster, loseResponses, startFakeCluster } from './testing/fake-broker.js';

const text = (bytes: Uint8Array | null): string =>
  bytes === null ? '' : Buffer.from(bytes).toString('utf8');

function values(cluster: FakeCluster, topic: string, partition: number): string[] {
  return cluster
    .log(topic, partition)
    .batches.flatMap((b) => decodeRecordBatch(b.bytes).records.map((r) => text(r.value)));
}

function produceRequests(cluster: FakeCluster, topic: string): ProduceRequest__Output[] {
  return cluster.state.requests
    .filter((r) => r.method === 'Produce' && r.topics.includes(topic))
    .map((r) => r.request as ProduceRequest__Output);
}

const records = (prefix: string, count: number): { key: null; value: string }[] =>
  Array.from({ length: count }, (_, i) => ({ key: null, value: `${prefix}-${i}` }));

describe('idempotent producer against fake brokers', () => {
  let cluster: FakeCluster;
  let client: TributaryClient;

  beforeAll(async () => {
    cluster = await startFakeCluster({
      brokers: 2,
      topics: { enc: 2, lost: 1, dup: 1, busy: 2, big: 1, init: 1, fatal: 1, order: 1, stuck: 1, perf: 1 },
    });
  });
  afterAll(async () => {
    await cluster.stop();
  });
  beforeEach(() => {
    client?.close();
    client = new TributaryClient({ bootstrap: [cluster.bootstrap[0] ?? ''], random: new SeededRandom(11) });
    cluster.state.requests.length = 0;
    cluster.state.injected.length = 0;
    cluster.state.dropResponseAfterAppend.length = 0;
    cluster.state.injectedInitProducerId.length = 0;
  });

  it('is on by default with acks=all, off with acks 0/1 unless asked, and refuses idempotent with acks 1', () => {
    expect(client.producer().idempotent).toBe(true);
    expect(client.producer({ acks: 'all' }).idempotent).toBe(true);
    expect(client.producer({ acks: 1 }).idempotent).toBe(false);
    expect(client.producer({ acks: 'all', idempotent: false }).idempotent).toBe(false);
    expect(() => client.producer({ acks: 1, idempotent: true })).toThrow(
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        message: expect.stringMatching(/acks=all.*acks=1/),
      }),
    );
    expect(() => client.producer({ acks: 0, idempotent: true })).toThrow(/idempotent: true needs acks=all/);
  });

  it('a response lost after the append is retried: records once, in order, at their original offsets', async () => {
    const producer = client.producer({ timeoutMs: 5_000 });
    const first = await producer.send('lost', records('before', 2));
    expect(first.map((r) => r.offset)).toEqual([0, 1]);
    cluster.state.dropResponseAfterAppend.push({ topic: 'lost', partition: 0 });
    const results = await producer.send('lost', records('lost', 3));
    expect(results.map((r) => r.offset)).toEqual([2, 3, 4]);
    expect(values(cluster, 'lost', 0)).toEqual(['before-0', 'before-1', 'lost-0', 'lost-1', 'lost-2']);
    expect(cluster.state.dropResponseAfterAppend).toHaveLength(0);
    // The resend carried the very same bytes (same producer id and sequence), not a re-encoded batch.
    const sent = produceRequests(cluster, 'lost').map((r) =>
      Buffer.from(r.topics[0]?.partitions[0]?.records ?? []),
    );
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.at(-1)?.equals(sent.at(-2) ?? Buffer.alloc(0))).toBe(true);
    const header = readBatchHeader(sent.at(-1) ?? Buffer.alloc(0));
    expect(header.producerId).toBeGreaterThanOrEqual(0);
    expect(header.baseSequence).toBe(2);
  });

  it('a response lost by a client interceptor (as real-process tests do) is deduplicated too', async () => {
    const lossy = loseResponses('Produce');
    const lossyClient = new TributaryClient({
      bootstrap: [cluster.bootstrap[0] ?? ''],
      random: new SeededRandom(3),
      interceptors: [lossy.interceptor],
    });
    try {
      const producer = lossyClient.producer({ timeoutMs: 5_000 });
      lossy.lose(2);
      const results = await producer.send('lost', records('icpt', 2));
      expect(lossy.lost()).toBe(2);
      const stored = values(cluster, 'lost', 0);
      expect(stored.filter((v) => v.startsWith('icpt'))).toEqual(['icpt-0', 'icpt-1']);
      expect(results.map((r) => stored[r.offset])).toEqual(['icpt-0', 'icpt-1']);
      expect(produceRequests(cluster, 'lost')).toHaveLength(3);
    } finally {
      lossyClient.close();
    }
  });

  it('with idempotence off the same lost response writes the records twice (the check above can fail)', async () => {
    const producer = client.producer({ timeoutMs: 5_000, idempotent: false });
    cluster.state.dropResponseAfterAppend.push({ topic: 'dup', partition: 0 });
    const results = await producer.send('dup', records('dup', 2));
    expect(values(cluster, 'dup', 0)).toEqual(['dup-0', 'dup-1', 'dup-0', 'dup-1']);
    expect(results.map((r) => r.offset)).toEqual([2, 3]);
    expect(cluster.state.requests.some((r) => r.method === 'InitProducerId')).toBe(false);
  });

  it('sendBatch (the perf path) is deduplicated too', async () => {
    const producer = client.producer({ timeoutMs: 5_000 });
    await producer.sendBatch('perf', {
      partition: 0,
      records: [{ key: null, value: Buffer.from('p0'), timestampMs: 1 }],
    });
    cluster.state.dropResponseAfterAppend.push({ topic: 'perf', partition: 0 });
    const result = await producer.sendBatch('perf', {
      partition: 0,
      records: ['p1', 'p2'].map((v) => ({ key: null, value: Buffer.from(v), timestampMs: 1 })),
    });
    expect(result).toEqual({ partition: 0, baseOffset: 1, recordCount: 2 });
    expect(values(cluster, 'perf', 0)).toEqual(['p0', 'p1', 'p2']);
  });

  it('many concurrent sends under NOT_LEADER, lost responses and a leader move: every record once, in send order', {
    timeout: 30_000,
  }, async () => {
    const producer = client.producer({ timeoutMs: 5_000, deliveryTimeoutMs: 25_000 });
    await producer.send('busy', [{ key: null, value: 'warm-up', partition: 0 }]);
    await producer.send('busy', [{ key: null, value: 'warm-up', partition: 1 }]);
    for (const partition of [0, 1]) {
      for (let i = 0; i < 4; i++) {
        cluster.state.injected.push({
          method: 'Produce',
          topic: 'busy',
          partition,
          errorCode: 'NOT_LEADER',
        });
        cluster.state.dropResponseAfterAppend.push({ topic: 'busy', partition });
      }
    }
    const sends = Array.from({ length: 40 }, (_, i) =>
      producer.send(
        'busy',
        records(`s${i}`, 3).map((r) => ({ ...r, partition: i % 2 })),
      ),
    );
    setTimeout(() => cluster.moveLeader('busy', 0, 2), 5);
    const results = await Promise.all(sends);
    for (const partition of [0, 1]) {
      const stored = values(cluster, 'busy', partition);
      expect(new Set(stored).size).toBe(stored.length);
      const expected = [
        'warm-up',
        ...Array.from({ length: 20 }, (_, k) =>
          records(`s${2 * k + partition}`, 3).map((r) => r.value),
        ).flat(),
      ];
      // Exactly once, and the sends of one partition in the order they were made.
      expect(stored).toEqual(expected);
    }
    for (const [i, sendResults] of results.entries()) {
      const stored = values(cluster, 'busy', i % 2);
      expect(sendResults.map((r) => stored[r.offset])).toEqual(records(`s${i}`, 3).map((r) => r.value));
    }
    expect(cluster.state.dropResponseAfterAppend).toHaveLength(0);
    expect(producer.sessionResets).toBe(0);
  });

  it('a send larger than the window goes out in rounds of at most 5 batches per partition', async () => {
    const producer = client.producer({ timeoutMs: 5_000, batchMaxRecords: 1 });
    const results = await producer.send('big', records('b', 12));
    expect(results.map((r) => r.offset)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(values(cluster, 'big', 0)).toEqual(records('b', 12).map((r) => r.value));
    const perRequest = produceRequests(cluster, 'big').map(
      (r) => splitBatches(Buffer.from(r.topics[0]?.partitions[0]?.records ?? [])).batches.length,
    );
    expect(perRequest).toEqual([5, 5, 2]);
  });

  it('retries InitProducerId on a retriable error and fails naming it on a fatal one', async () => {
    const producer = client.producer({ timeoutMs: 5_000 });
    cluster.state.injectedInitProducerId.push('COORDINATOR_NOT_AVAILABLE', 'LEADER_NOT_AVAILABLE');
    await producer.send('init', records('i', 1));
    expect(cluster.state.requests.filter((r) => r.method === 'InitProducerId')).toHaveLength(3);
    expect(values(cluster, 'init', 0)).toEqual(['i-0']);

    const other = client.producer({ timeoutMs: 5_000 });
    cluster.state.injectedInitProducerId.push('INVALID_REQUEST');
    await expect(other.send('init', records('j', 1))).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/InitProducerId/),
    });
    expect(values(cluster, 'init', 0)).toEqual(['i-0']);
  });

  it('a fatal batch failure resets: a new producer id, sequences from 0, and OUT_OF_ORDER alone is not retried', async () => {
    const producer = client.producer({ timeoutMs: 5_000 });
    await producer.send('fatal', records('a', 2));
    cluster.state.injected.push({
      method: 'Produce',
      topic: 'fatal',
      partition: 0,
      errorCode: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
    });
    await expect(producer.send('fatal', records('b', 1))).rejects.toMatchObject({
      code: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
    });
    expect(produceRequests(cluster, 'fatal')).toHaveLength(2);
    expect(producer.sessionResets).toBe(1);
    await producer.send('fatal', records('c', 2));
    const headers = cluster.log('fatal', 0).batches.map((b) => readBatchHeader(b.bytes));
    expect(headers.map((h) => h.baseSequence)).toEqual([0, 0]);
    expect(headers[1]?.producerId).not.toBe(headers[0]?.producerId);
    expect(values(cluster, 'fatal', 0)).toEqual(['a-0', 'a-1', 'c-0', 'c-1']);
    expect(cluster.state.requests.filter((r) => r.method === 'InitProducerId')).toHaveLength(2);
  });

  it('a record that cannot be encoded rejects the send and leaks no window slots or sequences', async () => {
    const producer = client.producer({ timeoutMs: 5_000, deliveryTimeoutMs: 5_000 });
    const headers = Array.from({ length: 10_001 }, (_, i) => ({ key: `h${i}`, value: null }));
    for (let i = 0; i < 6; i++) {
      const bad = producer.send('enc', [
        { key: null, value: 'fine', partition: 0 },
        { key: null, value: 'bad', partition: 1, headers },
      ]);
      await expect(bad).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: /headers/ });
    }
    expect(produceRequests(cluster, 'enc')).toHaveLength(0);
    // More failed rounds than the window has slots: a leak would make these wait until the deadline.
    await producer.send('enc', [
      { key: null, value: 'ok-0', partition: 0 },
      { key: null, value: 'ok-1', partition: 1 },
    ]);
    expect(values(cluster, 'enc', 0)).toEqual(['ok-0']);
    expect(values(cluster, 'enc', 1)).toEqual(['ok-1']);
    expect(cluster.log('enc', 0).batches.map((b) => readBatchHeader(b.bytes).baseSequence)).toEqual([0]);
  });

  it('sends waiting for window room still end at the delivery deadline', { timeout: 30_000 }, async () => {
    // Partition 0 of "stuck" is led by a broker nobody knows: every attempt fails retriably.
    cluster.state.leaders.set('stuck', [99]);
    const producer = client.producer({ timeoutMs: 5_000, deliveryTimeoutMs: 400 });
    const startedMs = Date.now();
    const sends = Array.from({ length: 8 }, (_, i) =>
      producer.sendBatch('stuck', {
        partition: 0,
        records: [{ key: null, value: Buffer.from(`x${i}`), timestampMs: 1 }],
      }),
    );
    const outcomes = await Promise.allSettled(sends);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'REQUEST_TIMED_OUT' } });
    }
    expect(Date.now() - startedMs).toBeLessThan(15_000);
    expect(values(cluster, 'stuck', 0)).toEqual([]);
  });
});
