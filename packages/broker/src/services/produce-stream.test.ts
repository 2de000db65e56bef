/**
 * Broker.ProduceStream on a real grpc-js server on 127.0.0.1 over a data plane whose produce the test
 * completes: answers come as requests complete and carry their ids; a request refused whole (malformed, over
 * the stream's in-flight bytes, broker not ready) is answered with its code and the stream stays open.
 */
import { TributaryError } from '@tributary/core';
import {
  addBrokerService,
  type BrokerClient,
  bindServer,
  createBrokerClient,
  createServer,
  type ProducePartitionResult,
  type ProduceRequest__Output,
  type ProduceStreamRequest,
  type ProduceStreamResponse__Output,
} from '@tributary/protocol';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type BrokerDataPlane, createBrokerHandlers } from './broker-service.js';

/** Produce parks each request until the test releases its partition. */
class ParkedProduce {
  private readonly parked = new Map<number, () => void>();
  private readonly arrivals: ((partition: number) => void)[] = [];

  produce(request: ProduceRequest__Output): Promise<ProducePartitionResult[]> {
    const partition = request.topics[0]?.partitions[0]?.partition ?? -1;
    for (const arrived of this.arrivals.splice(0)) arrived(partition);
    return new Promise((resolve) => {
      this.parked.set(partition, () => resolve([{ topic: 't', partition, baseOffset: partition * 10 }]));
    });
  }

  /** Resolves once a request for `partition` is parked. */
  async arrived(partition: number): Promise<void> {
    while (!this.parked.has(partition)) {
      await new Promise<number>((resolve) => this.arrivals.push(resolve));
    }
  }

  release(partition: number): void {
    const release = this.parked.get(partition);
    this.parked.delete(partition);
    release?.();
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: {
  readonly plane: ParkedProduce;
  readonly inFlightBytesMax?: number;
  readonly refusal?: () => Error | undefined;
}): Promise<BrokerClient> {
  const server = createServer();
  const dataPlane = {
    produce: (request: ProduceRequest__Output) => options.plane.produce(request),
  } as unknown as BrokerDataPlane;
  addBrokerService(
    server,
    createBrokerHandlers({
      dataPlane,
      producerIds: { generateProducerId: async () => 1 },
      metadata: { currentImage: () => undefined as never, onImage: () => () => {} },
      autoCreate: null,
      logger: pino({ level: 'silent' }),
      ...(options.inFlightBytesMax === undefined
        ? {}
        : { produceStreamInFlightBytesMax: options.inFlightBytesMax }),
      ...(options.refusal === undefined ? {} : { refusal: options.refusal }),
    }),
  );
  const port = await bindServer(server, '127.0.0.1:0');
  const client = createBrokerClient(`127.0.0.1:${port}`);
  cleanups.push(() => {
    client.close();
    server.forceShutdown();
  });
  return client;
}

/** An open stream whose answers are awaited one at a time, in arrival order. */
function openStream(client: BrokerClient): {
  send: (message: ProduceStreamRequest) => void;
  next: () => Promise<ProduceStreamResponse__Output>;
  end: () => Promise<void>;
} {
  const call = client.produceStream();
  const answers: ProduceStreamResponse__Output[] = [];
  const waiting: ((answer: ProduceStreamResponse__Output) => void)[] = [];
  call.on('data', (answer: ProduceStreamResponse__Output) => {
    const take = waiting.shift();
    if (take === undefined) answers.push(answer);
    else take(answer);
  });
  const ended = new Promise<void>((resolve, reject) => {
    call.on('end', resolve);
    call.on('error', reject);
  });
  return {
    send: (message) => call.write(message),
    next: () => {
      const answer = answers.shift();
      if (answer !== undefined) return Promise.resolve(answer);
      return new Promise((resolve) => waiting.push(resolve));
    },
    end: () => {
      call.end();
      return ended;
    },
  };
}

function produce(requestId: number, partition: number, bytes = 8, acks = -1): ProduceStreamRequest {
  return {
    requestId,
    request: {
      acks,
      timeoutMs: 1_000,
      topics: [{ name: 't', partitions: [{ partition, records: Buffer.alloc(bytes) }] }],
    },
  };
}

describe('Broker.ProduceStream', () => {
  it('answers requests as they complete, each with its id', async () => {
    const plane = new ParkedProduce();
    const stream = openStream(await start({ plane }));
    stream.send(produce(1, 0));
    await plane.arrived(0);
    stream.send(produce(2, 1));
    await plane.arrived(1);
    plane.release(1);
    const first = await stream.next();
    plane.release(0);
    const second = await stream.next();
    expect([first.requestId, first.response?.results[0]?.baseOffset]).toEqual([2, 10]);
    expect([second.requestId, second.response?.results[0]?.baseOffset]).toEqual([1, 0]);
    await stream.end();
  });

  it("refuses a request past the stream's in-flight bytes alone; the stream goes on", async () => {
    const plane = new ParkedProduce();
    const stream = openStream(await start({ plane, inFlightBytesMax: 10 }));
    stream.send(produce(1, 0, 8));
    await plane.arrived(0);
    stream.send(produce(2, 1, 8));
    const refused = await stream.next();
    expect(refused).toMatchObject({ requestId: 2, errorCode: 'RESOURCE_EXHAUSTED', response: null });
    plane.release(0);
    expect((await stream.next()).requestId).toBe(1);
    // The bytes of request 1 are released: the same request is admitted now.
    stream.send(produce(3, 1, 8));
    await plane.arrived(1);
    plane.release(1);
    expect(await stream.next()).toMatchObject({ requestId: 3, errorCode: '' });
    await stream.end();
  });

  it('answers a malformed request and one refused while the broker is not ready with their codes', async () => {
    const plane = new ParkedProduce();
    let ready = false;
    const refusal = () => (ready ? undefined : new TributaryError('BROKER_NOT_READY', 'catching up'));
    const stream = openStream(await start({ plane, refusal }));
    stream.send(produce(1, 0));
    expect(await stream.next()).toMatchObject({ requestId: 1, errorCode: 'BROKER_NOT_READY' });
    ready = true;
    stream.send(produce(2, 0, 8, 5));
    expect(await stream.next()).toMatchObject({ requestId: 2, errorCode: 'INVALID_REQUIRED_ACKS' });
    stream.send({ requestId: 3 });
    expect(await stream.next()).toMatchObject({ requestId: 3, errorCode: 'INVALID_REQUEST' });
    stream.send(produce(4, 0));
    await plane.arrived(0);
    plane.release(0);
    expect(await stream.next()).toMatchObject({ requestId: 4, errorCode: '' });
    await stream.end();
  });
});
