import { SeededRandom } from '@tributary/core';
import {
  decodeRecordBatch,
  encodeRecordBatch,
  partitionForKey,
  StickyPartitioner,
  splitBatches,
} from '@tributary/records';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TributaryClient } from './client.js';
import { Slots } from './connections.js';
import { decodeFetched } from './decode.js';
import { CLIENT_LIMITS } from './limits.js';
import { assignPartitions, chunkBySize, groupByPartition } from './partitioning.js';
import { type FakeCluster, startFakeCluster } from './testing/fake-broker.js';

const text = (bytes: Uint8Array | null): string | null =>
  bytes === null ? null : Buffer.from(bytes).toString('utf8');

function values(cluster: FakeCluster, topic: string, partition: number): string[] {
  return cluster
    .log(topic, partition)
    .batches.flatMap((b) => decodeRecordBatch(b.bytes).records.map((r) => text(r.value) ?? ''));
}

describe('partitioning (pure)', () => {
  it('puts keys where murmur2 says, explicit partitions as given, keyless records on one sticky partition', () => {
    const sticky = new StickyPartitioner(new SeededRandom(1));
    const key = Buffer.from('user-42');
    const parts = assignPartitions(
      't',
      [{ key }, { key: null }, { key: null }, { key: null, partition: 2 }],
      6,
      sticky,
    );
    expect(parts[0]).toBe(partitionForKey(key, 6));
    expect(parts[1]).toBe(parts[2]);
    expect(parts[3]).toBe(2);
    expect(() => assignPartitions('t', [{ key: null, partition: 6 }], 6, sticky)).toThrow(/outside/);
    const custom = (): number => 5;
    expect(assignPartitions('t', [{ key: null, partition: 1 }, { key }], 6, sticky, custom)).toEqual([1, 5]);
    expect(() => assignPartitions('t', [{ key }], 5, sticky, custom)).toThrow(
      expect.objectContaining({ code: 'INVALID_PARTITIONS' }),
    );
  });

  it('groups indexes per partition in input order and chunks by both bounds', () => {
    expect([...groupByPartition([1, 0, 1, 1])]).toEqual([
      [1, [0, 2, 3]],
      [0, [1]],
    ]);
    expect(chunkBySize([0, 1, 2, 3, 4], () => 10, { maxRecords: 2, maxBytes: 100 })).toEqual([
      [0, 1],
      [2, 3],
      [4],
    ]);
    expect(chunkBySize([0, 1, 2], () => 60, { maxRecords: 10, maxBytes: 100 })).toEqual([[0], [1], [2]]);
  });

  it('decodeFetched skips records below the fetch offset and reports the next offset', () => {
    const batch = encodeRecordBatch({
      baseOffset: 10,
      records: [0, 1, 2].map((i) => ({ key: null, value: Buffer.from(`v${i}`), timestampMs: 5 })),
    });
    const decoded = decodeFetched(batch, { topic: 't', partition: 0, fetchOffset: 11 });
    expect(decoded.records.map((r) => [r.offset, text(r.value)])).toEqual([
      [11, 'v1'],
      [12, 'v2'],
    ]);
    expect(decoded.nextOffset).toBe(13);
  });
});

