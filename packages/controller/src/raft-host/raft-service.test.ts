import { logIndex, nodeId, term } from '@tributary/core';
import {
  addRaftService,
  bindServer,
  createRaftClient,
  createServer,
  shutdownServer,
  unary,
} from '@tributary/protocol';
import type { Message } from '@tributary/raft';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageToWire } from './message-codec.js';
import { createRaftHandlers } from './raft-service.js';
import { snapshotChunks } from './transport.js';

describe('the Raft service', () => {
  const received: Message[] = [];
  const server = createServer();
  let address = '';

  beforeAll(async () => {
    addRaftService(
      server,
      createRaftHandlers({
        selfId: nodeId(2),
        acceptsFrom: (id) => [1, 2, 3].includes(id),
        step: (message) => received.push(message),
        logger: pino({ level: 'silent' }),
      }),
    );
    address = `127.0.0.1:${await bindServer(server, '127.0.0.1:0')}`;
  });
  afterAll(async () => {
    await shutdownServer(server, 100);
  });

  const heartbeat = (from: number, to: number): Message => ({
    type: 'heartbeat',
    from: nodeId(from),
    to: nodeId(to),
    term: term(1),
    commit: logIndex(0),
  });

  it('steps a batch addressed to this node and refuses misaddressed or foreign messages', async () => {
    const client = createRaftClient(address);
    await unary(
      client,
      'Step',
      { messages: [heartbeat(1, 2), heartbeat(3, 2)].map(messageToWire) },
      { deadlineMs: 2_000 },
    );
    expect(received.map((m) => m.from)).toEqual([1, 3]);
    for (const bad of [heartbeat(1, 3), heartbeat(9, 2)]) {
      await expect(
        unary(client, 'Step', { messages: [messageToWire(bad)] }, { deadlineMs: 2_000 }),
      ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    }
    await expect(
      unary(
        client,
        'Step',
        { messages: [{ type: 'RAFT_MESSAGE_TYPE_UNSPECIFIED', to: 2 }] },
        { deadlineMs: 2_000 },
      ),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    client.close();
  });

  // Found by the Raft fuzzer (src/fuzz/raft-grpc.fuzz.test.ts): each used to reach the core's assertions and stop
  // the controller (onFatal), instead of being refused.
  it('refuses a message from this node to itself, a snapshot sent with Step, and a term near 2^53', async () => {
    const client = createRaftClient(address);
    const before = received.length;
    const refusals: [string, object][] = [
      ['self', messageToWire(heartbeat(2, 2))],
      [
        'snapshot via Step',
        {
          type: 'RAFT_MESSAGE_TYPE_SNAPSHOT',
          from: 1,
          to: 2,
          term: 7,
          snapshot: { index: 7, term: 7, voters: [1, 2, 3] },
        },
      ],
      ['huge term', { ...messageToWire(heartbeat(1, 2)), term: Number.MAX_SAFE_INTEGER }],
      ['huge commit', { ...messageToWire(heartbeat(1, 2)), commit: 2 ** 52 }],
    ];
    for (const [name, message] of refusals) {
      await expect(
        unary(client, 'Step', { messages: [message] }, { deadlineMs: 2_000 }),
        name,
      ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    }
    expect(received.length).toBe(before);
    client.close();
  });

  it('reassembles an InstallSnapshot stream', async () => {
    received.length = 0;
    const message: Message = {
      type: 'snapshot',
      from: nodeId(1),
      to: nodeId(2),
      term: term(4),
      snapshot: {
        meta: {
          index: logIndex(9),
          term: term(3),
          voters: [nodeId(1), nodeId(2), nodeId(3)],
          learners: [],
          addresses: {},
        },
        data: new Uint8Array(3000).fill(7),
      },
    };
    const client = createRaftClient(address);
    await new Promise<void>((resolve, reject) => {
      const call = client.InstallSnapshot({ deadline: Date.now() + 2_000 }, (error) =>
        error === null ? resolve() : reject(error),
      );
      for (const chunk of snapshotChunks(message, 1000)) call.write(chunk);
      call.end();
    });
    client.close();
    expect(received).toEqual([message]);
  });

  // Found by the Raft fuzzer: a snapshot whose data was not a metadata snapshot was installed, and restoring it
  // stopped the controller. Now the data is checked before Raft sees it.
  it('refuses an InstallSnapshot whose data the state machine could not restore', async () => {
    const checking = createServer();
    const stepped: Message[] = [];
    addRaftService(
      checking,
      createRaftHandlers({
        selfId: nodeId(2),
        acceptsFrom: (id) => [1, 2, 3].includes(id),
        step: (message) => stepped.push(message),
        validateSnapshot: (data) => {
          if (data.length < 100) throw new RangeError(`only ${data.length} bytes`);
        },
        logger: pino({ level: 'silent' }),
      }),
    );
    const checkingAddress = `127.0.0.1:${await bindServer(checking, '127.0.0.1:0')}`;
    const message: Message = {
      type: 'snapshot',
      from: nodeId(1),
      to: nodeId(2),
      term: term(4),
      snapshot: {
        meta: {
          index: logIndex(9),
          term: term(3),
          voters: [nodeId(1), nodeId(2), nodeId(3)],
          learners: [],
          addresses: {},
        },
        data: new Uint8Array(13).fill(1),
      },
    };
    const client = createRaftClient(checkingAddress);
    const outcome = await new Promise<unknown>((resolve) => {
      const call = client.InstallSnapshot({ deadline: Date.now() + 2_000 }, (error) => resolve(error));
      for (const chunk of snapshotChunks(message, 1000)) call.write(chunk);
      call.end();
    });
    client.close();
    await shutdownServer(checking, 100);
    expect(String((outcome as Error | null)?.message)).toContain('snapshot at 9: only 13 bytes');
    expect(stepped).toEqual([]);
  });
});
