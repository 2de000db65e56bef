/**
 * Broker.FetchStream on a real grpc-js server on 127.0.0.1 over a data plane whose fetches park until the test
 * releases them or their signal aborts (as the replica manager's long poll does): answers come as requests
 * complete and carry their ids; a cancel message ends the named request's wait alone; a client that cancels
 * the stream ends every wait; a request refused whole is answered with its code and the stream stays open;
 * more requests pending than the stream admits, or a reused id, end the stream. Unary Fetch's wait ends when
 * its call is cancelled too.
 */
import { TributaryError } from '@tributary/core';
import {
  addBrokerService,
  asTributaryError,
  type BrokerClient,
  bindServer,
  createBrokerClient,
  createServer,
  type FetchPartitionResult,
  type FetchRequest__Output,
  type FetchStreamRequest,
  type FetchStreamResponse__Output,
  unary,
} from '@tributary/protocol';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type BrokerDataPlane, createBrokerHandlers } from './broker-service.js';

/** Fetch parks each request (by its first partition) until released or its signal aborts. */
class ParkedFetch {
  /** The release of each parked request, by its partition. */
  readonly parked = new Map<number, () => void>();
  /** Partitions whose wait ended by their signal, in order. */
  readonly aborted: number[] = [];

  fetch(request: FetchRequest__Output, signal?: AbortSignal): Promise<FetchPartitionResult[]> {
    const partition = request.topics[0]?.partitions[0]?.partition ?? -1;
    return new Promise((resolve) => {
      const answer = (): void => {
        this.parked.delete(partition);
        resolve([{ topic: 't', partition, highWatermark: partition * 10 }]);
      };
      signal?.addEventListener('abort', () => {
        this.aborted.push(partition);
        answer();
      });
      this.parked.set(partition, answer);
    });
  }

  /** Resolves once a request for `partition` is parked. */
  arrived(partition: number): Promise<void> {
    return eventually(() => this.parked.has(partition));
  }

