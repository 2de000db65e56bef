import { logIndex, nodeId, term } from '@tributary/core';
import type { SnapshotRequest } from '@tributary/raft';
import { describe, expect, it } from 'vitest';
import { messageFromWire, type WireMessage } from './message-codec.js';
import { snapshotChunks } from './transport.js';

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
