import * as grpc from '@grpc/grpc-js';
import { SeededRandom, TributaryError } from '@tributary/core';
import {
  addControllerAdminService,
  bindServer,
  type ConnectionCallOptions,
  ControllerConnection,
  createControllerAdminClient,
  createServer,
  handleUnary,
  loadTributaryProtos,
  shutdownServer,
  unary,
} from '@tributary/protocol';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AdminConnection,
  AdminForwarder,
  createAdminForwardingHandlers,
  type ForwardedAdminMethod,
  forwardDeadlineMs,
} from './admin-forwarding.js';
import { REQUEST_LIMITS } from './limits.js';

/** Bound on every wait in this file. */
const WAIT_MS = 5_000;

interface SeenCall {
  readonly method: string;
  readonly request: unknown;
  readonly options: ConnectionCallOptions;
}

/** A connection double: records each call and answers with `answer`. */
function fakeConnection(
  answer: (call: SeenCall) => Promise<unknown>,
): AdminConnection & { seen: SeenCall[] } {
  const seen: SeenCall[] = [];
  return {
    seen,
    admin(method, request, options) {
      const call = { method, request, options };
      seen.push(call);
      // The double answers whatever the test scripts; the types of real answers are the controller's concern.
      return answer(call) as never;
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<TributaryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TributaryError);
    return error as TributaryError;
  }
  throw new Error('expected a rejection');
}

describe('AdminForwarder', () => {
  it("forwards the method and request with the caller's deadline, capped by adminForwardDeadlineMsMax", async () => {
    const connection = fakeConnection(async () => ({ topicId: 't-1' }));
    const forwarder = new AdminForwarder({ connection });
    expect(await forwarder.forward('DeleteTopic', { name: 'orders' }, { deadlineMs: 1_234 })).toEqual({
      topicId: 't-1',
    });
    await forwarder.forward('DeleteTopic', { name: 'orders' }, { deadlineMs: 3_600_000 });
    expect(connection.seen.map((c) => [c.method, c.request, c.options.deadlineMs])).toEqual([
      ['DeleteTopic', { name: 'orders' }, 1_234],
      ['DeleteTopic', { name: 'orders' }, REQUEST_LIMITS.adminForwardDeadlineMsMax],
    ]);
    expect(forwarder.inFlight).toBe(0);
  });

  it("passes the controller's error through with its code and message, without the leader hint", async () => {
    const refusal = new TributaryError('TOPIC_ALREADY_EXISTS', 'topic orders already exists');
    const notController = new TributaryError('NOT_CONTROLLER', 'CreateTopic: no active controller answered', {
      leaderHint: { id: 2, address: '10.0.0.2:9093' },
    });
    for (const thrown of [refusal, notController]) {
      const forwarder = new AdminForwarder({ connection: fakeConnection(() => Promise.reject(thrown)) });
      const error = await rejection(
        forwarder.forward('CreateTopic', { name: 'orders', partitions: 1 }, { deadlineMs: 1_000 }),
      );
      expect([error.code, error.message]).toEqual([thrown.code, thrown.message]);
      // The hint names a controller: a client of the brokers must not be sent there.
      expect(error.leaderHint).toBeUndefined();
    }
  });

  it('turns a connection that throws anything (even synchronously) into a TributaryError and frees its slot', async () => {
    const connection: AdminConnection = {
      admin() {
        throw new Error('boom\nsecond line');
      },
    };
    const forwarder = new AdminForwarder({ connection, inFlightMax: 1 });
    const error = await rejection(forwarder.forward('ListTopics', {}, { deadlineMs: 1_000 }));
    expect(error.code).toBe('UNKNOWN');
    expect(forwarder.inFlight).toBe(0);
  });

  it('refuses what it does not forward, a request that is not a message and a spent deadline, unsent', async () => {
    const connection = fakeConnection(async () => ({}));
    const forwarder = new AdminForwarder({ connection });
    // As a Kafka handler computing the method from a wire request might get it wrong.
    const addVoter = 'AddVoter' as ForwardedAdminMethod;
    expect((await rejection(forwarder.forward(addVoter, {}, { deadlineMs: 1_000 }))).code).toBe(
      'INVALID_REQUEST',
    );
    const notMessage = null as unknown as Record<string, never>;
    expect((await rejection(forwarder.forward('ListTopics', notMessage, { deadlineMs: 1_000 }))).code).toBe(
      'INVALID_REQUEST',
    );
    for (const deadlineMs of [0, -5, Number.NaN]) {
      expect((await rejection(forwarder.forward('ListTopics', {}, { deadlineMs }))).code).toBe(
        'REQUEST_TIMED_OUT',
      );
    }
    expect(connection.seen).toEqual([]);
  });

  it('bounds the calls in flight: RESOURCE_EXHAUSTED (retriable) beyond inFlightMax', async () => {
    let release: ((value: unknown) => void) | undefined;
    // The first call waits for release(); later ones answer at once.
    const connection = fakeConnection(() =>
      release === undefined ? new Promise((resolve) => (release = resolve)) : Promise.resolve({ topics: [] }),
    );
    const forwarder = new AdminForwarder({ connection, inFlightMax: 1 });
    const first = forwarder.forward('ListTopics', {}, { deadlineMs: 1_000 });
    const refused = await rejection(forwarder.forward('ListTopics', {}, { deadlineMs: 1_000 }));
    expect([refused.code, refused.retriable]).toEqual(['RESOURCE_EXHAUSTED', true]);
    release?.({ topics: [] });
    await first;
    expect(forwarder.inFlight).toBe(0);
    await forwarder.forward('ListTopics', {}, { deadlineMs: 1_000 });
  });
});

