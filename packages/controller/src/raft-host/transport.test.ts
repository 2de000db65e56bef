import { logIndex, nodeId, term } from '@tributary/core';
import { addRaftService, bindServer, createServer, shutdownServer } from '@tributary/protocol';
import type { Message, SnapshotRequest } from '@tributary/raft';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { messageFromWire, type WireMessage } from './message-codec.js';
import { createRaftHandlers } from './raft-service.js';
import { RaftTransport, snapshotChunks } from './transport.js';

function snapshotMessage(bytes: number): SnapshotRequest {
  const data = new Uint8Array(bytes).map((_, i) => i % 251);
  return {
    type: 'snapshot',
    from: nodeId(1),
    to: nodeId(2),
    term: term(3),
    snapshot: {
      meta: {
        index: logIndex(50),
        term: term(2),
        voters: [nodeId(1), nodeId(2)],
        learners: [],
        addresses: {},
      },
      data,
    },
  };
}

describe('snapshot chunking', () => {
  it.each([0, 1, 9, 10, 11, 35])('splits %i bytes into reassemblable chunks', (bytes) => {
    const message = snapshotMessage(bytes);
    const chunks = snapshotChunks(message, 10);
    expect(chunks.length).toBe(Math.max(1, Math.ceil(bytes / 10)));
    expect(chunks.map((c) => c.last)).toEqual(chunks.map((_, i) => i === chunks.length - 1));
    expect(chunks.slice(1).every((c) => c.message === null)).toBe(true);
    const data = Buffer.concat(chunks.map((c) => c.data as Uint8Array));
    const header = chunks[0]?.message as WireMessage;
    expect(messageFromWire(header, new Uint8Array(data))).toEqual(message);
  });
});

describe('peers follow the membership', () => {
  const ids = (...values: number[]) => values.map(nodeId);
  function transport(): RaftTransport {
    return new RaftTransport({
      selfId: nodeId(2),
      voters: [
        { id: 1, address: 'h1:1' },
        { id: 2, address: 'h2:1' },
        { id: 3, address: 'h3:1' },
      ],
      logger: pino({ level: 'silent' }),
      onUnreachable: () => undefined,
      onSnapshotSent: () => undefined,
    });
  }

  it('starts with the --voters, adds members at their membership address, forgets removed ones', () => {
    const t = transport();
    expect([...t.peerAddresses()]).toEqual([
      [1, 'h1:1'],
      [3, 'h3:1'],
    ]);
    t.syncMembers({
      voters: ids(1, 2, 3),
      learners: ids(4),
      addresses: { '4': 'h4:1' },
      leaderId: nodeId(1),
    });
    expect(t.peerAddresses().get(nodeId(4))).toBe('h4:1');
    // 3 removed while 1 leads: 3 is forgotten.
    t.syncMembers({ voters: ids(1, 2, 4), learners: [], addresses: { '4': 'h4:1' }, leaderId: nodeId(1) });
    expect([...t.peerAddresses().keys()].sort()).toEqual([1, 4]);
    t.close();
  });

  it('keeps a removed leader reachable until another leads (it needs our answers to commit its removal)', () => {
    const t = transport();
    const membership = { voters: ids(2, 3), learners: [], addresses: {} };
    t.syncMembers({ ...membership, leaderId: nodeId(1) });
    expect(t.peerAddresses().has(nodeId(1))).toBe(true);
    t.syncMembers({ ...membership, leaderId: nodeId(3) });
    expect(t.peerAddresses().has(nodeId(1))).toBe(false);
    t.close();
  });
});

describe('messages reach a peer in the order they were sent', () => {
  it('one Step call in flight per peer: a large append is never overtaken by later messages', async () => {
    const received: Message[] = [];
    let inFlight = 0;
    let inFlightMax = 0;
    const server = createServer();
    const handlers = createRaftHandlers({
      selfId: nodeId(2),
      acceptsFrom: () => true,
      step: (message) => received.push(message),
      logger: pino({ level: 'silent' }),
    });
    addRaftService(server, {
      ...handlers,
      // Each call answers late, so a transport with several calls in flight would show it.
      Step: (call, callback) => {
        inFlight++;
        inFlightMax = Math.max(inFlightMax, inFlight);
        setTimeout(() => {
          inFlight--;
          handlers.Step(call, callback);
        }, 20);
      },
    });
    const port = await bindServer(server, '127.0.0.1:0');
    const transport = new RaftTransport({
      selfId: nodeId(1),
      voters: [
        { id: 1, address: '127.0.0.1:1' },
        { id: 2, address: `127.0.0.1:${port}` },
      ],
      logger: pino({ level: 'silent' }),
      onUnreachable: () => undefined,
      onSnapshotSent: () => undefined,
    });
    const append = (index: number, bytes: number): Message => ({
      type: 'append',
      from: nodeId(1),
      to: nodeId(2),
      term: term(1),
      prevLogIndex: logIndex(index - 1),
      prevLogTerm: term(index === 1 ? 0 : 1),
      entries: [{ index: logIndex(index), term: term(1), type: 'normal', data: new Uint8Array(bytes) }],
      commit: logIndex(0),
    });
    try {
      // Sent as separate flushes, as the driver sends one per Ready: a 3 MiB append, then small ones.
      transport.send([append(1, 3 * 1024 * 1024)]);
      for (let index = 2; index <= 6; index++) transport.send([append(index, 100)]);
      const deadline = Date.now() + 10_000;
      while (received.length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(received.map((m) => (m.type === 'append' ? m.prevLogIndex + 1 : -1))).toEqual([
        1, 2, 3, 4, 5, 6,
      ]);
      expect(inFlightMax).toBe(1);
      expect(transport.counters.stepCalls).toBeLessThan(6); // queued messages share calls
    } finally {
      transport.close();
      await shutdownServer(server, 100);
    }
  });
});
