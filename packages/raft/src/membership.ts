/**
 * Cluster membership kept in the Raft log (Raft thesis §4.1, the approach of Kafka's KIP-853): the voter set
 * changes one server at a time, by appending a 'membership' entry that holds the whole new configuration.
 * A node uses the LATEST membership entry in its log, committed or not; if a conflicting suffix is
 * truncated away, it falls back to the latest one that remains, so the history below keeps every
 * membership entry a truncation could expose.
 *
 * Why one server at a time and not joint consensus (§4.3): every majority of the old voter set and every
 * majority of a set that differs from it by one server overlap, so two leaders can never be elected in
 * one term by disjoint majorities; joint consensus allows arbitrary changes but needs two-phase entries and
 * double-majority counting everywhere. Learners (non-voting members) catch up before they are promoted, so
 * a new voter never stalls commits while it copies the log.
 */
import { assert, type LogIndex, logIndex, type NodeId, nodeId, TributaryError } from '@tributary/core';

export interface Membership {
  /** The nodes whose votes and acknowledgements count (quorum = floor(n/2) + 1). */
  readonly voters: readonly NodeId[];
  /** Non-voting members the leader replicates to, e.g. a controller catching up before its promotion. */
  readonly learners: readonly NodeId[];
  /**
   * Where to reach each member (node id → "host:port"). Opaque to the core: carried so the member set and
   * its endpoints travel together (as KIP-853's VotersRecord carries endpoints).
   */
  readonly addresses: Readonly<Record<string, string>>;
}

export type MembershipChange =
  | { readonly type: 'add-learner'; readonly id: NodeId; readonly address: string }
  | { readonly type: 'promote'; readonly id: NodeId }
  | { readonly type: 'remove'; readonly id: NodeId };

/** Bounds on what a membership entry may hold: a decoder never trusts sizes it did not set. */
export const MEMBERS_MAX = 64;
const ADDRESS_CHARS_MAX = 255;

export function bootstrapMembership(voters: readonly NodeId[]): Membership {
  return { voters: [...voters], learners: [], addresses: {} };
}

export function isMember(m: Membership, id: NodeId): boolean {
  return m.voters.includes(id) || m.learners.includes(id);
}

/**
 * The membership after `change`, or a TributaryError explaining why the change is refused. Pure: the
 * leader checks the one-change-at-a-time and current-term rules before calling it.
 */
export function applyMembershipChange(m: Membership, change: MembershipChange): Membership {
  const id = change.id;
  switch (change.type) {
    case 'add-learner': {
      if (isMember(m, id)) {
        const what = m.voters.includes(id) ? 'a voter' : 'already a learner';
        throw new TributaryError('DUPLICATE_VOTER', `node ${id} is ${what}`);
      }
      if (m.voters.length + m.learners.length >= MEMBERS_MAX) {
        throw new TributaryError('INVALID_REQUEST', `a quorum holds at most ${MEMBERS_MAX} members`);
      }
      assert(validAddress(change.address), () => `invalid address for node ${id}`);
      return {
        voters: m.voters,
        learners: [...m.learners, id],
        addresses: { ...m.addresses, [String(id)]: change.address },
      };
    }
    case 'promote':
      if (m.voters.includes(id)) throw new TributaryError('DUPLICATE_VOTER', `node ${id} is already a voter`);
      if (!m.learners.includes(id)) {
        throw new TributaryError('VOTER_NOT_FOUND', `node ${id} is not a learner; add it first`);
      }
      return { ...m, voters: [...m.voters, id], learners: m.learners.filter((l) => l !== id) };
    case 'remove': {
      if (!isMember(m, id)) throw new TributaryError('VOTER_NOT_FOUND', `node ${id} is not a member`);
      if (m.voters.length === 1 && m.voters[0] === id) {
        throw new TributaryError('INVALID_REQUEST', `node ${id} is the last voter; it cannot be removed`);
      }
      const addresses: Record<string, string> = { ...m.addresses };
      delete addresses[String(id)];
      return {
        voters: m.voters.filter((v) => v !== id),
        learners: m.learners.filter((l) => l !== id),
        addresses,
      };
    }
  }
}

export function validAddress(address: string): boolean {
  return address.length > 0 && address.length <= ADDRESS_CHARS_MAX && /^[^\s:]+:\d{1,5}$/.test(address);
}

/** The entry payload: canonical JSON (sorted ids and keys) so equal memberships encode equally. */
export function encodeMembership(m: Membership): Uint8Array {
  const addresses = Object.keys(m.addresses)
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => [Number(key), m.addresses[key]]);
  const canonical = { voters: [...m.voters], learners: [...m.learners], addresses };
  return new TextEncoder().encode(JSON.stringify(canonical));
}