describe('forwardDeadlineMs', () => {
  const now = 1_000_000;
  it.each([
    ['no deadline (Infinity)', Number.POSITIVE_INFINITY, REQUEST_LIMITS.adminForwardDeadlineMsMax],
    [
      'a Date 5 s away, less the reply margin',
      new Date(now + 5_000),
      5_000 - REQUEST_LIMITS.adminForwardReplyMarginMs,
    ],
    ['a far deadline, capped', now + 3_600_000, REQUEST_LIMITS.adminForwardDeadlineMsMax],
    ['a deadline already passed', new Date(now - 10), -10 - REQUEST_LIMITS.adminForwardReplyMarginMs],
  ])('%s', (_what, deadline, expected) => {
    expect(forwardDeadlineMs(deadline, now)).toBe(expected);
  });
});

/** A controller double on real gRPC: only the methods a test scripts (grpc-js answers UNIMPLEMENTED to others). */
interface FakeController {
  readonly address: string;
  readonly deadlines: grpc.Deadline[];
  cancelledCalls: number;
}

const servers: grpc.Server[] = [];
const closers: Array<() => void> = [];
/** Hanging fake handlers wait on this; afterEach ends them so servers shut down. */
let endHangs: () => void = () => {};

afterEach(async () => {
  endHangs();
  for (const close of closers.splice(0)) close();
  await Promise.all(servers.splice(0).map((server) => shutdownServer(server, 1_000)));
});

async function serve(implementation: grpc.UntypedServiceImplementation): Promise<string> {
  const server = createServer();
  servers.push(server);
  server.addService(loadTributaryProtos().ControllerAdmin.service, implementation);
  return `127.0.0.1:${await bindServer(server, '127.0.0.1:0')}`;
}

async function startFakeController(
  handlers: (fake: FakeController) => grpc.UntypedServiceImplementation,
): Promise<FakeController> {
  const fake = { address: '', deadlines: [] as grpc.Deadline[], cancelledCalls: 0 };
  const address = await serve(handlers(fake));
  return Object.assign(fake, { address });
}

/** A broker's forwarding service in front of `controllers`, and a client of it. */
async function startForwardingBroker(controllers: string[]) {
  const connection = new ControllerConnection({
    addresses: controllers,
    random: new SeededRandom(7),
    backoff: { baseMs: 5, maxMs: 20 },
    attemptsMax: 4,
  });
  closers.push(() => connection.close());
  const forwarder = new AdminForwarder({ connection });
  const server = createServer();
  servers.push(server);
  addControllerAdminService(
    server,
    createAdminForwardingHandlers({ forwarder, logger: pino({ level: 'silent' }) }),
  );
  const address = `127.0.0.1:${await bindServer(server, '127.0.0.1:0')}`;
  const client = createControllerAdminClient(address);
  closers.push(() => client.close());
  return { address, client, forwarder };
}

function hangUntilCancelled(fake: FakeController): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    fake.deadlines.push(call.getDeadline());
    const end = (): void => callback({ code: grpc.status.CANCELLED, details: 'ended' });
    call.once('cancelled', () => {
      fake.cancelledCalls += 1;
      end();
    });
    endHangs = end;
  };
}

