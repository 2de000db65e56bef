/**
 * Broker.DeleteRecords over gRPC: request validation, the deletion policy (internal topic, cleanup.policy)
 * and the Broker service over a real replica manager (ReplicaTestCluster), timeout 0 meaning the default.
 */
import type { TributaryError } from '@tributary/core';
import { MetadataImage, type MetadataRecord, replayAll } from '@tributary/metadata';
import {
  addBrokerService,
  bindServer,
  createBrokerClient,
  createServer,
  type DeleteRecordsRequest__Output,
  shutdownServer,
  unary,
} from '@tributary/protocol';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { produceTo, ReplicaTestCluster, testBatch } from '../replica/test-cluster.js';
import { createBrokerHandlers } from './broker-service.js';
import { applyDeleteRecordsPolicy, deleteRecordsRefusal } from './delete-records.js';
import { validateDeleteRecordsRequest } from './validate.js';

function codeOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as TributaryError).code;
  }
}

function request(overrides: Partial<DeleteRecordsRequest__Output> = {}): DeleteRecordsRequest__Output {
  return { timeoutMs: 0, topics: [{ name: 't', partitions: [{ partition: 0, offset: 5 }] }], ...overrides };
}

function imageWithConfigs(configs: Record<string, Record<string, string>>): MetadataImage {
  const records: MetadataRecord[] = Object.entries(configs).flatMap(([topic, values]): MetadataRecord[] => [
    { type: 'Topic', name: topic, topicId: `id-${topic}` },
    ...Object.entries(values).map(
      ([name, value]): MetadataRecord => ({
        type: 'Config',
        resourceType: 'topic',
        resourceName: topic,
        name,
        value,
      }),
    ),
  ]);
  return replayAll(
    MetadataImage.EMPTY,
    records.map((record, i) => ({ record, offset: i + 1 })),
  );
}

describe('DeleteRecords validation and policy', () => {
  it('accepts offsets from -1 and refuses the rest, duplicates and overlong timeouts', () => {
    expect(codeOf(() => validateDeleteRecordsRequest(request()))).toBeUndefined();
    const offset = (o: number) =>
      request({ topics: [{ name: 't', partitions: [{ partition: 0, offset: o }] }] });
    expect(codeOf(() => validateDeleteRecordsRequest(offset(-1)))).toBeUndefined();
    expect(codeOf(() => validateDeleteRecordsRequest(offset(-2)))).toBe('INVALID_REQUEST');
    expect(codeOf(() => validateDeleteRecordsRequest(request({ timeoutMs: 300_001 })))).toBe(
      'INVALID_REQUEST',
    );
    const twice = { name: 't', partitions: [0, 0].map((partition) => ({ partition, offset: 1 })) };
    expect(codeOf(() => validateDeleteRecordsRequest(request({ topics: [twice] })))).toBe('INVALID_REQUEST');
    const unnamed = { name: '', partitions: [{ partition: 0, offset: 1 }] };
    expect(codeOf(() => validateDeleteRecordsRequest(request({ topics: [unnamed] })))).toBe(
      'INVALID_REQUEST',
    );
  });

  it("refuses the internal topic and topics whose cleanup.policy lacks 'delete'", () => {
    const image = imageWithConfigs({
      compacted: { 'cleanup.policy': 'compact' },
      both: { 'cleanup.policy': 'compact, delete' },
      plain: { 'cleanup.policy': 'delete' },
    });
    expect(deleteRecordsRefusal(image, '__consumer_offsets')?.code).toBe('POLICY_VIOLATION');
    expect(deleteRecordsRefusal(image, 'compacted')?.code).toBe('POLICY_VIOLATION');
    expect(deleteRecordsRefusal(image, 'both')).toBeNull();
    expect(deleteRecordsRefusal(image, 'plain')).toBeNull();
    expect(deleteRecordsRefusal(image, 'unset')).toBeNull();
    const { forward, refused } = applyDeleteRecordsPolicy(
      image,
      request({
        timeoutMs: 7,
        topics: ['compacted', 'plain'].map((name) => ({ name, partitions: [{ partition: 3, offset: 1 }] })),
      }),
    );
    expect(forward).toEqual({
      timeoutMs: 7,
      topics: [{ name: 'plain', partitions: [{ partition: 3, offset: 1 }] }],
    });
    expect(refused).toMatchObject([
      { topic: 'compacted', partition: 3, errorCode: 'POLICY_VIOLATION', lowWatermark: -1 },
    ]);
  });
});

describe('Broker.DeleteRecords over gRPC', () => {
  let cluster: ReplicaTestCluster | null = null;
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await cluster?.close();
    cluster = null;
  });

  it('deletes on the leader with the default wait and answers refusals per partition', async () => {
    const c = await ReplicaTestCluster.start([1, 2]);
    cluster = c;
    for (const id of [1, 2]) await c.startBroker(id);
    await c.createTopic('grpc-trim', [1, 2]);
    await c.createTopic('compacted', [1, 2], { 'cleanup.policy': 'compact' });
    for (let i = 0; i < 3; i++) {
      expect((await produceTo(c.manager(1), 'grpc-trim', testBatch(4, 10), -1)).errorCode).toBe('');
    }
    const server = createServer();
    addBrokerService(
      server,
      createBrokerHandlers({
        dataPlane: c.manager(1),
        producerIds: { generateProducerId: async () => 1 },
        metadata: { currentImage: () => c.image, onImage: () => () => {} },
        autoCreate: null,
        logger: pino({ level: 'silent' }),
      }),
    );
    const port = await bindServer(server, '127.0.0.1:0');
    cleanups.push(() => shutdownServer(server, 100));
    const client = createBrokerClient(`127.0.0.1:${port}`);
    cleanups.push(() => client.close());

    const response = await unary(
      client,
      'DeleteRecords',
      {
        timeoutMs: 0,
        topics: [
          { name: 'grpc-trim', partitions: [{ partition: 0, offset: 6 }] },
          { name: 'compacted', partitions: [{ partition: 0, offset: 0 }] },
        ],
      },
      { deadlineMs: 10_000 },
    );
    const byTopic = new Map(response.results.map((r) => [r.topic, r]));
    expect(byTopic.get('grpc-trim')).toMatchObject({ errorCode: '', lowWatermark: 6, leaderId: 1 });
    expect(byTopic.get('compacted')).toMatchObject({ errorCode: 'POLICY_VIOLATION', lowWatermark: -1 });
    // Answered after the follower moved too: timeout 0 is the default wait, not "do not wait".
    expect(c.manager(2).partitionReplica('grpc-trim', 0)?.log.logStartOffset).toBe(6);

    await expect(
      unary(client, 'DeleteRecords', { timeoutMs: 1e9, topics: [] }, { deadlineMs: 5_000 }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
