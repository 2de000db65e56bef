import { ApiVersions, KAFKA_LIMITS, parseVersions } from '@tributary/kafka-protocol';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONNECTION_LIMITS } from './connection.js';
import { type KafkaHandler, registerHandler } from './handler.js';
import { apiVersionsHandler } from './handlers/api-versions.js';
import { type KafkaListener, startKafkaListener } from './listener.js';
import { KafkaApiRegistry } from './registry.js';
import { RawKafkaClient } from './testing/raw-client.js';

const logger = pino({ level: 'silent' });
const open: Array<{ close(): unknown }> = [];

afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function listen(
  registry: KafkaApiRegistry,
  limits?: Parameters<typeof startKafkaListener>[0]['limits'],
): Promise<KafkaListener> {
  const listener = await startKafkaListener({
    listen: '127.0.0.1:0',
    registry,
    logger,
    ...(limits ? { limits } : {}),
  });
  open.push(listener);
  return listener;
}

async function client(listener: KafkaListener): Promise<RawKafkaClient> {
  const c = await RawKafkaClient.connect(listener.port);
  open.push(c);
  return c;
}

function standardRegistry(): KafkaApiRegistry {
  const registry: KafkaApiRegistry = new KafkaApiRegistry([
    apiVersionsHandler(() => registry.advertisedVersions()),
  ]);
  return registry;
}

/** ApiVersions whose handler is held by a test: `clientSoftwareName` names the request. */
function heldRegistry(held: Map<string, () => void>): KafkaApiRegistry {
  const handler: KafkaHandler<typeof ApiVersions> = {
    api: ApiVersions,
    advertised: parseVersions('0-3'),
    handle: (request) =>
      new Promise((resolve) => {
        held.set(request.clientSoftwareName, () =>
          resolve({ errorCode: 0, apiKeys: [], throttleTimeMs: Number(request.clientSoftwareVersion) }),
        );
      }),
  };
  return new KafkaApiRegistry([registerHandler(handler)]);
}

const v3 = (name: string, version = '0') => ({ clientSoftwareName: name, clientSoftwareVersion: version });

describe('Kafka listener', () => {
  it('answers ApiVersions at every version with the advertised ranges', async () => {
    const c = await client(await listen(standardRegistry()));
    for (let version = 0; version <= 3; version++) {
      const response = await c.request(ApiVersions, version, v3('test'));
      expect(response.errorCode).toBe(0);
      expect(response.apiKeys).toEqual([{ apiKey: 18, minVersion: 0, maxVersion: 3 }]);
    }
  });

  it('answers an ApiVersions version it does not speak with a v0 UNSUPPORTED_VERSION and the key list', async () => {
    const c = await client(await listen(standardRegistry()));
    const frame = Buffer.alloc(4 + 10);
    frame.writeInt32BE(10, 0);
    frame.writeInt16BE(18, 4);
    frame.writeInt16BE(9, 6); // ApiVersions v9 does not exist (yet)
    frame.writeInt32BE(77, 8);
    frame.writeInt16BE(-1, 12); // null client id
    c.write(frame);
    const answer = await c.nextFrame();
    expect(answer.readInt32BE(0)).toBe(77);
    expect(answer.readInt16BE(4)).toBe(35);
    // And the connection stays usable.
    expect((await c.request(ApiVersions, 2, v3(''))).errorCode).toBe(0);
  });

  it('answers in request order even when later requests finish first', async () => {
    const held = new Map<string, () => void>();
    const c = await client(await listen(heldRegistry(held)));
    const ids = ['a', 'b', 'c'].map((name, i) => c.send(ApiVersions, 3, v3(name, String(i))));
    await waitFor(() => held.size === 3);
    held.get('c')?.();
    held.get('b')?.();
    held.get('a')?.();
    for (const id of ids) expect((await c.nextFrame()).readInt32BE(0)).toBe(id);
  });

  it('stops reading while the in-flight request bound is reached, then resumes', async () => {
    const held = new Map<string, () => void>();
    const limits = {
      idleMs: 60_000,
      requestBytesMax: 1024,
      inFlightBytesMax: 1 << 20,
      inFlightRequestsMax: 4,
      writeBufferBytesMax: 1 << 20,
    };
    const c = await client(await listen(heldRegistry(held), limits));
    for (let i = 0; i < 20; i++) c.send(ApiVersions, 3, v3(`r${i}`));
    await waitFor(() => held.size === 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(held.size).toBe(4);
    for (let i = 0; i < 20; i++) {
      await waitFor(() => held.has(`r${i}`));
      held.get(`r${i}`)?.();
      await c.nextFrame();
    }
    expect(held.size).toBe(20);
  });

  it('closes a connection idle past connections.max.idle.ms, a half-sent frame included', async () => {
    const limits = { ...DEFAULT_CONNECTION_LIMITS, idleMs: 100 };
    const listener = await listen(standardRegistry(), limits);
    const halfSent = await client(listener);
    halfSent.write(Buffer.from([0, 0, 0, 40, 0, 18])); // 6 of the 44 bytes promised
    await halfSent.waitClosed();
    const quiet = await client(listener);
    expect((await quiet.request(ApiVersions, 3, v3('x'))).errorCode).toBe(0);
    await quiet.waitClosed();
  });

  it('keeps connections open when the wall clock jumps a day forward (the idle clock is monotonic)', async () => {
    const limits = { ...DEFAULT_CONNECTION_LIMITS, idleMs: 2_000 };
    const listener = await listen(standardRegistry(), limits);
    const c = await client(listener);
    expect((await c.request(ApiVersions, 3, v3('before'))).errorCode).toBe(0);
    const jump = vi
      .spyOn(Date, 'now')
      .mockImplementation(() => performance.timeOrigin + performance.now() + 86_400_000);
    try {
      // Two idle sweeps (every idleMs / 4) pass with the wall clock a day ahead.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(listener.connectionCount()).toBe(1);
      expect((await c.request(ApiVersions, 3, v3('after'))).errorCode).toBe(0);
    } finally {
      jump.mockRestore();
    }
  });

  it('closes a connection on a malformed frame, an oversized frame or an unknown API, and keeps serving others', async () => {
    const listener = await listen(standardRegistry());
    const healthy = await client(listener);
    const cases: Buffer[] = [
      Buffer.from([0, 0, 0, 12, 0, 18, 0, 3, 0, 0, 0, 1, 0x7f, 0x7f, 0, 0]), // client id longer than the frame
      (() => {
        const b = Buffer.alloc(4);
        b.writeInt32BE(KAFKA_LIMITS.requestBytesMax + 1, 0);
        return b;
      })(),
      Buffer.from([0xff, 0xff, 0xff, 0xff]), // negative size
      Buffer.from([0, 0, 0, 10, 0x7f, 0x00, 0, 0, 0, 0, 0, 1, 0xff, 0xff]), // API key 32512
    ];
    for (const bytes of cases) {
      const bad = await client(listener);
      bad.write(bytes);
      await bad.waitClosed();
    }
    expect((await healthy.request(ApiVersions, 3, v3('still-here'))).errorCode).toBe(0);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
