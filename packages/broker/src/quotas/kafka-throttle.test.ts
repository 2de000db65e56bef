/**
 * The Kafka listener's side of client quotas (KIP-219): a Produce over its quota is answered at once with
 * throttle_time_ms, and the connection then reads nothing until that time has passed; another client is
 * not held. Real listener and socket; the quota clock is a test clock, so the throttle is exact.
 */
import type { Clock } from '@tributary/core';
import { decodeResponseFrame, Produce } from '@tributary/kafka-protocol';
import { ClientQuotasImage, quotaEntityKey } from '@tributary/metadata';
import type { ProducePartitionResult, ProduceRequest__Output } from '@tributary/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { produceHandler } from '../kafka/handlers/produce.js';
import { type KafkaListener, startKafkaListener } from '../kafka/listener.js';
import { KafkaApiRegistry } from '../kafka/registry.js';
import { adminParts, FakeController, FakeMetadata } from '../kafka/testing/admin-fakes.js';
import { RawKafkaClient } from '../kafka/testing/raw-client.js';
import { BrokerClientQuotas } from './client-quotas.js';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

/** producer_byte_rate = 1000 B/s for client id `slow`; windows of 11 × 100 ms (a minimum window of 1 s). */
function quotas(): BrokerClientQuotas {
  const entity = { clientId: 'slow' };
  const image = new ClientQuotasImage(
    new Map([
      [quotaEntityKey(entity), { entity, values: new Map([['producer_byte_rate', 1_000] as const]) }],
    ]),
  );
  const clock: Clock = { nowMs: () => 0, wallMs: () => 0 };
  return new BrokerClientQuotas({ quotas: () => image, clock, window: { samples: 11, sampleWindowMs: 100 } });
}

async function listenWithProduce(): Promise<KafkaListener> {
  const produced: ProduceRequest__Output[] = [];
  const dataPlane = {
    produce: async (request: ProduceRequest__Output): Promise<ProducePartitionResult[]> => {
      produced.push(request);
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
    },
  };
  const metadata = new FakeMetadata([]);
  const parts = adminParts(metadata, new FakeController(metadata), {
    dataPlane: dataPlane as unknown as ReturnType<typeof adminParts>['dataPlane'],
    quotas: quotas(),
  });
  const listener = await startKafkaListener({
    listen: '127.0.0.1:0',
    registry: new KafkaApiRegistry([produceHandler(parts)]),
    logger: parts.logger,
  });
  open.push(listener);
  return listener;
}

function produceBody(bytes: number) {
  return {
    transactionalId: null,
    acks: 1,
    timeoutMs: 1_000,
    topicData: [{ name: 't', partitionData: [{ index: 0, records: Buffer.alloc(bytes, 1) }] }],
  };
}

describe('client quotas on the Kafka listener', () => {
  it('answers an over-quota Produce with throttle_time_ms at once, then mutes the connection for it', async () => {
    const listener = await listenWithProduce();
    const slow = await RawKafkaClient.connect(listener.port);
    const other = await RawKafkaClient.connect(listener.port);
    open.push(slow, other);

    const started = performance.now();
    slow.send(Produce, 9, produceBody(2_000), 'slow');
    const first = decodeResponseFrame(Produce, 9, await slow.nextFrame()).body;
    // 2 000 B over the minimum window of 1 s is 2 000 B/s: (2000 − 1000) / 1000 × 1 s.
    expect(first.throttleTimeMs).toBe(1_000);
    expect(first.responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
    expect(performance.now() - started).toBeLessThan(500);

    // The next request on the muted connection is read only once the throttle time has passed.
    slow.send(Produce, 9, produceBody(1), 'slow');
    await slow.nextFrame();
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);

    // Another client on another connection is neither throttled nor held.
    const otherStarted = performance.now();
    other.send(Produce, 9, produceBody(2_000), 'fast');
    expect(decodeResponseFrame(Produce, 9, await other.nextFrame()).body.throttleTimeMs).toBe(0);
    other.send(Produce, 9, produceBody(2_000), 'fast');
    await other.nextFrame();
    expect(performance.now() - otherStarted).toBeLessThan(500);
  });
});
