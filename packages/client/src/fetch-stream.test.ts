/**
 * The client's FetchStream against real grpc-js servers on 127.0.0.1: answers matched by id when they come
 * out of order; a fetch given up (signal, deadline) rejects at once, is cancelled on the stream and counts in
 * flight until the broker answers it; a broken stream fails every fetch in flight retriably; a broker's
 * streams all at its bound send the next fetch unary; and the consumer on fake brokers: on the stream by
 * default, unary Fetch for a broker without it (offered again after STREAM_REPROBE_MS), the next fetch sent
 * as soon as an answer is taken (before its records are handed over), and fetches in flight cancelled on the
 * broker when the consumer stops.
 */
import type * as grpc from '@grpc/grpc-js';
import { ManualClock } from '@tributary/core';
import { waitFor } from '@tributary/core/testing';
import {
  addBrokerService,
  type BrokerHandlers,
  bindServer,
  createBrokerClient,
  createServer,
  type FetchRequest,
  type FetchResponse__Output,
  type FetchStreamRequest__Output,
  type FetchStreamResponse,
} from '@tributary/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { TributaryClient } from './client.js';
import { BrokerConnections } from './connections.js';
import { Consumer } from './consumer.js';
import { FETCH_STREAM } from './fetch-stream.js';
import { CLIENT_LIMITS } from './limits.js';
import { MetadataCache } from './metadata-cache.js';
import { RequestStream, STREAM_REPROBE_MS, StreamTransport } from './request-streams.js';
import { startFakeCluster } from './testing/fake-broker.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type StreamCall = grpc.ServerDuplexStream<FetchStreamRequest__Output, FetchStreamResponse>;

/** A broker whose FetchStream is `serve` (its other methods are not offered); returns its address. */
async function streamingBroker(serve: (call: StreamCall) => void): Promise<{
  address: string;
  client: ReturnType<typeof createBrokerClient>;
}> {
  const server = createServer();
  addBrokerService(server, { FetchStream: serve } as unknown as BrokerHandlers);
  const port = await bindServer(server, '127.0.0.1:0');
  const address = `127.0.0.1:${port}`;
  const client = createBrokerClient(address);
  cleanups.push(() => {
    client.close();
    server.forceShutdown();
  });
  return { address, client };
}

/** A fetch of one partition of topic `t`, told apart by its partition. */
function request(partition: number): FetchRequest {
  return {
    maxWaitMs: 1_000,
    minBytes: 1,
    maxBytes: 1024,
    topics: [{ name: 't', partitions: [{ partition, fetchOffset: 0, partitionMaxBytes: 1024 }] }],
  };
}

function answer(message: FetchStreamRequest__Output): FetchStreamResponse {
  const partition = message.request?.topics[0]?.partitions[0]?.partition ?? -1;
  return {
    requestId: message.requestId,
    errorCode: '',
    errorMessage: '',
    response: { results: [{ topic: 't', partition, highWatermark: partition * 10 }] },
  };
}

function partitionOf(response: FetchResponse__Output): number | undefined {
  return response.results[0]?.partition;
}

