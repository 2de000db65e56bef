/**
 * The client's ProduceStream against real grpc-js servers on 127.0.0.1: answers matched by id when they come
 * out of order, a refused request failing alone (the stream stays open), a broken stream failing every
 * request in flight retriably, and the producer on fake brokers: on the stream by default, unary Produce for
 * brokers that do not offer it.
 */
import type * as grpc from '@grpc/grpc-js';
import {
  addBrokerService,
  type BrokerHandlers,
  bindServer,
  createBrokerClient,
  createServer,
  type ProduceRequest,
  type ProduceStreamRequest__Output,
  type ProduceStreamResponse,
} from '@tributary/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { TributaryClient } from './client.js';
import { CLIENT_LIMITS } from './limits.js';
import { ProduceStream, ProduceTransport } from './produce-stream.js';
import { startFakeCluster } from './testing/fake-broker.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type StreamCall = grpc.ServerDuplexStream<ProduceStreamRequest__Output, ProduceStreamResponse>;

/** A broker whose ProduceStream is `serve` (its other methods are not offered). */
async function streamingBroker(serve: (call: StreamCall) => void): Promise<ProduceStream> {
  const server = createServer();
  addBrokerService(server, { ProduceStream: serve } as unknown as BrokerHandlers);
  const port = await bindServer(server, '127.0.0.1:0');
  const client = createBrokerClient(`127.0.0.1:${port}`);
  const stream = new ProduceStream(client);
  cleanups.push(() => {
    stream.close();
    client.close();
    server.forceShutdown();
  });
  return stream;
}

/** A request naming one partition of topic `t`, told apart by its partition. */
function request(partition: number): ProduceRequest {
  return { acks: -1, timeoutMs: 1_000, topics: [{ name: 't', partitions: [{ partition }] }] };
}

function answer(message: ProduceStreamRequest__Output, baseOffset: number): ProduceStreamResponse {
  const partition = message.request?.topics[0]?.partitions[0]?.partition ?? -1;
  return {
    requestId: message.requestId,
    errorCode: '',
    errorMessage: '',
    response: { results: [{ topic: 't', partition, baseOffset }] },
  };
}

describe('ProduceStream', () => {
  it('matches answers to requests by id when they come in another order', async () => {
    const stream = await streamingBroker((call) => {
      const received: ProduceStreamRequest__Output[] = [];
      call.on('data', (message: ProduceStreamRequest__Output) => {
        received.push(message);
        // Answer the three in reverse order, as acks=all answers on different partitions may complete.
        if (received.length === 3)
          for (const m of received.reverse()) call.write(answer(m, 100 + m.requestId));
      });
    });
    const answers = await Promise.all([0, 1, 2].map((p) => stream.produce(request(p), 5_000)));
    expect(answers.map((a) => a.results[0]?.partition)).toEqual([0, 1, 2]);
    expect(stream.inFlight).toBe(0);
  });

  it('fails a refused request alone and keeps the stream open', async () => {
    let opened = 0;
    const stream = await streamingBroker((call) => {
      opened++;
      call.on('data', (message: ProduceStreamRequest__Output) => {
        const partition = message.request?.topics[0]?.partitions[0]?.partition;
        if (partition === 0) {
          call.write({
            requestId: message.requestId,
            errorCode: 'TOPIC_AUTHORIZATION_FAILED',
            errorMessage: 'refused',
            response: null,
          });
        } else call.write(answer(message, 7));
      });
    });
    await expect(stream.produce(request(0), 5_000)).rejects.toMatchObject({
      code: 'TOPIC_AUTHORIZATION_FAILED',
    });
    const next = await stream.produce(request(1), 5_000);
    expect(next.results[0]?.baseOffset).toBe(7);
    expect(opened).toBe(1);
  });

  it('fails every request in flight retriably when the stream breaks, and opens a new one after', async () => {
    let opened = 0;
    const stream = await streamingBroker((call) => {
      opened++;
      let received = 0;
      call.on('data', (message: ProduceStreamRequest__Output) => {
        received++;
        if (opened > 1) call.write(answer(message, 1));
        // The first stream breaks with two requests in flight, neither answered.
        else if (received === 2) call.emit('error', { code: 14, details: 'connection lost' });
      });
    });
    const failures = await Promise.allSettled([
      stream.produce(request(0), 5_000),
      stream.produce(request(1), 5_000),
    ]);
    for (const failure of failures) {
      expect(failure.status).toBe('rejected');
      if (failure.status === 'rejected') expect(failure.reason).toMatchObject({ retriable: true });
    }
    const after = await stream.produce(request(2), 5_000);
    expect(after.results[0]?.partition).toBe(2);
    expect(opened).toBe(2);
  });
});

describe('ProduceTransport', () => {
  it('gives requests in flight together streams of their own (each has its own HTTP/2 window), up to the bound', async () => {
    let opened = 0;
    let released = false;
    const parked: (() => void)[] = [];
    const server = createServer();
    addBrokerService(server, {
      ProduceStream: (call: StreamCall) => {
        opened++;
        call.on('data', (message: ProduceStreamRequest__Output) => {
          if (released) call.write(answer(message, 1));
          else parked.push(() => call.write(answer(message, 1)));
        });
      },
    } as unknown as BrokerHandlers);
    const port = await bindServer(server, '127.0.0.1:0');
    const address = `127.0.0.1:${port}`;
    const client = createBrokerClient(address);
    const transport = new ProduceTransport(() => 0, true);
    cleanups.push(() => {
      transport.close();
      client.close();
      server.forceShutdown();
    });
    const sent = [0, 1, 2, 3, 4, 5, 6].map((p) => transport.produce(address, client, request(p), 5_000));
    while (parked.length < sent.length) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(opened).toBe(CLIENT_LIMITS.inFlightPerBrokerMax);
    released = true;
    for (const release of parked) release();
    expect((await Promise.all(sent)).map((a) => a.results[0]?.partition)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Idle again: the next request takes the first stream, opening none.
    await transport.produce(address, client, request(7), 5_000);
    expect(opened).toBe(CLIENT_LIMITS.inFlightPerBrokerMax);
  });
});

describe('the producer on streams', () => {
  it('sends on one ProduceStream per broker by default', async () => {
    const fake = await startFakeCluster({ brokers: 1, topics: { t: 1 } });
    cleanups.push(() => fake.stop());
    const client = new TributaryClient({ bootstrap: fake.bootstrap });
    cleanups.push(() => client.close());
    const producer = client.producer();
    for (let i = 0; i < 5; i++) await producer.send('t', [{ key: null, value: `v${i}`, partition: 0 }]);
    expect(fake.state.produceStreamsOpened).toBe(1);
    expect(fake.state.requests.filter((r) => r.method === 'Produce')).toHaveLength(5);
  });

  it('falls back to unary Produce for a broker that does not offer the stream', async () => {
    const fake = await startFakeCluster({ brokers: 1, topics: { t: 1 } });
    cleanups.push(() => fake.stop());
    fake.state.produceStreams = false;
    const client = new TributaryClient({ bootstrap: fake.bootstrap });
    cleanups.push(() => client.close());
    const producer = client.producer();
    const results = await producer.send('t', [
      { key: null, value: 'a', partition: 0 },
      { key: null, value: 'b', partition: 0 },
    ]);
    expect(results.map((r) => r.offset)).toEqual([0, 1]);
    expect(fake.state.produceStreamsOpened).toBe(0);
    expect(fake.state.requests.filter((r) => r.method === 'Produce')).toHaveLength(1);
  });
});
