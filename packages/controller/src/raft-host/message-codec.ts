/**
 * Raft messages <-> the flat proto RaftMessage (protos/tributary/v1/raft.proto). Pure. Decoding
 * validates every number (the wire is untrusted: a peer with a bug must not crash this controller) and
 * throws RangeError, which the Raft service answers as INVALID_REQUEST.
 *
 * Snapshot data never travels inside a RaftMessage: it goes in InstallSnapshot chunks, so
 * `messageToWire` of a snapshot message carries only its meta and `messageFromWire` takes the data.
 */
import { assertNever, type LogIndex, logIndex, type NodeId, nodeId, type Term, term } from '@tributary/core';
import {
  decodeMembership,
  type Entry,
  type EntryType,
  encodeMembership,
  type Membership,
  type Message,
  type MessageType,
} from '@tributary/raft';

export type WireMessageType =
  | 'RAFT_MESSAGE_TYPE_UNSPECIFIED'
  | 'RAFT_MESSAGE_TYPE_VOTE'
  | 'RAFT_MESSAGE_TYPE_VOTE_RESPONSE'
  | 'RAFT_MESSAGE_TYPE_PRE_VOTE'
  | 'RAFT_MESSAGE_TYPE_PRE_VOTE_RESPONSE'
  | 'RAFT_MESSAGE_TYPE_APPEND'
  | 'RAFT_MESSAGE_TYPE_APPEND_RESPONSE'
  | 'RAFT_MESSAGE_TYPE_HEARTBEAT'
  | 'RAFT_MESSAGE_TYPE_HEARTBEAT_RESPONSE'
  | 'RAFT_MESSAGE_TYPE_SNAPSHOT'
  | 'RAFT_MESSAGE_TYPE_TIMEOUT_NOW';

export type WireEntryType =
  | 'RAFT_ENTRY_TYPE_NORMAL'
  | 'RAFT_ENTRY_TYPE_LEADER_CHANGE'
  | 'RAFT_ENTRY_TYPE_MEMBERSHIP';

/** The decoded shape of tributary.v1.RaftEntry (proto-loader with defaults, longs as numbers). */
export interface WireEntry {
  readonly index: number;
  readonly term: number;
  readonly type: WireEntryType;
  readonly data: Uint8Array;
}

export interface WireSnapshotMeta {
  readonly index: number;
  readonly term: number;
  readonly voters: number[];
  readonly learners: number[];
  readonly addresses: { readonly id: number; readonly address: string }[];
}

/** The decoded shape of tributary.v1.RaftMessage. */
export interface WireMessage {
  readonly type: WireMessageType;
  readonly from: number;
  readonly to: number;
  readonly term: number;
  readonly logTerm: number;
  readonly index: number;
  readonly entries: WireEntry[];
  readonly commit: number;
  readonly reject: boolean;
  readonly rejectHintIndex: number;
  readonly rejectHintTerm: number;
  readonly snapshot: WireSnapshotMeta | null;
  readonly transfer: boolean;
  readonly context: Uint8Array;
}

const TO_WIRE_TYPE: { readonly [K in MessageType]: WireMessageType } = {
  vote: 'RAFT_MESSAGE_TYPE_VOTE',
  'vote-response': 'RAFT_MESSAGE_TYPE_VOTE_RESPONSE',
  'pre-vote': 'RAFT_MESSAGE_TYPE_PRE_VOTE',
  'pre-vote-response': 'RAFT_MESSAGE_TYPE_PRE_VOTE_RESPONSE',
  append: 'RAFT_MESSAGE_TYPE_APPEND',
  'append-response': 'RAFT_MESSAGE_TYPE_APPEND_RESPONSE',
  heartbeat: 'RAFT_MESSAGE_TYPE_HEARTBEAT',
  'heartbeat-response': 'RAFT_MESSAGE_TYPE_HEARTBEAT_RESPONSE',
  snapshot: 'RAFT_MESSAGE_TYPE_SNAPSHOT',
  'timeout-now': 'RAFT_MESSAGE_TYPE_TIMEOUT_NOW',
};

const EMPTY = new Uint8Array(0);

const BLANK: WireMessage = {
  type: 'RAFT_MESSAGE_TYPE_UNSPECIFIED',
  from: 0,
  to: 0,
  term: 0,
  logTerm: 0,
  index: 0,
  entries: [],
  commit: 0,
  reject: false,
  rejectHintIndex: 0,
  rejectHintTerm: 0,
  snapshot: null,
  transfer: false,
  context: EMPTY,
};