describe('FetchStream (client)', () => {
  it('matches answers to requests by id when they come in another order', async () => {
    const { client } = await streamingBroker((call) => {
      const received: FetchStreamRequest__Output[] = [];
      call.on('data', (message: FetchStreamRequest__Output) => {
        received.push(message);
        if (received.length === 3) for (const m of received.reverse()) call.write(answer(m));
      });
    });
    const stream = new RequestStream(client, FETCH_STREAM);
    cleanups.push(() => stream.close());
    const answers = await Promise.all([0, 1, 2].map((p) => stream.send(request(p), { deadlineMs: 5_000 })));
    expect(answers.map(partitionOf)).toEqual([0, 1, 2]);
    expect(stream.inFlight).toBe(0);
  });

  it('gives a fetch up at once on its signal or deadline, cancels it on the stream, and counts it until answered', async () => {
    const messages: FetchStreamRequest__Output[] = [];
    const calls: StreamCall[] = [];
    const { client } = await streamingBroker((call) => {
      calls.push(call);
      call.on('data', (message: FetchStreamRequest__Output) => messages.push(message));
    });
    const stream = new RequestStream(client, FETCH_STREAM);
    cleanups.push(() => stream.close());
    const abort = new AbortController();
    const aborted = stream.send(request(0), { deadlineMs: 5_000, signal: abort.signal });
    const timedOut = stream.send(request(1), { deadlineMs: 50 });
    await waitFor('both requests at the broker', () => messages.length === 2);
    abort.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'UNKNOWN', retriable: false });
    await expect(timedOut).rejects.toMatchObject({ code: 'REQUEST_TIMED_OUT', retriable: true });
    await waitFor('two cancel messages', () => messages.length === 4);
    const requestIds = messages.slice(0, 2).map((m) => m.requestId);
    const cancels = messages.slice(2);
    expect(cancels.every((m) => m.cancel && m.request === null)).toBe(true);
    expect(cancels.map((m) => m.requestId).sort()).toEqual([...requestIds].sort());
    // The broker still counts both until it answers them; their answers are dropped.
    expect(stream.inFlight).toBe(2);
    const call = calls[0];
    for (const message of messages.slice(0, 2)) call?.write(answer(message));
    await waitFor('the late answers taken', () => stream.inFlight === 0);
    // The stream stays open for the next fetch.
    const next = stream.send(request(2), { deadlineMs: 5_000 });
    await waitFor('the next request', () => messages.length === 5);
    const last = messages[4];
    if (last !== undefined) call?.write(answer(last));
    expect(partitionOf(await next)).toBe(2);
    expect(calls).toHaveLength(1);
  });

  it('fails every fetch in flight retriably when the stream breaks, and opens a new one after', async () => {
    let opened = 0;
    const { client } = await streamingBroker((call) => {
      opened++;
      let received = 0;
      call.on('data', (message: FetchStreamRequest__Output) => {
        received++;
        if (opened > 1) call.write(answer(message));
        else if (received === 2) call.emit('error', { code: 14, details: 'connection lost' });
      });
    });
    const stream = new RequestStream(client, FETCH_STREAM);
    cleanups.push(() => stream.close());
    const failures = await Promise.allSettled([
      stream.send(request(0), { deadlineMs: 5_000 }),
      stream.send(request(1), { deadlineMs: 5_000 }),
    ]);
    for (const failure of failures) {
      expect(failure.status).toBe('rejected');
      if (failure.status === 'rejected') expect(failure.reason).toMatchObject({ retriable: true });
    }
    expect(partitionOf(await stream.send(request(2), { deadlineMs: 5_000 }))).toBe(2);
    expect(opened).toBe(2);
  });
});

describe('fetches to one broker (StreamTransport)', () => {
  it('opens streams up to the bound, and sends a fetch finding every stream full as a unary Fetch', async () => {
    const parked: (() => void)[] = [];
    let opened = 0;
    const { address, client } = await streamingBroker((call) => {
      opened++;
      call.on('data', (message: FetchStreamRequest__Output) => {
        if (message.cancel) return;
        parked.push(() => call.write(answer(message)));
      });
    });
    const pendingRequestsMax = 2;
    let unaryCalls = 0;
    const transport = new StreamTransport(
      { ...FETCH_STREAM, pendingRequestsMax },
      {
        nowMs: () => 0,
        useStreams: true,
        unary: async (_client, fetch: FetchRequest): Promise<FetchResponse__Output> => {
          unaryCalls++;
          const partition = fetch.topics?.[0]?.partitions?.[0]?.partition ?? -1;
          // Only the fields the test reads.
          return {
            results: [{ topic: 't', partition }],
            throttleTimeMs: 0,
          } as unknown as FetchResponse__Output;
        },
      },
    );
    cleanups.push(() => transport.close());
    const onStreams = CLIENT_LIMITS.inFlightPerBrokerMax * pendingRequestsMax;
    const sent = Array.from({ length: onStreams + 1 }, (_, p) =>
      transport.send(address, client, request(p), { deadlineMs: 5_000 }),
    );
    // The one past every stream's bound went unary and is answered already.
    expect(partitionOf(await (sent[onStreams] as Promise<FetchResponse__Output>))).toBe(onStreams);
    expect(unaryCalls).toBe(1);
    await waitFor('every streamed fetch at the broker', () => parked.length === onStreams);
    expect(opened).toBe(CLIENT_LIMITS.inFlightPerBrokerMax);
    for (const release of parked.splice(0)) release();
    const answers = await Promise.all(sent);
    expect(answers.map(partitionOf)).toEqual(Array.from({ length: onStreams + 1 }, (_, p) => p));
  });
});