  release(partition: number): void {
    this.parked.get(partition)?.();
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: {
  readonly plane: ParkedFetch;
  readonly pendingRequestsMax?: number;
  readonly refusal?: () => Error | undefined;
}): Promise<BrokerClient> {
  const server = createServer();
  const dataPlane = {
    fetch: (request: FetchRequest__Output, signal?: AbortSignal) => options.plane.fetch(request, signal),
  } as unknown as BrokerDataPlane;
  addBrokerService(
    server,
    createBrokerHandlers({
      dataPlane,
      producerIds: { generateProducerId: async () => 1 },
      metadata: { currentImage: () => undefined as never, onImage: () => () => {} },
      autoCreate: null,
      logger: pino({ level: 'silent' }),
      ...(options.pendingRequestsMax === undefined
        ? {}
        : { fetchStreamPendingRequestsMax: options.pendingRequestsMax }),
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
  send: (message: FetchStreamRequest) => void;
  next: () => Promise<FetchStreamResponse__Output>;
  end: () => Promise<void>;
  cancel: () => void;
  /** Settles with the stream's error, or null when it ended normally. */
  ended: Promise<TributaryError | null>;
} {
  const call = client.fetchStream();
  const answers: FetchStreamResponse__Output[] = [];
  const waiting: ((answer: FetchStreamResponse__Output) => void)[] = [];
  call.on('data', (answer: FetchStreamResponse__Output) => {
    const take = waiting.shift();
    if (take === undefined) answers.push(answer);
    else take(answer);
  });
  const ended = new Promise<TributaryError | null>((resolve) => {
    call.on('end', () => resolve(null));
    call.on('error', (error) => resolve(asTributaryError(error)));
  });
  return {
    send: (message) => call.write(message),
    next: () => {
      const answer = answers.shift();
      if (answer !== undefined) return Promise.resolve(answer);
      return new Promise((resolve) => waiting.push(resolve));
    },
    end: async () => {
      call.end();
      expect(await ended).toBeNull();
    },
    cancel: () => call.cancel(),
    ended,
  };
}

function fetch(requestId: number, partition: number, maxWaitMs = 30_000): FetchStreamRequest {
  return {
    requestId,
    request: {
      maxWaitMs,
      minBytes: 1,
      maxBytes: 1024,
      topics: [{ name: 't', partitions: [{ partition, fetchOffset: 0, partitionMaxBytes: 1024 }] }],
    },
  };
}

/** Waits (bounded) until `check` holds. */
async function eventually(check: () => boolean): Promise<void> {
  for (let round = 0; round < 500 && !check(); round++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(check()).toBe(true);
}

describe('Broker.FetchStream', () => {
  it('answers requests as they complete, each with its id', async () => {
    const plane = new ParkedFetch();
    const stream = openStream(await start({ plane }));
    stream.send(fetch(1, 0));
    await plane.arrived(0);
    stream.send(fetch(2, 1));
    await plane.arrived(1);
    plane.release(1);
    const first = await stream.next();
    plane.release(0);
    const second = await stream.next();
    expect([first.requestId, first.response?.results[0]?.highWatermark]).toEqual([2, 10]);
    expect([second.requestId, second.response?.results[0]?.highWatermark]).toEqual([1, 0]);
    expect(plane.aborted).toEqual([]);
    await stream.end();
  });

  it("ends the named request's wait on a cancel message, and ignores a cancel naming no pending request", async () => {
    const plane = new ParkedFetch();
    const stream = openStream(await start({ plane }));
    stream.send(fetch(1, 0));
    stream.send(fetch(2, 1));
    await plane.arrived(0);
    await plane.arrived(1);
    stream.send({ requestId: 2, cancel: true });
    // Cancelled requests are answered (every request gets one answer); the client drops it.
    expect(await stream.next()).toMatchObject({ requestId: 2, errorCode: '' });
    expect(plane.aborted).toEqual([1]);
    stream.send({ requestId: 99, cancel: true });
    stream.send({ requestId: 2, cancel: true });
    plane.release(0);
    expect(await stream.next()).toMatchObject({ requestId: 1, errorCode: '' });
    expect(plane.aborted).toEqual([1]);
    await stream.end();
  });

  it('ends every wait of a stream its client cancels (the broker keeps no waiter for a client that is gone)', async () => {
    const plane = new ParkedFetch();
    const stream = openStream(await start({ plane }));
    stream.send(fetch(1, 0));
    stream.send(fetch(2, 1));
    await plane.arrived(0);
    await plane.arrived(1);
    stream.cancel();
    await eventually(() => plane.aborted.length === 2);
    expect([...plane.aborted].sort()).toEqual([0, 1]);
    expect(plane.parked.size).toBe(0);
  });

  it('answers a malformed request and one refused while the broker is not ready with their codes', async () => {
    const plane = new ParkedFetch();
    let ready = false;
    const refusal = () => (ready ? undefined : new TributaryError('BROKER_NOT_READY', 'catching up'));
    const stream = openStream(await start({ plane, refusal }));
    stream.send(fetch(1, 0));
    expect(await stream.next()).toMatchObject({
      requestId: 1,
      errorCode: 'BROKER_NOT_READY',
      response: null,
    });
    ready = true;
    // Past the wire bound on the long-poll wait: refused as a unary Fetch would be.
    stream.send(fetch(2, 0, 10 * 60_000));
    expect(await stream.next()).toMatchObject({ requestId: 2, errorCode: 'INVALID_REQUEST' });
    stream.send({ requestId: 3 });
    expect(await stream.next()).toMatchObject({ requestId: 3, errorCode: 'INVALID_REQUEST' });
    stream.send(fetch(4, 0));
    await plane.arrived(0);
    plane.release(0);
    expect(await stream.next()).toMatchObject({ requestId: 4, errorCode: '' });
    await stream.end();
  });

  it('ends a stream with more requests pending than it admits, and ends their waits', async () => {
    const plane = new ParkedFetch();
    const stream = openStream(await start({ plane, pendingRequestsMax: 2 }));
    stream.send(fetch(1, 0));
    stream.send(fetch(2, 1));
    await plane.arrived(1);
    stream.send(fetch(3, 2));
    expect((await stream.ended)?.code).toBe('RESOURCE_EXHAUSTED');
    await eventually(() => plane.aborted.length === 2);
  });

  it('ends a stream that reuses the id of a pending request', async () => {
    const plane = new ParkedFetch();
    const stream = openStream(await start({ plane }));
    stream.send(fetch(1, 0));
    await plane.arrived(0);
    stream.send(fetch(1, 1));
    expect((await stream.ended)?.code).toBe('INVALID_REQUEST');
    await eventually(() => plane.aborted.length === 1);
  });
});

describe('Broker.Fetch (unary)', () => {
  it('ends the wait of a call whose deadline passed', async () => {
    const plane = new ParkedFetch();
    const client = await start({ plane });
    const request = fetch(0, 5).request;
    if (request === undefined || request === null) throw new Error('no request');
    await expect(unary(client, 'Fetch', request, { deadlineMs: 100 })).rejects.toMatchObject({
      code: 'REQUEST_TIMED_OUT',
    });
    await eventually(() => plane.aborted.includes(5));
  });
});