export function entryToWire(entry: Entry): WireEntry {
  return {
    index: entry.index,
    term: entry.term,
    type: TO_WIRE_ENTRY_TYPE[entry.type],
    data: entry.data,
  };
}

const TO_WIRE_ENTRY_TYPE: { readonly [K in EntryType]: WireEntryType } = {
  normal: 'RAFT_ENTRY_TYPE_NORMAL',
  'leader-change': 'RAFT_ENTRY_TYPE_LEADER_CHANGE',
  membership: 'RAFT_ENTRY_TYPE_MEMBERSHIP',
};

export function entryFromWire(wire: WireEntry): Entry {
  let type: EntryType;
  if (wire.type === 'RAFT_ENTRY_TYPE_NORMAL') type = 'normal';
  else if (wire.type === 'RAFT_ENTRY_TYPE_LEADER_CHANGE') type = 'leader-change';
  else if (wire.type === 'RAFT_ENTRY_TYPE_MEMBERSHIP') {
    type = 'membership';
    // The core trusts membership entries in its log (it asserts they decode): check them at the edge.
    try {
      decodeMembership(wire.data);
    } catch (error) {
      throw new RangeError(`entry ${wire.index}: invalid membership: ${String(error)}`);
    }
  } else throw new RangeError(`entry ${wire.index}: unknown entry type ${String(wire.type)}`);
  return { index: logIndex(wire.index), term: term(wire.term), type, data: wire.data };
}

/** The wire form of a message (for a snapshot message: without its data). */
export function messageToWire(message: Message): WireMessage {
  const base = {
    ...BLANK,
    type: TO_WIRE_TYPE[message.type],
    from: message.from,
    to: message.to,
    term: message.term,
  };
  switch (message.type) {
    case 'vote':
    case 'pre-vote':
      return {
        ...base,
        index: message.lastLogIndex,
        logTerm: message.lastLogTerm,
        transfer: message.transfer,
      };
    case 'vote-response':
    case 'pre-vote-response':
      return { ...base, reject: message.reject };
    case 'append':
      return {
        ...base,
        index: message.prevLogIndex,
        logTerm: message.prevLogTerm,
        entries: message.entries.map(entryToWire),
        commit: message.commit,
      };
    case 'append-response':
      return {
        ...base,
        reject: message.reject,
        index: message.index,
        rejectHintIndex: message.rejectHintIndex,
        rejectHintTerm: message.rejectHintTerm,
      };
    case 'heartbeat':
      return { ...base, commit: message.commit };
    case 'heartbeat-response':
    case 'timeout-now':
      return base;
    case 'snapshot': {
      const meta = message.snapshot.meta;
      return {
        ...base,
        snapshot: {
          index: meta.index,
          term: meta.term,
          voters: [...meta.voters],
          learners: [...meta.learners],
          addresses: Object.entries(meta.addresses).map(([id, address]) => ({ id: Number(id), address })),
        },
      };
    }
    default:
      return assertNever(message, 'raft message');
  }
}

/** Decodes and validates a wire message; `snapshotData` is the reassembled data of a snapshot message. */
/**
 * The largest term or index a message may carry. Real ones stay far below (a term per election, an index per
 * command); the bound leaves the core room to add to them (a candidate's term + 1) without leaving the safe
 * integers, which a forged term near 2^53 would make it do.
 */
export const RAFT_NUMBER_MAX = 2 ** 50;

function checkBounds(wire: WireMessage): void {
  const numbers: [string, number][] = [
    ['term', wire.term],
    ['log term', wire.logTerm],
    ['index', wire.index],
    ['commit', wire.commit],
    ['reject hint index', wire.rejectHintIndex],
    ['reject hint term', wire.rejectHintTerm],
    ...(wire.snapshot === null
      ? []
      : ([
          ['snapshot index', wire.snapshot.index],
          ['snapshot term', wire.snapshot.term],
        ] as [string, number][])),
    ...wire.entries.flatMap((entry): [string, number][] => [
      ['entry index', entry.index],
      ['entry term', entry.term],
    ]),
  ];
  for (const [name, value] of numbers) {
    if (value > RAFT_NUMBER_MAX) throw new RangeError(`${name} ${value} is above ${RAFT_NUMBER_MAX}`);
  }
}

