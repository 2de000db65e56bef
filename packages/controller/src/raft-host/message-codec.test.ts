import { logIndex, nodeId, term } from '@tributary/core';
import { type Entry, encodeMembership, type Message, type MessageType } from '@tributary/raft';
import { describe, expect, it } from 'vitest';
import { messageFromWire, messageToWire, type WireMessage } from './message-codec.js';

const from = nodeId(1);
const to = nodeId(2);
const t = term(7);

const entries: Entry[] = [
  { index: logIndex(11), term: term(6), type: 'leader-change', data: new Uint8Array(0) },
  { index: logIndex(12), term: term(7), type: 'normal', data: Uint8Array.of(1, 2, 3) },
  {
    index: logIndex(13),
    term: term(7),
    type: 'membership',
    data: encodeMembership({
      voters: [nodeId(1), nodeId(2)],
      learners: [nodeId(3)],
      addresses: { '3': 'h:1' },
    }),
  },
];

const samples: Record<MessageType, Message> = {
  vote: { type: 'vote', from, to, term: t, lastLogIndex: logIndex(10), lastLogTerm: term(6), transfer: true },
  'pre-vote': {
    type: 'pre-vote',
    from,
    to,
    term: t,
    lastLogIndex: logIndex(3),
    lastLogTerm: term(2),
    transfer: false,
  },
  'vote-response': { type: 'vote-response', from, to, term: t, reject: true },
  'pre-vote-response': { type: 'pre-vote-response', from, to, term: t, reject: false },
  append: {
    type: 'append',
    from,
    to,
    term: t,
    prevLogIndex: logIndex(10),
    prevLogTerm: term(6),
    entries,
    commit: logIndex(9),
  },
  'append-response': {
    type: 'append-response',
    from,
    to,
    term: t,
    reject: true,
    index: logIndex(10),
    rejectHintIndex: logIndex(8),
    rejectHintTerm: term(5),
  },
  heartbeat: { type: 'heartbeat', from, to, term: t, commit: logIndex(12) },
  'heartbeat-response': { type: 'heartbeat-response', from, to, term: t },
  snapshot: {
    type: 'snapshot',
    from,
    to,
    term: t,
    snapshot: {
      meta: {
        index: logIndex(100),
        term: term(6),
        voters: [nodeId(1), nodeId(2)],
        learners: [nodeId(3)],
        addresses: { '3': 'h3:1' },
      },
      data: Uint8Array.of(9),
    },
  },
  'timeout-now': { type: 'timeout-now', from, to, term: t },
};

describe('raft message codec', () => {
  for (const message of Object.values(samples)) {
    it(`round-trips ${message.type}`, () => {
      const wire = messageToWire(message);
      const data = message.type === 'snapshot' ? message.snapshot.data : undefined;
      expect(messageFromWire(wire, data)).toEqual(message);
    });
  }

  it('leaves snapshot data out of the message', () => {
    const wire = messageToWire(samples.snapshot);
    expect(wire.snapshot).toEqual({
      index: 100,
      term: 6,
      voters: [1, 2],
      learners: [3],
      addresses: [{ id: 3, address: 'h3:1' }],
    });
    expect(wire.context.length).toBe(0);
  });

  it('rejects bad wire input with RangeError', () => {
    const good = messageToWire(samples.append);
    const bad: WireMessage[] = [
      { ...good, type: 'RAFT_MESSAGE_TYPE_UNSPECIFIED' },
      { ...good, term: -1 },
      { ...good, from: 1.5 },
      { ...good, index: 20 },
      { ...messageToWire(samples.snapshot), snapshot: null },
      { ...good, type: 'RAFT_MESSAGE_TYPE_BOGUS' as WireMessage['type'] },
    ];
    for (const wire of bad) expect(() => messageFromWire(wire)).toThrow(RangeError);
  });
});

describe('membership on the wire', () => {
  it('refuses a membership entry whose data does not decode (the core would assert on it)', () => {
    const wire = messageToWire(samples.append);
    const bad = {
      ...wire,
      entries: wire.entries.map((e) =>
        e.type === 'RAFT_ENTRY_TYPE_MEMBERSHIP' ? { ...e, data: Uint8Array.of(1) } : e,
      ),
    };
    expect(() => messageFromWire(bad)).toThrow(RangeError);
  });

  it('refuses a snapshot meta whose membership is invalid', () => {
    const wire = messageToWire(samples.snapshot);
    const meta = wire.snapshot;
    expect(meta).not.toBeNull();
    if (meta === null) return;
    const twice = { ...wire, snapshot: { ...meta, learners: [1] } };
    expect(() => messageFromWire(twice, Uint8Array.of(1))).toThrow(RangeError);
    const badAddress = { ...wire, snapshot: { ...meta, addresses: [{ id: 3, address: 'no port' }] } };
    expect(() => messageFromWire(badAddress, Uint8Array.of(1))).toThrow(RangeError);
  });
});
