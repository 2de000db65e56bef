/**
 * Regression tests for what the gRPC fuzz suite found, and the broker's request quotas (issue 6
 * item 3): the largest request (LIMITS.grpcMessageBytesMax) and the in-flight produce bytes
 * (REQUEST_LIMITS.produceInFlightBytesMax, settable per broker for tests).
 */
import { LIMITS } from '@tributary/core';
import type { ProducePartitionResult, ProduceRequest__Output } from '@tributary/protocol';
import {
  type BrokerClient,
  createBrokerClient,
  createControllerAdminClient,
  unary,
} from '@tributary/protocol';
import { crc32c, encodeRecordBatch } from '@tributary/records';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplicaManagerPort } from '../node/replica-port.js';
import { FuzzCluster, waitUntil } from './harness.js';

const TOPIC = 'regressions';
const CRC_OFFSET = 17;
const CRC_START_OFFSET = 21;

function oneRecordBatch(): Buffer {
  return encodeRecordBatch({ records: [{ key: null, value: Buffer.from('v'), timestampMs: 1_000 }] });
}

/** Rewrites one header field and recomputes the CRC, so only the field itself is wrong. */
function withField(batch: Buffer, write: (copy: Buffer) => void): Buffer {
  const copy = Buffer.from(batch);
  write(copy);
  copy.writeUInt32BE(crc32c(copy.subarray(CRC_START_OFFSET)), CRC_OFFSET);
  return copy;
}

function produce(client: BrokerClient, records: Buffer, name = TOPIC) {
  return unary(
    client,
    'Produce',
    { acks: -1, timeoutMs: 5_000, topics: [{ name, partitions: [{ partition: 0, records }] }] },
    { deadlineMs: 10_000 },
  );
}

describe('regressions found by the gRPC fuzz suite (real replica manager)', () => {
  let cluster: FuzzCluster | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  }, 30_000);

  async function start(): Promise<BrokerClient> {
    cluster = await FuzzCluster.start();
    const broker = await cluster.startBroker(1);
    await cluster.waitUnfenced();
    const admin = cluster.track(createControllerAdminClient(cluster.controllerAddress));
    await unary(
      admin,
      'CreateTopic',
      { name: TOPIC, partitions: 1, replicationFactor: 1 },
      { deadlineMs: 10_000 },
    );
    const client = cluster.track(createBrokerClient(`127.0.0.1:${broker.port}`));
    await waitUntil('the partition to take writes', async () => {
      const response = await produce(client, oneRecordBatch());
      return response.results[0]?.errorCode === '';
    });
    return client;
  }

  it('a Produce naming a 100,000-character topic with an empty batch gets INVALID_REQUEST, not a dropped connection', async () => {
    const client = await start();
    const longName = 'y'.repeat(100_000);
    // The error message echoes the name; as a 100 kB grpc-message trailer it used to make the HTTP/2
    // peer drop the connection, so the call hung until its deadline.
    const request = {
      acks: -1,
      timeoutMs: 0,
      topics: [{ name: longName, partitions: [{ partition: 0, records: Buffer.alloc(0) }] }],
    };
    const error = await unary(client, 'Produce', request, { deadlineMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(String((error as Error).message)).toContain('characters cut');
    // The connection still works.
    const after = await produce(client, oneRecordBatch());
    expect(after.results[0]?.errorCode).toBe('');
  }, 60_000);

  it('a producer batch whose lastOffsetDelta or recordCount disagree, with a valid CRC, is refused as CORRUPT_MESSAGE', async () => {
    const client = await start();
    const before = await produce(client, oneRecordBatch());
    const next = (before.results[0]?.baseOffset ?? -1) + 1;
    const damaged: Array<[string, Buffer]> = [
      ['lastOffsetDelta 2^31 - 1', withField(oneRecordBatch(), (b) => b.writeInt32BE(0x7fff_ffff, 23))],
      ['lastOffsetDelta 5', withField(oneRecordBatch(), (b) => b.writeInt32BE(5, 23))],
      ['recordCount 5', withField(oneRecordBatch(), (b) => b.writeInt32BE(5, 57))],
      ['recordCount -1', withField(oneRecordBatch(), (b) => b.writeInt32BE(-1, 57))],
      ['compression codec 7', withField(oneRecordBatch(), (b) => b.writeInt16BE(7, 21))],
      ['control flag', withField(oneRecordBatch(), (b) => b.writeInt16BE(0x20, 21))],
      // Still CORRUPT_MESSAGE although transactional writes exist now: the batch has no producer id, so
      // validation refuses it before KIP-890's verification would answer INVALID_TXN_STATE.
      ['transactional flag', withField(oneRecordBatch(), (b) => b.writeInt16BE(0x10, 21))],
    ];
    for (const [what, batch] of damaged) {
      const response = await produce(client, batch);
      expect(response.results[0]?.errorCode, what).toBe('CORRUPT_MESSAGE');
    }
    // No offsets were burned: the next valid batch lands right after the last good one.
    const after = await produce(client, oneRecordBatch());
    expect(after.results[0]).toMatchObject({ errorCode: '', baseOffset: next });
  }, 60_000);
});