export function messageFromWire(wire: WireMessage, snapshotData: Uint8Array = EMPTY): Message {
  checkBounds(wire);
  const base: { from: NodeId; to: NodeId; term: Term } = {
    from: nodeId(wire.from),
    to: nodeId(wire.to),
    term: term(wire.term),
  };
  const index = (): LogIndex => logIndex(wire.index);
  switch (wire.type) {
    case 'RAFT_MESSAGE_TYPE_VOTE':
    case 'RAFT_MESSAGE_TYPE_PRE_VOTE':
      return {
        ...base,
        type: wire.type === 'RAFT_MESSAGE_TYPE_VOTE' ? 'vote' : 'pre-vote',
        lastLogIndex: index(),
        lastLogTerm: term(wire.logTerm),
        transfer: wire.transfer,
      };
    case 'RAFT_MESSAGE_TYPE_VOTE_RESPONSE':
    case 'RAFT_MESSAGE_TYPE_PRE_VOTE_RESPONSE':
      return {
        ...base,
        type: wire.type === 'RAFT_MESSAGE_TYPE_VOTE_RESPONSE' ? 'vote-response' : 'pre-vote-response',
        reject: wire.reject,
      };
    case 'RAFT_MESSAGE_TYPE_APPEND':
      return {
        ...base,
        type: 'append',
        prevLogIndex: index(),
        prevLogTerm: term(wire.logTerm),
        entries: decodeEntries(wire),
        commit: logIndex(wire.commit),
      };
    case 'RAFT_MESSAGE_TYPE_APPEND_RESPONSE':
      return {
        ...base,
        type: 'append-response',
        reject: wire.reject,
        index: index(),
        rejectHintIndex: logIndex(wire.rejectHintIndex),
        rejectHintTerm: term(wire.rejectHintTerm),
      };
    case 'RAFT_MESSAGE_TYPE_HEARTBEAT':
      return { ...base, type: 'heartbeat', commit: logIndex(wire.commit) };
    case 'RAFT_MESSAGE_TYPE_HEARTBEAT_RESPONSE':
      return { ...base, type: 'heartbeat-response' };
    case 'RAFT_MESSAGE_TYPE_TIMEOUT_NOW':
      return { ...base, type: 'timeout-now' };
    case 'RAFT_MESSAGE_TYPE_SNAPSHOT': {
      const meta = wire.snapshot;
      if (meta === null) throw new RangeError('snapshot message without snapshot meta');
      return {
        ...base,
        type: 'snapshot',
        snapshot: {
          meta: { index: logIndex(meta.index), term: term(meta.term), ...snapshotMembershipFromWire(meta) },
          data: snapshotData,
        },
      };
    }
    case 'RAFT_MESSAGE_TYPE_UNSPECIFIED':
      throw new RangeError('raft message type is unspecified');
    default:
      throw new RangeError(`unknown raft message type ${String(wire.type)}`);
  }
}

/**
 * The membership a snapshot meta carries, validated as strictly as a membership entry (an empty voter list
 * is allowed: the core then keeps the membership it has).
 */
function snapshotMembershipFromWire(meta: WireSnapshotMeta): Membership {
  if (meta.voters.length === 0 && meta.learners.length === 0 && meta.addresses.length === 0) {
    return { voters: [], learners: [], addresses: {} };
  }
  const addresses: Record<string, string> = {};
  for (const { id, address } of meta.addresses) addresses[String(id)] = address;
  const membership: Membership = {
    voters: meta.voters.map((v) => nodeId(v)),
    learners: meta.learners.map((v) => nodeId(v)),
    addresses,
  };
  try {
    return decodeMembership(encodeMembership(membership));
  } catch (error) {
    throw new RangeError(`snapshot meta: invalid membership: ${String(error)}`);
  }
}

/** Append entries must follow prevLogIndex without gaps, with terms that never decrease (Raft §5.3). */
function decodeEntries(wire: WireMessage): Entry[] {
  const entries = wire.entries.map(entryFromWire);
  let previousTerm = wire.logTerm;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry === undefined) continue;
    if (entry.index !== wire.index + 1 + i) {
      throw new RangeError(`append entries are not contiguous after ${wire.index} at position ${i}`);
    }
    if (entry.term < previousTerm || entry.term > wire.term) {
      throw new RangeError(`append entry ${entry.index} has term ${entry.term} out of order`);
    }
    previousTerm = entry.term;
  }
  return entries;
}