describe('the consumer on FetchStreams', () => {
  async function cluster(options: { readonly fetchStreams: boolean }) {
    const fake = await startFakeCluster({ brokers: 1, topics: { t: 1 } });
    cleanups.push(() => fake.stop());
    fake.state.fetchStreams = options.fetchStreams;
    const client = new TributaryClient({ bootstrap: fake.bootstrap, timeoutMs: 5_000 });
    cleanups.push(() => client.close());
    return { fake, client, address: fake.bootstrap[0] ?? '' };
  }

  async function send(client: TributaryClient, values: readonly string[]): Promise<void> {
    await client.producer().send(
      't',
      values.map((value) => ({ key: null, value, partition: 0 })),
    );
  }

  it("fetches on the broker's stream by default, and asks again before handing an answer's records over", async () => {
    const { fake, client } = await cluster({ fetchStreams: true });
    await send(client, ['a', 'b']);
    const abort = new AbortController();
    const chunks = client
      .consumer()
      .consume('t', { from: 'earliest', signal: abort.signal, maxWaitMs: 5_000 });
    const first = await chunks.next();
    expect(first.value?.map((r) => r.offset)).toEqual([0, 1]);
    // The next fetch, from offset 2, is out before the caller asks for the next chunk: no round trip then.
    await waitFor('the pipelined fetch', () =>
      fake.state.requests.some(
        (r) =>
          r.method === 'Fetch' &&
          (r.request as { topics: { partitions: { fetchOffset: number }[] }[] }).topics[0]?.partitions[0]
            ?.fetchOffset === 2,
      ),
    );
    await send(client, ['c']);
    expect((await chunks.next()).value?.map((r) => r.offset)).toEqual([2]);
    expect(fake.state.fetchStreamsOpened).toBe(1);
    // Stopping the consumer gives its waiting fetch up: the broker's long poll ends at once.
    const cancelledBefore = fake.state.fetchesCancelled;
    await waitFor('a fetch waiting at offset 3', () =>
      fake.state.requests.some(
        (r) =>
          r.method === 'Fetch' &&
          (r.request as { topics: { partitions: { fetchOffset: number }[] }[] }).topics[0]?.partitions[0]
            ?.fetchOffset === 3,
      ),
    );
    await chunks.return();
    await waitFor('the long poll cancelled', () => fake.state.fetchesCancelled > cancelledBefore);
  });

  it('falls back to unary Fetch for a broker without the stream, and offers it again later', async () => {
    const { fake, client, address } = await cluster({ fetchStreams: false });
    await send(client, ['a']);
    const clock = new ManualClock(1_000);
    const connections = new BrokerConnections({ clock });
    cleanups.push(() => connections.close());
    const consumer = new Consumer({
      metadata: new MetadataCache(fake.bootstrap, connections),
      connections,
      timeoutMs: 5_000,
    });
    expect((await consumer.fetch('t', 0, 0, { maxWaitMs: 10 })).records).toHaveLength(1);
    expect(fake.state.fetchStreamsOpened).toBe(0);
    expect(connections.fetchesOnStream(address)).toBe(false);
    // The broker was upgraded meanwhile: after the re-probe interval the stream is tried, and used.
    fake.state.fetchStreams = true;
    clock.advance(STREAM_REPROBE_MS);
    expect(connections.fetchesOnStream(address)).toBe(true);
    expect((await consumer.fetch('t', 0, 0, { maxWaitMs: 10 })).records).toHaveLength(1);
    expect(fake.state.fetchStreamsOpened).toBe(1);
  });

  it('fetches over unary calls only when the client is told to', async () => {
    const { fake, client } = await cluster({ fetchStreams: true });
    const unaryClient = new TributaryClient({
      bootstrap: fake.bootstrap,
      timeoutMs: 5_000,
      fetchStreams: false,
    });
    cleanups.push(() => unaryClient.close());
    await send(client, ['a']);
    expect((await unaryClient.consumer().fetch('t', 0, 0, { maxWaitMs: 10 })).records).toHaveLength(1);
    expect(fake.state.fetchStreamsOpened).toBe(0);
  });
});
