/**
 * The follower's transports against a real grpc-js leader on 127.0.0.1: ReplicaFetchStream by default, unary
 * ReplicaFetch from a leader that does not offer the stream, and a stream broken mid-request failing over as
 * a failed unary call did (the leader-unreachable callback fires, the next round opens a new stream).
 */
import type * as grpc from '@grpc/grpc-js';
import {
  addReplicationService,
  bindServer,
  createServer,
  handleUnary,
  type ReplicaFetchRequest__Output,
  type ReplicaFetchResponse,
  type ReplicaFetchStreamResponse,
  type ReplicationHandlers,
  serveRequestStream,
} from '@tributary/protocol';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createReplicaFetchClient, FollowerFetcher } from './follower-fetcher.js';
import type { Partition } from './partition.js';

const logger = pino({ level: 'silent' });

/** Just what FollowerFetcher reads and calls on an idle partition (no records, no divergence). */
function idlePartition(): Partition {
  const fake = {
    topic: 't',
    partition: 0,
    leaderEpoch: 1,
    highWatermark: 0,
    log: { logEndOffset: 0, logStartOffset: 0, leaderEpochEntries: [] },
    updateFollowerHighWatermark: () => undefined,
  };
  return fake as unknown as Partition;
}

function idleAnswer(request: ReplicaFetchRequest__Output): ReplicaFetchResponse {
  return {
    results: request.partitions.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      errorCode: '',
      errorMessage: '',
      highWatermark: 0,
      logStartOffset: 0,
      leaderEpoch: 1,
    })),
  };
}

/** A leader that answers the first `answered` requests at once and parks the rest until it is stopped. */
class FakeLeader {
  streamsOpened = 0;
  streamRequests = 0;
  unaryRequests = 0;
  private readonly parked: (() => void)[] = [];
  private readonly waiters: { count: () => number; at: number; resolve: () => void }[] = [];

  constructor(private readonly answered: number) {}

  handlers(withStream: boolean): ReplicationHandlers {
    const answer = async (request: ReplicaFetchRequest__Output): Promise<ReplicaFetchResponse> => {
      if (this.streamRequests + this.unaryRequests > this.answered) {
        await new Promise<void>((resolve) => this.parked.push(resolve));
      }
      return idleAnswer(request);
    };
    const unary = handleUnary(async (request: ReplicaFetchRequest__Output) => {
      this.unaryRequests += 1;
      this.notify();
      return answer(request);
    });
    const stream = (
      call: grpc.ServerDuplexStream<ReplicaFetchRequest__Output, ReplicaFetchStreamResponse>,
    ) => {
      this.streamsOpened += 1;
      serveRequestStream(call, {
        handle: async (request) => {
          this.streamRequests += 1;
          this.notify();
          return { errorCode: '', errorMessage: '', response: await answer(request) };
        },
        failed: (_request, error) => ({ ...error, response: null }),
        order: 'serial',
        pendingRequestsMax: 1,
      });
    };
    // A handler left out is answered UNIMPLEMENTED by grpc-js, as a leader of an older version does.
    return (
      withStream ? { ReplicaFetch: unary, ReplicaFetchStream: stream } : { ReplicaFetch: unary }
    ) as ReplicationHandlers;
  }

  /** Resolves once `count()` reaches `at`. */
  until(count: () => number, at: number): Promise<void> {
    if (count() >= at) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, at, resolve }));
  }

  release(): void {
    for (const resolve of this.parked.splice(0)) resolve();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.count() < waiter.at) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startLeader(leader: FakeLeader, withStream: boolean, port = 0): Promise<grpc.Server> {
  const server = createServer();
  addReplicationService(server, leader.handlers(withStream));
  const bound = await bindServer(server, `127.0.0.1:${port}`);
  (server as { boundPort?: number }).boundPort = bound;
  cleanups.push(() => {
    leader.release();
    server.forceShutdown();
  });
  return server;
}

function portOf(server: grpc.Server): number {
  const port = (server as { boundPort?: number }).boundPort;
  if (port === undefined) throw new Error('server not bound');
  return port;
}

function startFetcher(
  address: string,
  callbacks: { onLeaderUnreachable?: (id: number) => void; onLeaderReachable?: (id: number) => void } = {},
): FollowerFetcher {
  const client = createReplicaFetchClient(address);
  const fetcher = new FollowerFetcher({
    brokerId: 2,
    leaderId: 1,
    address,
    client,
    brokerEpoch: () => 7,
    maxWaitMs: 500,
    maxBytes: 1024,
    logger,
    ...callbacks,
  });
  fetcher.addPartition(idlePartition());
  fetcher.start();
  cleanups.push(async () => {
    await fetcher.stop();
    client.close();
  });
  return fetcher;
}

describe('FollowerFetcher transports', () => {
  it('fetches round after round on one ReplicaFetchStream', async () => {
    const leader = new FakeLeader(5);
    const server = await startLeader(leader, true);
    const fetcher = startFetcher(`127.0.0.1:${portOf(server)}`);
    await leader.until(() => leader.streamRequests, 6);
    expect(leader.streamsOpened).toBe(1);
    expect(leader.unaryRequests).toBe(0);
    expect(fetcher.streaming).toBe(true);
  });

  it('falls back to unary ReplicaFetch when the leader does not offer the stream', async () => {
    const leader = new FakeLeader(3);
    const server = await startLeader(leader, false);
    const fetcher = startFetcher(`127.0.0.1:${portOf(server)}`);
    await leader.until(() => leader.unaryRequests, 4);
    expect(leader.streamRequests).toBe(0);
    expect(fetcher.streaming).toBe(false);
  });

  it('fails over when the stream breaks mid-request: unreachable reported, a new stream to the leader back', async () => {
    const first = new FakeLeader(1);
    const server = await startLeader(first, true);
    const port = portOf(server);
    const unreachable: number[] = [];
    let reachable = 0;
    let reportedUnreachable: () => void = () => undefined;
    const unreachableReported = new Promise<void>((resolve) => {
      reportedUnreachable = resolve;
    });
    startFetcher(`127.0.0.1:${port}`, {
      onLeaderUnreachable: (id) => {
        unreachable.push(id);
        reportedUnreachable();
      },
      onLeaderReachable: () => {
        reachable += 1;
      },
    });
    // The second request is parked on the leader: stop the leader under it. The stream fails, and the
    // rounds after it find nobody listening until the leader is back on the same port.
    await first.until(() => first.streamRequests, 2);
    server.forceShutdown();
    await unreachableReported;
    const second = new FakeLeader(10);
    await startLeader(second, true, port);
    await second.until(() => second.streamRequests, 2);
    expect(unreachable.length).toBeGreaterThan(0);
    expect(unreachable.every((id) => id === 1)).toBe(true);
    expect(second.streamsOpened).toBe(1);
    expect(reachable).toBeGreaterThan(1);
  });
});