describe('TributaryClient against fake brokers', () => {
  let cluster: FakeCluster;
  let client: TributaryClient;

  beforeAll(async () => {
    cluster = await startFakeCluster({ brokers: 2, topics: { orders: 4, other: 1, stuck: 1 } });
  });
  afterAll(async () => {
    await cluster.stop();
  });
  beforeEach(() => {
    client = new TributaryClient({ bootstrap: [cluster.bootstrap[0] ?? ''], random: new SeededRandom(7) });
    cluster.state.requests.length = 0;
    cluster.state.injected.length = 0;
  });

  it('sends one batch per partition and one Produce call per leader broker', async () => {
    const producer = client.producer({ acks: 'all', timeoutMs: 5_000 });
    const records = Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
    const before = [0, 1, 2, 3].map((p) => cluster.log('orders', p).endOffset);
    const results = await producer.send('orders', records);
    for (const [i, result] of results.entries()) {
      expect(result.partition).toBe(partitionForKey(Buffer.from(`k${i}`), 4));
      const stored = values(cluster, 'orders', result.partition);
      expect(stored[result.offset]).toBe(`v${i}`);
    }
    const produces = cluster.state.requests.filter((r) => r.method === 'Produce');
    expect(produces).toHaveLength(2);
    for (const p of [0, 1, 2, 3]) {
      const added = cluster.log('orders', p).batches.filter((b) => b.baseOffset >= (before[p] ?? 0));
      expect(added.length).toBeLessThanOrEqual(1);
    }
    client.close();
  });

  it('takes KafkaJS-shaped sends: optional keys, headers and explicit timestamps', async () => {
    const producer = client.producer({ timeoutMs: 5_000 });
    const [first, second] = await producer.send({
      topic: 'orders',
      messages: [
        {
          value: 'no-key',
          partition: 3,
          timestamp: 1_700_000_000_123,
          headers: [{ key: 'h', value: Buffer.from('x') }],
        },
        { key: 'k', value: 'keyed', timestamp: 1_700_000_000_456 },
      ],
    });
    expect(first?.partition).toBe(3);
    expect(second?.partition).toBe(partitionForKey(Buffer.from('k'), 4));
    const stored = (partition: number, offset: number) =>
      cluster
        .log('orders', partition)
        .batches.flatMap((b) => decodeRecordBatch(b.bytes).records)
        .find((r) => r.offset === offset);
    const noKey = stored(3, first?.offset ?? -1);
    expect(noKey?.key).toBeNull();
    expect(noKey?.timestampMs).toBe(1_700_000_000_123);
    expect(text(noKey?.headers[0]?.value ?? null)).toBe('x');
    expect(stored(second?.partition ?? -1, second?.offset ?? -1)?.timestampMs).toBe(1_700_000_000_456);
    client.close();
  });

  it('retries NOT_LEADER after refreshing metadata and lands on the new leader', async () => {
    const producer = client.producer({ acks: 'all', timeoutMs: 5_000 });
    await producer.send('other', [{ key: null, value: 'warm-up' }]);
    cluster.moveLeader('other', 0, 2);
    const [result] = await producer.send('other', [{ key: null, value: 'after-move' }]);
    expect(result?.partition).toBe(0);
    const produces = cluster.state.requests.filter((r) => r.method === 'Produce');
    expect(produces.map((r) => r.brokerId)).toEqual([1, 1, 2]);
    expect(cluster.state.requests.filter((r) => r.method === 'Metadata').length).toBeGreaterThanOrEqual(2);
    expect(values(cluster, 'other', 0).at(-1)).toBe('after-move');
    cluster.moveLeader('other', 0, 1);
    client.close();
  });

  it('retries retriable partition errors and fails fast on non-retriable ones', async () => {
    const producer = client.producer({ acks: 1, timeoutMs: 5_000 });
    cluster.state.injected.push({
      method: 'Produce',
      topic: 'other',
      partition: 0,
      errorCode: 'NOT_ENOUGH_REPLICAS',
    });
    await expect(producer.send('other', [{ key: null, value: 'x' }])).resolves.toHaveLength(1);
    cluster.state.injected.push({
      method: 'Produce',
      topic: 'other',
      partition: 0,
      errorCode: 'RECORD_TOO_LARGE',
    });
    await expect(producer.send('other', [{ key: null, value: 'x' }])).rejects.toMatchObject({
      code: 'RECORD_TOO_LARGE',
    });
    await expect(producer.send('missing', [{ key: null, value: 'x' }])).rejects.toMatchObject({
      code: 'UNKNOWN_TOPIC',
    });
    client.close();
  });

  it('sendWithResults reports a non-retriable partition failure per record; send rejects as a whole', async () => {
    const producer = client.producer({ acks: 1, timeoutMs: 5_000 });
    const records = [0, 1, 2, 1].map((partition, i) => ({ key: null, value: `pr${i}`, partition }));
    cluster.state.injected.push({
      method: 'Produce',
      topic: 'orders',
      partition: 1,
      errorCode: 'RECORD_TOO_LARGE',
    });
    const results = await producer.sendWithResults('orders', records);
    expect(results.map((r) => ('error' in r ? r.error.code : r.partition))).toEqual([
      0,
      'RECORD_TOO_LARGE',
      2,
      'RECORD_TOO_LARGE',
    ]);
    for (const [i, result] of results.entries()) {
      if ('error' in result) expect(result.error.message).toMatch(/orders-1/);
      else expect(values(cluster, 'orders', result.partition)[result.offset]).toBe(`pr${i}`);
    }
    cluster.state.injected.push({
      method: 'Produce',
      topic: 'orders',
      partition: 1,
      errorCode: 'RECORD_TOO_LARGE',
    });
    await expect(producer.send('orders', records)).rejects.toMatchObject({
      code: 'RECORD_TOO_LARGE',
      message: expect.stringMatching(/orders-1/),
    });
    client.close();
  });

  it('a custom partitioner places records; an explicit partition wins; an out-of-range result fails the send', async () => {
    const seen: { key: string | null; value: string | null; partitionCount: number }[] = [];
    const producer = client.producer({
      acks: 1,
      timeoutMs: 5_000,
      partitioner: ({ topic, key, value, partitionCount }) => {
        expect(topic).toBe('orders');
        seen.push({ key: text(key), value: text(value), partitionCount });
        return text(value) === 'bad' ? 9 : (text(value)?.length ?? 0) % partitionCount;
      },
    });
    const results = await producer.send('orders', [
      { key: 'k', value: 'abc' },
      { key: null, value: 'abcdef' },
      { key: 'k', value: 'abc', partition: 0 },
    ]);
    expect(results.map((r) => r.partition)).toEqual([3, 2, 0]);
    expect(values(cluster, 'orders', 2)[results[1]?.offset ?? -1]).toBe('abcdef');
    expect(seen).toEqual([
      { key: 'k', value: 'abc', partitionCount: 4 },
      { key: null, value: 'abcdef', partitionCount: 4 },
    ]);
    cluster.state.requests.length = 0;
    const bad = producer.sendWithResults('orders', [
      { key: null, value: 'ok' },
      { key: null, value: 'bad' },
    ]);
    await expect(bad).rejects.toMatchObject({
      code: 'INVALID_PARTITIONS',
      message: expect.stringMatching(/returned 9 .*outside \[0, 4\)/),
    });
    expect(cluster.state.requests.filter((r) => r.method === 'Produce')).toHaveLength(0);
    client.close();
  });

  it('a broker answering a retriable error forever fails the send at the delivery timeout', async () => {
    const producer = client.producer({ acks: 1, timeoutMs: 5_000, deliveryTimeoutMs: 300 });
    for (let i = 0; i < CLIENT_LIMITS.attemptsMax; i++) {
      cluster.state.injected.push({
        method: 'Produce',
        topic: 'stuck',
        partition: 0,
        errorCode: 'NOT_ENOUGH_REPLICAS',
      });
    }
    const startedMs = Date.now();
    // The message names the deadline and the attempts; the last error is whatever the final attempt saw (under
    // load that may be the attempt's own deadline rather than NOT_ENOUGH_REPLICAS), so it is not pinned here.
    await expect(producer.send('stuck', [{ key: null, value: 'never' }])).rejects.toMatchObject({
      code: 'REQUEST_TIMED_OUT',
      message: expect.stringMatching(
        /within the 300 ms delivery timeout after \d+ attempt\(s\); last error: /,
      ),
    });
    const elapsedMs = Date.now() - startedMs;
    expect(elapsedMs).toBeGreaterThanOrEqual(250);
    // Ended by the delivery timeout, not by running out of attempts (50 retries with backoff take tens of
    // seconds); the bound is loose because CI machines are loaded.
    expect(elapsedMs).toBeLessThan(10_000);
    expect(cluster.state.requests.some((r) => r.method === 'Produce')).toBe(true);
    // (A topic of its own: an attempt still in flight at the deadline cannot land in another test's count.)
    client.close();
  });

  it('lingering sends share one request', async () => {
    const producer = client.producer({ acks: 1, timeoutMs: 5_000, lingerMs: 20 });
    const sends = [0, 1, 2].map((i) => producer.send('other', [{ key: null, value: `l${i}` }]));
    const results = await Promise.all(sends);
    expect(results.map((r) => r[0]?.offset)).toEqual(
      [0, 1, 2].map((i) => (results[0]?.[0]?.offset ?? 0) + i),
    );
    const produces = cluster.state.requests.filter(
      (r) => r.method === 'Produce' && r.topics.includes('other'),
    );
    expect(produces).toHaveLength(1);
    client.close();
  });

  it('sendBatch writes many records as one batch; fetch and consume read them back', async () => {
    const producer = client.producer({ acks: 'all', timeoutMs: 5_000 });
    const consumer = client.consumer();
    const start = (await consumer.listOffsets('orders', [3], 'latest')).get(3) ?? -1;
    const batch = await producer.sendBatch('orders', {
      partition: 3,
      records: Array.from({ length: 100 }, (_, i) => ({
        key: null,
        value: Buffer.from(`b${i}`),
        timestampMs: 1,
      })),
    });
    expect(batch).toEqual({ partition: 3, baseOffset: start, recordCount: 100 });
    const fetched = await consumer.fetch('orders', 3, start + 50, { maxWaitMs: 10 });
    expect(fetched.records).toHaveLength(50);
    expect(text(fetched.records[0]?.value ?? null)).toBe('b50');
    expect(fetched.nextOffset).toBe(start + 100);
    expect((await consumer.listOffsets('orders', [3], 'earliest')).get(3)).toBe(0);

    const abort = new AbortController();
    const seen: string[] = [];
    for await (const chunk of consumer.consume('orders', {
      partitions: [3],
      from: new Map([[3, start + 98]]),
      signal: abort.signal,
      maxWaitMs: 10,
    })) {
      seen.push(...chunk.map((r) => text(r.value) ?? ''));
      if (seen.length >= 2) abort.abort();
    }
    expect(seen).toEqual(['b98', 'b99']);
    client.close();
  });

  it('consume yields a leader’s records while another leader’s long-poll is still out', async () => {
    const consumer = client.consumer();
    const leaders = cluster.state.leaders.get('orders') ?? [];
    const fast = leaders.indexOf(1);
    const slowBroker = leaders.find((leader) => leader !== 1);
    expect(fast).toBeGreaterThanOrEqual(0);
    expect(slowBroker).toBeDefined();
    const from = await consumer.listOffsets('orders', undefined, 'latest');
    cluster.state.fetchHoldMs.set(slowBroker ?? -1, 3_000);
    const answeredBefore = cluster.state.heldFetchesAnswered;
    try {
      const abort = new AbortController();
      const chunks = consumer.consume('orders', { from, signal: abort.signal, maxWaitMs: 2_000 });
      const first = chunks.next();
      await client.producer({ acks: 'all' }).sendBatch('orders', {
        partition: fast,
        records: [{ key: null, value: Buffer.from('fast'), timestampMs: 1 }],
      });
      const chunk = await first;
      // The other leader's fetch has not answered yet: a round waiting for every leader would still wait.
      expect(cluster.state.heldFetchesAnswered).toBe(answeredBefore);
      expect((chunk.value ?? []).map((r) => text(r.value))).toEqual(['fast']);
      abort.abort();
    } finally {
      cluster.state.fetchHoldMs.clear();
    }
  });

  for (const compression of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`a ${compression} producer's batches are stored compressed and consumed decompressed`, async () => {
      const producer = client.producer({ acks: 'all', timeoutMs: 5_000, compression });
      const consumer = client.consumer();
      const start = (await consumer.listOffsets('orders', [1], 'latest')).get(1) ?? -1;
      const value = (i: number): string => `${compression}-${i} `.repeat(8);
      await producer.sendBatch('orders', {
        partition: 1,
        records: Array.from({ length: 50 }, (_, i) => ({
          key: null,
          value: Buffer.from(value(i)),
          timestampMs: 1,
        })),
      });
      await producer.send('orders', [{ key: 'k', value: value(50), partition: 1 }]);
      const stored = cluster.log('orders', 1).batches.slice(-2);
      for (const b of stored) expect(decodeRecordBatch(b.bytes).compression).toBe(compression);
      const fetched = await consumer.fetch('orders', 1, start + 10, { maxWaitMs: 10 });
      expect(fetched.records.map((r) => text(r.value))).toEqual(
        Array.from({ length: 41 }, (_, i) => value(i + 10)),
      );
      expect(fetched.nextOffset).toBe(start + 51);
      client.close();
    });
  }

  it('refuses an unsupported producer compression', () => {
    expect(() => client.producer({ compression: 'brotli' as 'gzip' })).toThrow(
      /compression must be one of none, gzip, snappy, lz4, zstd, got brotli/,
    );
    client.close();
  });

  it('refuses a fetch maxBytes the broker would refuse, before sending', async () => {
    const consumer = client.consumer();
    for (const maxBytes of [0, 1.5, 64 * 1024 * 1024 + 1]) {
      await expect(consumer.fetch('other', 0, 0, { maxBytes })).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
        message: expect.stringMatching(/^maxBytes must be an integer from 1 to 67108864/),
      });
    }
    client.close();
  });

  it('a fetch that hits NOT_LEADER refreshes metadata and retries', async () => {
    const consumer = client.consumer();
    await client.producer({ acks: 1 }).send('other', [{ key: null, value: 'f' }]);
    cluster.state.injected.push({ method: 'Fetch', topic: 'other', partition: 0, errorCode: 'NOT_LEADER' });
    const fetched = await consumer.fetch('other', 0, 0, { maxWaitMs: 10 });
    expect(fetched.records.length).toBeGreaterThan(0);
    expect(splitBatches(Buffer.alloc(0)).batches).toEqual([]);
    client.close();
  });
});

describe('Slots', () => {
  it('bounds concurrent holders and hands slots over in FIFO order', async () => {
    const slots = new Slots(2);
    const order: number[] = [];
    await slots.acquire();
    await slots.acquire();
    const third = slots.acquire().then(() => order.push(3));
    const fourth = slots.acquire().then(() => order.push(4));
    await Promise.resolve();
    expect(order).toEqual([]);
    slots.release();
    await third;
    expect(order).toEqual([3]);
    slots.release();
    await fourth;
    expect(order).toEqual([3, 4]);
  });
});
