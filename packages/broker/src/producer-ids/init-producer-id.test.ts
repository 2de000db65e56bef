/** Broker.InitProducerId end to end: two brokers and an in-process one-voter controller. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ControllerHandle, startController } from '@tributary/controller';
import { TributaryError } from '@tributary/core';
import { type BrokerClient, createBrokerClient, unary } from '@tributary/protocol';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type BrokerHandle, startBroker } from '../node/broker-node.js';

const logger = pino({ level: 'silent' });

async function waitUntil(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const endMs = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > endMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let dir = '';
let controller: ControllerHandle | undefined;
const brokers: BrokerHandle[] = [];
const clients: BrokerClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
  await controller?.close();
  controller = undefined;
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  dir = '';
});

async function start(nodeId: number): Promise<{ broker: BrokerHandle; client: BrokerClient }> {
  if (controller === undefined) throw new Error('no controller');
  const broker = await startBroker({
    nodeId,
    listen: '127.0.0.1:0',
    dataDir: join(dir, `broker-${nodeId}`),
    controllers: [`127.0.0.1:${controller.port}`],
    logger,
    heartbeatIntervalMs: 100,
    controlledShutdownTimeoutMs: 3_000,
  });
  brokers.push(broker);
  await waitUntil(
    `broker ${nodeId} caught up with the metadata log`,
    () => broker.lifecycle.snapshot().caughtUp,
  );
  const client = createBrokerClient(`127.0.0.1:${broker.port}`);
  clients.push(client);
  return { broker, client };
}

function initProducerId(client: BrokerClient, transactionalId = '') {
  return unary(client, 'InitProducerId', { transactionalId }, { deadlineMs: 5_000 });
}

describe('Broker.InitProducerId', () => {
  it('hands out distinct ids from controller blocks, also after a broker restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'trib-init-producer-id-'));
    controller = await startController({
      nodeId: 1,
      listen: '127.0.0.1:0',
      dataDir: join(dir, 'controller'),
      voters: [{ id: 1, address: '127.0.0.1:0' }],
      logger,
      sessionTimeoutMs: 3_000,
    });
    const active = controller;
    await waitUntil('the controller to become active', () => active.isActive());
    const one = await start(1);
    const two = await start(2);

    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => initProducerId(i % 2 === 0 ? one.client : two.client)),
    );
    expect(answers.every((answer) => answer.producerEpoch === 0)).toBe(true);
    const ids = answers.map((answer) => answer.producerId);
    expect(new Set(ids).size).toBe(20);
    // One block per broker so far.
    expect(active.committedImage().nextProducerId).toBe(2_000);
    expect(ids.every((id) => id >= 0 && id < 2_000)).toBe(true);

    const refused = await initProducerId(one.client, 'tx-1').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TributaryError);
    expect((refused as TributaryError).code).toBe('INVALID_REQUEST');

    // A restarted broker never reuses its old block: it asks for a new one.
    const index = brokers.indexOf(one.broker);
    brokers.splice(index, 1);
    await one.broker.close();
    const again = await start(1);
    const after = await initProducerId(again.client);
    expect(after.producerId).toBeGreaterThanOrEqual(2_000);
    expect(ids).not.toContain(after.producerId);
  }, 60_000);
});