describe("the broker's ControllerAdmin service (real gRPC, controller doubles)", () => {
  it("answers with the active controller's response, following NOT_CONTROLLER from a standby", async () => {
    const active = await startFakeController(() => ({
      ListTopics: handleUnary(async () => ({
        topics: [{ name: 'orders', topicId: 'id-1', partitionCount: 3, replicationFactor: 3 }],
      })),
    }));
    const standby = await startFakeController(() => ({
      ListTopics: handleUnary(async (): Promise<never> => {
        throw new TributaryError('NOT_CONTROLLER', 'not me', {
          leaderHint: { id: 1, address: active.address },
        });
      }),
    }));
    const broker = await startForwardingBroker([standby.address]);
    const response = await unary(broker.client, 'ListTopics', {}, { deadlineMs: WAIT_MS });
    expect(response.topics.map((t) => t.name)).toEqual(['orders']);
  });

  it("relays the controller's error code and message unchanged, without its leader hint", async () => {
    const controller = await startFakeController(() => ({
      CreateTopic: handleUnary(async (): Promise<never> => {
        throw new TributaryError('TOPIC_ALREADY_EXISTS', 'topic "orders" already exists');
      }),
      // A controller that keeps pointing at itself: the broker's retries run out.
      DeleteTopic: handleUnary(async (): Promise<never> => {
        throw new TributaryError('NOT_CONTROLLER', 'no leader yet', {
          leaderHint: { id: 3, address: controller.address },
        });
      }),
    }));
    const broker = await startForwardingBroker([controller.address]);
    const exists = await rejection(
      unary(
        broker.client,
        'CreateTopic',
        { name: 'orders', partitions: 1, replicationFactor: 1 },
        { deadlineMs: WAIT_MS },
      ),
    );
    expect([exists.code, exists.message]).toEqual(['TOPIC_ALREADY_EXISTS', 'topic "orders" already exists']);
    const exhausted = await rejection(
      unary(broker.client, 'DeleteTopic', { name: 'x' }, { deadlineMs: WAIT_MS }),
    );
    expect(exhausted.code).toBe('NOT_CONTROLLER');
    expect(exhausted.message).toContain('no leader yet');
    expect(exhausted.leaderHint).toBeUndefined();
  });

  it("keeps the caller's deadline and cancels the forwarded call when the caller gives up", async () => {
    const controller = await startFakeController((fake) => ({ DescribeCluster: hangUntilCancelled(fake) }));
    const broker = await startForwardingBroker([controller.address]);
    const callerDeadline = Date.now() + 600;
    const error = await rejection(unary(broker.client, 'DescribeCluster', {}, { deadlineMs: 600 }));
    expect(error.code).toBe('REQUEST_TIMED_OUT');
    const seen = controller.deadlines[0];
    const seenMs = seen instanceof Date ? seen.getTime() : seen;
    // The forwarded call ends before the caller's: it gets the broker's answer, not only its own timeout.
    expect(seenMs).toBeLessThanOrEqual(callerDeadline);
    await expect.poll(() => controller.cancelledCalls, { timeout: WAIT_MS }).toBeGreaterThan(0);
    await expect.poll(() => broker.forwarder.inFlight, { timeout: WAIT_MS }).toBe(0);

    const abandoned = new AbortController();
    const pending = unary(
      broker.client,
      'DescribeCluster',
      {},
      { deadlineMs: WAIT_MS, signal: abandoned.signal },
    );
    await expect.poll(() => controller.deadlines.length, { timeout: WAIT_MS }).toBeGreaterThan(1);
    abandoned.abort();
    await rejection(pending);
    await expect.poll(() => controller.cancelledCalls, { timeout: WAIT_MS }).toBe(2);
  });

  it('refuses AddVoter and RemoveVoter, pointing at the controllers', async () => {
    const broker = await startForwardingBroker(['127.0.0.1:1']);
    const add = await rejection(
      unary(broker.client, 'AddVoter', { voterId: 4, address: 'h:1' }, { deadlineMs: WAIT_MS }),
    );
    const remove = await rejection(
      unary(broker.client, 'RemoveVoter', { voterId: 4 }, { deadlineMs: WAIT_MS }),
    );
    for (const error of [add, remove]) {
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.message).toContain('--controllers');
    }
  });

  it('survives malformed bytes: undecodable ones get a status, mangled ones are forwarded as decoded', async () => {
    const controller = await startFakeController(() => ({
      DescribeTopics: handleUnary(async (request: { names: string[] }) => ({
        topics: request.names.map((name) => ({ name, topicId: 'x', partitions: [], configs: [] })),
      })),
    }));
    const broker = await startForwardingBroker([controller.address]);
    const raw = new grpc.Client(broker.address, grpc.credentials.createInsecure());
    closers.push(() => raw.close());
    const send = (bytes: number[]) =>
      new Promise<{ code: number; response: Buffer | undefined }>((resolve) => {
        raw.makeUnaryRequest(
          '/tributary.v1.ControllerAdmin/DescribeTopics',
          (message: Buffer) => message,
          (message: Buffer) => message,
          Buffer.from(bytes),
          { deadline: Date.now() + WAIT_MS },
          (error, response) => resolve({ code: error?.code ?? grpc.status.OK, response }),
        );
      });
    // Wire type 7 does not exist: grpc-js answers without calling the handler.
    expect((await send([0x0f])).code).toBe(grpc.status.INTERNAL);
    // Bytes that are not UTF-8 decode (with replacement characters) and go to the controller, which judges them.
    const mangled = await send([0x0a, 0x03, 0xff, 0xfe, 0xfd]);
    expect(mangled.code).toBe(grpc.status.OK);
    const response = await unary(
      broker.client,
      'DescribeTopics',
      { names: ['a', 'b'] },
      { deadlineMs: WAIT_MS },
    );
    expect(response.topics.map((t) => t.name)).toEqual(['a', 'b']);
  });
});
