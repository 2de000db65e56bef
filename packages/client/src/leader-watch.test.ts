/**
 * A producer whose leader stops answering (paused: connections open, nothing comes back) goes to the new
 * leader as soon as the metadata names it, instead of waiting out its request timeout (issue 16). The
 * request timeout here is longer than the test's own timeout: a producer that waited it out fails the test.
 */
import { SeededRandom } from '@tributary/core';
import { decodeRecordBatch } from '@tributary/records';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TributaryClient } from './client.js';
import { LeaderWatch } from './leader-watch.js';
import { type FakeCluster, startFakeCluster } from './testing/fake-broker.js';

const REQUEST_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 15_000;

let cluster: FakeCluster;
let client: TributaryClient;

beforeEach(async () => {
  cluster = await startFakeCluster({ brokers: 3, topics: { t: 1, u: 1 } });
});
afterEach(async () => {
  client?.close();
  await cluster.stop();
});

function values(topic: string): string[] {
  return cluster
    .log(topic, 0)
    .batches.flatMap((batch) =>
      decodeRecordBatch(batch.bytes).records.map((r) => Buffer.from(r.value ?? []).toString()),
    );
}

function waitUntil(condition: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const startedMs = performance.now();
    const poll = setInterval(() => {
      if (condition()) {
        clearInterval(poll);
        resolve();
      } else if (performance.now() - startedMs > 10_000) {
        clearInterval(poll);
        reject(new Error(`not within 10 s: ${what}`));
      }
    }, 10);
  });
}

describe.each([
  { transport: 'stream', produceStreams: true },
  { transport: 'unary', produceStreams: false },
])('a producer waiting on a paused leader ($transport)', ({ produceStreams }) => {
  it(
    'sends again to the new leader once the metadata names it, and the record lands once',
    async () => {
      client = new TributaryClient({
        bootstrap: cluster.bootstrap,
        random: new SeededRandom(5),
        produceStreams,
      });
      const producer = client.producer({ timeoutMs: REQUEST_TIMEOUT_MS });
      await producer.send('t', [{ key: null, value: 'before' }]);
      const leader = cluster.state.leaders.get('t')?.[0] ?? -1;
      expect(leader).toBe(1);
      const metadataCallsTo = (brokerId: number) =>
        cluster.state.requests.filter((r) => r.method === 'Metadata' && r.brokerId === brokerId).length;
      const pausedAskedBefore = metadataCallsTo(leader);
      cluster.state.pausedBrokers.add(leader);
      const sent = producer.send('t', [{ key: null, value: 'during' }]);
      // The watch looks, finds the same leader, and keeps waiting while the "controller" has not moved it.
      await waitUntil(
        () =>
          cluster.state.requests.filter((r) => r.method === 'Metadata' && r.brokerId !== leader).length >= 3,
        'the watch asked other brokers for metadata',
      );
      cluster.moveLeader('t', 0, 2);
      const [acknowledged] = await sent;
      expect(acknowledged?.offset).toBe(1);
      expect(values('t')).toEqual(['before', 'during']);
      // The paused broker is asked for metadata after the others while it does not answer.
      expect(metadataCallsTo(leader)).toBe(pausedAskedBefore);
    },
    TEST_TIMEOUT_MS,
  );
});

describe.each([
  { transport: 'stream', fetchStreams: true },
  { transport: 'unary', fetchStreams: false },
])('a consumer fetching from a paused leader ($transport)', ({ fetchStreams }) => {
  it(
    'fetches from the new leader once the metadata names it',
    async () => {
      client = new TributaryClient({
        bootstrap: cluster.bootstrap,
        random: new SeededRandom(8),
        timeoutMs: REQUEST_TIMEOUT_MS,
        fetchStreams,
      });
      await client.producer().send('t', [{ key: null, value: 'r0' }]);
      const consumer = client.consumer();
      expect(
        (await consumer.fetch('t', 0, 0)).records.map((r) => Buffer.from(r.value ?? []).toString()),
      ).toEqual(['r0']);
      const leader = cluster.state.leaders.get('t')?.[0] ?? -1;
      cluster.state.pausedBrokers.add(leader);
      const fetched = consumer.fetch('t', 0, 0);
      await waitUntil(
        () =>
          cluster.state.requests.filter((r) => r.method === 'Metadata' && r.brokerId !== leader).length >= 3,
        'the watch asked other brokers for metadata',
      );
      cluster.moveLeader('t', 0, 3);
      const result = await fetched;
      expect(result.records.map((r) => Buffer.from(r.value ?? []).toString())).toEqual(['r0']);
      expect(
        cluster.state.requests.some((r) => r.method === 'Fetch' && r.brokerId === 3),
        'the fetch went to the new leader',
      ).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('LeaderWatch', () => {
  it('does not report a move while the leader keeps its epoch, nor a new epoch on the same leader', async () => {
    client = new TributaryClient({ bootstrap: cluster.bootstrap, random: new SeededRandom(6) });
    const metadata = client.metadata;
    await metadata.refresh(['u'], 2_000);
    const leaderAddress = metadata.leaderAddress('u', 0) ?? '';
    const moves: string[] = [];
    const watch = new LeaderWatch({ metadata, intervalMs: 20 });
    const stop = watch.watch({
      topic: 'u',
      partitions: [0],
      address: leaderAddress,
      onMoved: (error) => moves.push(error.message),
    });
    const metadataCalls = () => cluster.state.requests.filter((r) => r.method === 'Metadata').length;
    const before = metadataCalls();
    await waitUntil(() => metadataCalls() >= before + 3, 'three looks');
    // Re-elected in place (the epoch moves, the leader does not): the request may still be answered.
    cluster.moveLeader('u', 0, 1);
    const afterReelection = metadataCalls();
    await waitUntil(() => metadataCalls() >= afterReelection + 3, 'three more looks');
    expect(moves).toEqual([]);
    cluster.moveLeader('u', 0, 3);
    await waitUntil(() => moves.length === 1, 'the move reported');
    expect(moves[0]).toMatch(/u-0: leadership moved from .* to broker 3 \(leader epoch 2\)/);
    const afterMove = metadataCalls();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(metadataCalls(), 'no look after the move was reported').toBe(afterMove);
    stop();
  });

  it('stops looking when the request settles', async () => {
    client = new TributaryClient({ bootstrap: cluster.bootstrap, random: new SeededRandom(7) });
    await client.metadata.refresh(['u'], 2_000);
    const watch = new LeaderWatch({ metadata: client.metadata, intervalMs: 20 });
    const stop = watch.watch({ topic: 'u', partitions: [0], address: 'x', onMoved: () => undefined });
    const metadataCalls = () => cluster.state.requests.filter((r) => r.method === 'Metadata').length;
    const before = metadataCalls();
    await waitUntil(() => metadataCalls() > before, 'a look');
    stop();
    const stopped = metadataCalls();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(metadataCalls()).toBeLessThanOrEqual(stopped + 1);
  });
});
