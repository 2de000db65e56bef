/**
 * Admin.deleteRecords against fake brokers: one call per leader, per-partition outcomes, stale leaders
 * asked again after a metadata refresh, bad input refused before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TributaryClient } from './client.js';
import { requireRecordsToDelete } from './delete-records.js';
import { type FakeCluster, startFakeCluster } from './testing/fake-broker.js';

let cluster: FakeCluster;
let client: TributaryClient;

beforeAll(async () => {
  cluster = await startFakeCluster({ brokers: 2, topics: { orders: 3 } });
  for (const partition of [0, 1, 2]) cluster.log('orders', partition).endOffset = 50;
  client = new TributaryClient({ bootstrap: cluster.bootstrap });
});

afterAll(async () => {
  client.close();
  await cluster.stop();
});

describe('Admin.deleteRecords', () => {
  it("asks each partition's leader once and answers each partition's new log start", async () => {
    const before = cluster.state.requests.length;
    const deleted = await client.admin().deleteRecords([
      { topic: 'orders', partition: 0, offset: 10 },
      { topic: 'orders', partition: 1, offset: -1 },
      { topic: 'orders', partition: 2, offset: 51 },
      { topic: 'orders', partition: 7, offset: 0 },
    ]);
    expect(deleted).toEqual([
      { topic: 'orders', partition: 0, lowWatermark: 10, error: null },
      { topic: 'orders', partition: 1, lowWatermark: 50, error: null },
      {
        topic: 'orders',
        partition: 2,
        lowWatermark: null,
        error: { code: 'OFFSET_OUT_OF_RANGE', message: 'past the end' },
      },
      {
        topic: 'orders',
        partition: 7,
        lowWatermark: null,
        error: { code: 'UNKNOWN_TOPIC_OR_PARTITION', message: 'no partition orders-7' },
      },
    ]);
    // Leaders are round-robin: partitions 0 and 2 on broker 1, partition 1 on broker 2.
    const asked = cluster.state.requests.slice(before).filter((r) => r.method === 'DeleteRecords');
    expect(asked.map((r) => r.brokerId).sort()).toEqual([1, 2]);
  });

  it('asks again, after a refresh, a partition whose leader answered NOT_LEADER', async () => {
    cluster.state.injected.push({
      method: 'DeleteRecords',
      topic: 'orders',
      partition: 0,
      errorCode: 'NOT_LEADER',
    });
    const [result] = await client.admin().deleteRecords([{ topic: 'orders', partition: 0, offset: 20 }]);
    expect(result).toEqual({ topic: 'orders', partition: 0, lowWatermark: 20, error: null });
    expect(cluster.state.injected).toEqual([]);
  });

  it('refuses duplicates and offsets below -1 before sending anything', async () => {
    expect(() => requireRecordsToDelete([{ topic: 'orders', partition: 0, offset: -2 }])).toThrow(/offset/);
    await expect(
      client.admin().deleteRecords([
        { topic: 'orders', partition: 0, offset: 1 },
        { topic: 'orders', partition: 0, offset: 2 },
      ]),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