/** Strict decode: anything but what encodeMembership writes is refused (INVALID_REQUEST). */
export function decodeMembership(data: Uint8Array): Membership {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch (error) {
    throw new TributaryError('INVALID_REQUEST', 'membership entry is not JSON', { cause: error });
  }
  const fail = (why: string): never => {
    throw new TributaryError('INVALID_REQUEST', `membership entry: ${why}`);
  };
  if (typeof parsed !== 'object' || parsed === null) return fail('not an object');
  const record = parsed as Record<string, unknown>;
  const keys = Object.keys(record).sort().join(',');
  if (keys !== 'addresses,learners,voters') return fail(`unexpected fields ${keys}`);
  const voters = idList(record.voters, 'voters', fail);
  const learners = idList(record.learners, 'learners', fail);
  if (voters.length === 0) fail('no voters');
  const all = [...voters, ...learners];
  if (new Set(all).size !== all.length) fail('a node is listed twice');
  if (all.length > MEMBERS_MAX) fail(`more than ${MEMBERS_MAX} members`);
  const pairs = record.addresses;
  if (!Array.isArray(pairs) || pairs.length > MEMBERS_MAX) return fail('addresses is not a bounded list');
  const addresses: Record<string, string> = {};
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2) return fail('an address is not an [id, address] pair');
    const [id, address] = pair as [unknown, unknown];
    if (typeof id !== 'number' || !all.includes(id as NodeId)) fail(`address for a non-member ${String(id)}`);
    if (typeof address !== 'string' || !validAddress(address)) fail(`invalid address for node ${String(id)}`);
    addresses[String(id)] = address as string;
  }
  return { voters, learners, addresses };
}

function idList(value: unknown, field: string, fail: (why: string) => never): NodeId[] {
  if (!Array.isArray(value) || value.length > MEMBERS_MAX) return fail(`${field} is not a bounded list`);
  return value.map((v: unknown) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff_ffff) {
      return fail(`${field} holds an invalid node id`);
    }
    return nodeId(v);
  });
}

/**
 * The membership entries in a node's log after its snapshot: the configuration in force is the last one.
 * Truncating a conflicting suffix drops the entries it held; entries at or below the applied index are
 * pruned down to the last one (nothing below applied can be truncated or asked for again).
 */
export class MembershipHistory {
  /** Ascending by index; never empty: the first is the snapshot's (or the bootstrap) membership. */
  private configs: { index: LogIndex; membership: Membership }[];

  constructor(baseIndex: LogIndex, base: Membership) {
    this.configs = [{ index: baseIndex, membership: base }];
  }

  latest(): Membership {
    return this.last().membership;
  }

  latestIndex(): LogIndex {
    return this.last().index;
  }

  /**
   * The membership in force once the log holds exactly the entries up to `index`; null below the oldest
   * one kept (pruned, or replaced by a snapshot from the leader that the shell has not installed yet).
   */
  at(index: LogIndex): Membership | null {
    const first = this.configs[0];
    assert(first !== undefined, 'the membership history is never empty');
    if (index < first.index) return null;
    let found = first.membership;
    for (const c of this.configs) if (c.index <= index) found = c.membership;
    return found;
  }

  append(index: LogIndex, membership: Membership): void {
    assert(index > this.last().index, () => `membership entry ${index} is not after ${this.last().index}`);
    assert(this.configs.length < 1_000_000, 'membership history is unbounded: is prune() called?');
    this.configs.push({ index, membership });
  }

  /** Entries from `index` on were replaced by the leader's: forget their memberships. */
  truncateFrom(index: LogIndex): void {
    const first = this.configs[0];
    assert(first !== undefined && index > first.index, () => `truncating at ${index} below the base`);
    this.configs = this.configs.filter((c) => c.index < index);
  }

  /** A snapshot replaced the log: its membership is the only one. */
  reset(index: LogIndex, membership: Membership): void {
    this.configs = [{ index, membership }];
  }

  /** Keeps only the last membership at or below `applied` (the oldest one still asked for) and later ones. */
  prune(applied: LogIndex): void {
    let keepFrom = 0;
    for (let k = 0; k < this.configs.length; k++) {
      if ((this.configs[k]?.index ?? logIndex(0)) <= applied) keepFrom = k;
    }
    if (keepFrom > 0) this.configs = this.configs.slice(keepFrom);
  }

  private last(): { index: LogIndex; membership: Membership } {
    const last = this.configs[this.configs.length - 1];
    assert(last !== undefined, 'the membership history is never empty');
    return last;
  }
}