/** A replica manager whose produce calls wait until the test releases them. */
class BlockingReplicaManager implements ReplicaManagerPort {
  private readonly waiting: Array<() => void> = [];
  get parked(): number {
    return this.waiting.length;
  }
  releaseAll(): void {
    for (const release of this.waiting.splice(0)) release();
  }
  async applyMetadata(): Promise<void> {}
  async produce(request: ProduceRequest__Output): Promise<ProducePartitionResult[]> {
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return request.topics.flatMap((topic) =>
      topic.partitions.map((p) => ({
        topic: topic.name,
        partition: p.partition,
        errorCode: '',
        errorMessage: '',
        baseOffset: 0,
        logStartOffset: 0,
        leaderId: 1,
        leaderEpoch: 0,
      })),
    );
  }
  async fetch() {
    return [];
  }
  async listOffsets() {
    return [];
  }
  async deleteRecords() {
    return [];
  }
  offsetForLeaderEpoch() {
    return [];
  }
  async replicaFetch() {
    return [];
  }
  leaderPartitions(): { topic: string; partition: number }[] {
    return [];
  }
  async close(): Promise<void> {
    this.releaseAll();
  }
}

describe('broker quotas', () => {
  let cluster: FuzzCluster | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  }, 30_000);

  it('refuses new Produce calls with RESOURCE_EXHAUSTED while the in-flight bytes are at the limit, and admits them once released', async () => {
    cluster = await FuzzCluster.start();
    const fake = new BlockingReplicaManager();
    const broker = await cluster.startBroker(1, {
      openReplicaManager: async () => fake,
      produceInFlightBytesMax: 1_500,
    });
    const client = cluster.track(createBrokerClient(`127.0.0.1:${broker.port}`));
    const request = (bytes: number) => ({
      acks: 1,
      timeoutMs: 1_000,
      topics: [{ name: 't', partitions: [{ partition: 0, records: Buffer.alloc(bytes, 1) }] }],
    });
    const first = unary(client, 'Produce', request(1_000), { deadlineMs: 15_000 });
    await waitUntil('the first produce to be in flight', () => fake.parked === 1);
    const refused = await unary(client, 'Produce', request(1_000), { deadlineMs: 5_000 }).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: 'RESOURCE_EXHAUSTED', retriable: true });
    expect(String((refused as Error).message)).toContain('limit of 1500');
    // A smaller request still fits under the bound.
    const small = unary(client, 'Produce', request(400), { deadlineMs: 15_000 });
    await waitUntil('the small produce to be in flight', () => fake.parked === 2);
    fake.releaseAll();
    await expect(first).resolves.toMatchObject({ results: [{ errorCode: '' }] });
    await expect(small).resolves.toMatchObject({ results: [{ errorCode: '' }] });
    // Released: the same request is admitted now.
    const again = unary(client, 'Produce', request(1_000), { deadlineMs: 15_000 });
    await waitUntil('the retried produce to be in flight', () => fake.parked === 1);
    fake.releaseAll();
    await expect(again).resolves.toMatchObject({ results: [{ errorCode: '' }] });
  }, 60_000);

  it('answers a request over the largest message size with RESOURCE_EXHAUSTED naming the limit', async () => {
    cluster = await FuzzCluster.start();
    const broker = await cluster.startBroker(1, {
      openReplicaManager: async () => new BlockingReplicaManager(),
    });
    // A client allowed to send more than the server accepts.
    const client = cluster.track(
      createBrokerClient(`127.0.0.1:${broker.port}`, {
        channelOptions: { 'grpc.max_send_message_length': LIMITS.grpcMessageBytesMax + 1024 * 1024 },
      }),
    );
    const records = Buffer.alloc(LIMITS.grpcMessageBytesMax + 1, 1);
    const request = {
      acks: 1,
      timeoutMs: 1_000,
      topics: [{ name: 't', partitions: [{ partition: 0, records }] }],
    };
    const error = await unary(client, 'Produce', request, { deadlineMs: 20_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    expect(String((error as Error).message)).toContain(String(LIMITS.grpcMessageBytesMax));
    // The broker still serves. Copying the oversized request can stall a loaded machine's event loop past
    // a heartbeat, so the broker may briefly answer BROKER_NOT_READY (retriable) while it catches up again:
    // what must hold is that it answers Metadata again, not that it never paused.
    await waitUntil('the broker to answer Metadata again', async () => {
      try {
        const answer = await unary(client, 'Metadata', { topics: [] }, { deadlineMs: 10_000 });
        return answer.brokers.length > 0;
      } catch (error) {
        expect(error).toMatchObject({ code: 'BROKER_NOT_READY' });
        return false;
      }
    });
  }, 60_000);
});
