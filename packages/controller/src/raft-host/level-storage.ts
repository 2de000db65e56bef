/**
 * The controller's Raft storage: a MemoryStorage mirror that the core reads synchronously, backed by
 * level so that it survives restarts. Every write that Raft safety depends on goes through one level
 * batch written with `sync: true` (fsync) before the mirror changes: the mirror is always exactly what
 * is durable.
 *
 * Key layout (binary keys, ordered for range scans):
 *   0x01                     hard state      term u64 | voted flag u8 | votedFor u32 | commit u64
 *   0x02                     snapshot        index u64 | term u64 | voter count u32 | voters u32* | data
 *   0x03 | index u64 BE      log entry       term u64 | type u8 | data
 *   0x04                     snapshot membership  the snapshot's membership as a membership entry encodes it
 *                            (written in the same batch as 0x02; absent in stores from before membership
 *                            changes, whose snapshots then have no learners and no addresses)
 * After a restart the log starts after the snapshot (entries kept as a trailing margin before it are
 * dropped; a follower that needs them gets the snapshot instead).
 */
import { assert, type LogIndex, logIndex, type NodeId, nodeId, type Term, term } from '@tributary/core';
import type { Entry, EntryType, HardState, Membership, Ready, Snapshot, Storage } from '@tributary/raft';
import { decodeMembership, encodeMembership, MemoryStorage, snapshotMembership } from '@tributary/raft';
import { Level } from 'level';

const HARD_STATE_KEY = Uint8Array.of(0x01);
const SNAPSHOT_KEY = Uint8Array.of(0x02);
const ENTRY_PREFIX = 0x03;
const SNAPSHOT_MEMBERSHIP_KEY = Uint8Array.of(0x04);
const TWO_32 = 2 ** 32;

type BatchOperation =
  | { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: Uint8Array };

function writeUint64(view: DataView, offset: number, value: number): void {
  assert(Number.isSafeInteger(value) && value >= 0, () => `uint64 out of range: ${value}`);
  view.setUint32(offset, Math.floor(value / TWO_32));
  view.setUint32(offset + 4, value >>> 0);
}

function readUint64(view: DataView, offset: number): number {
  return view.getUint32(offset) * TWO_32 + view.getUint32(offset + 4);
}

/** A plain Uint8Array over the same memory (level's 'view' encoding may hand back Buffers). */
function plain(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function entryKey(index: number): Uint8Array {
  const key = new Uint8Array(9);
  key[0] = ENTRY_PREFIX;
  writeUint64(viewOf(key), 1, index);
  return key;
}

export function encodeHardState(hardState: HardState): Uint8Array {
  const out = new Uint8Array(21);
  const view = viewOf(out);
  writeUint64(view, 0, hardState.term);
  view.setUint8(8, hardState.votedFor === null ? 0 : 1);
  view.setUint32(9, hardState.votedFor ?? 0);
  writeUint64(view, 13, hardState.commit);
  return out;
}

export function decodeHardState(bytes: Uint8Array): HardState {
  assert(bytes.length === 21, () => `hard state of ${bytes.length} bytes`);
  const view = viewOf(bytes);
  return {
    term: term(readUint64(view, 0)),
    votedFor: view.getUint8(8) === 0 ? null : nodeId(view.getUint32(9)),
    commit: logIndex(readUint64(view, 13)),
  };
}

const ENTRY_TYPES: readonly EntryType[] = ['normal', 'leader-change', 'membership'];

export function encodeEntry(entry: Entry): Uint8Array {
  const out = new Uint8Array(9 + entry.data.length);
  const view = viewOf(out);
  writeUint64(view, 0, entry.term);
  view.setUint8(8, ENTRY_TYPES.indexOf(entry.type));
  out.set(entry.data, 9);
  return out;
}

export function decodeEntry(index: number, bytes: Uint8Array): Entry {
  assert(bytes.length >= 9, () => `entry ${index} of ${bytes.length} bytes`);
  const view = viewOf(bytes);
  const type = ENTRY_TYPES[view.getUint8(8)];
  assert(type !== undefined, () => `entry ${index} has unknown type ${view.getUint8(8)}`);
  return { index: logIndex(index), term: term(readUint64(view, 0)), type, data: plain(bytes.subarray(9)) };
}

export function encodeSnapshot(snapshot: Snapshot): Uint8Array {
  const voters = snapshot.meta.voters;
  const header = 20 + 4 * voters.length;
  const out = new Uint8Array(header + snapshot.data.length);
  const view = viewOf(out);
  writeUint64(view, 0, snapshot.meta.index);
  writeUint64(view, 8, snapshot.meta.term);
  view.setUint32(16, voters.length);
  for (const [i, voter] of voters.entries()) view.setUint32(20 + 4 * i, voter);
  out.set(snapshot.data, header);
  return out;
}

export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  const view = viewOf(bytes);
  const count = view.getUint32(16);
  const voters: NodeId[] = [];
  for (let i = 0; i < count; i++) voters.push(nodeId(view.getUint32(20 + 4 * i)));
  return {
    meta: {
      index: logIndex(readUint64(view, 0)),
      term: term(readUint64(view, 8)),
      voters,
      learners: [],
      addresses: {},
    },
    data: plain(bytes.subarray(20 + 4 * count)),
  };
}

type Db = Level<Uint8Array, Uint8Array>;

/** The batch operations that store a snapshot and its membership together. */
function snapshotOps(snapshot: Snapshot): BatchOperation[] {
  const ops: BatchOperation[] = [{ type: 'put', key: SNAPSHOT_KEY, value: encodeSnapshot(snapshot) }];
  const membership = snapshotMembership(snapshot);
  // A snapshot without voters keeps no membership: never leave an older snapshot's beside it.
  if (membership === null) ops.push({ type: 'del', key: SNAPSHOT_MEMBERSHIP_KEY });
  else ops.push({ type: 'put', key: SNAPSHOT_MEMBERSHIP_KEY, value: encodeMembership(membership) });
  return ops;
}

export class LevelRaftStorage implements Storage {
  private closed = false;

  private constructor(
    private readonly db: Db,
    private readonly mirror: MemoryStorage,
  ) {}

  /** Opens (creating if needed) the store in `dir`; `voters` seed a fresh store's initial snapshot. */
  static async open(dir: string, voters: readonly NodeId[]): Promise<LevelRaftStorage> {
    const db: Db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    try {
      const mirror = new MemoryStorage(voters);
      const snapshotBytes = await db.get(SNAPSHOT_KEY);
      if (snapshotBytes !== undefined) {
        const snapshot = decodeSnapshot(snapshotBytes);
        const membershipBytes = await db.get(SNAPSHOT_MEMBERSHIP_KEY);
        const meta =
          membershipBytes === undefined
            ? snapshot.meta
            : { ...snapshot.meta, ...decodeMembership(plain(membershipBytes)) };
        mirror.applySnapshot({ meta, data: snapshot.data });
      }
      const hardStateBytes = await db.get(HARD_STATE_KEY);
      if (hardStateBytes !== undefined) mirror.setHardState(decodeHardState(hardStateBytes));
      const entries: Entry[] = [];
      const from = mirror.snapshot().meta.index;
      for await (const [key, value] of db.iterator({
        gt: entryKey(from),
        lt: entryKey(Number.MAX_SAFE_INTEGER),
      })) {
        const index = readUint64(viewOf(key), 1);
        const expected = from + entries.length + 1;
        assert(index === expected, () => `level log has a gap: found ${index}, expected ${expected}`);
        entries.push(decodeEntry(index, value));
      }
      mirror.append(entries);
      return new LevelRaftStorage(db, mirror);
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  initialState(): { readonly hardState: HardState; readonly membership: Membership | null } {
    return this.mirror.initialState();
  }
  entries(lo: LogIndex, hi: LogIndex, maxBytes: number): readonly Entry[] {
    return this.mirror.entries(lo, hi, maxBytes);
  }
  term(i: LogIndex): Term {
    return this.mirror.term(i);
  }
  firstIndex(): LogIndex {
    return this.mirror.firstIndex();
  }
  lastIndex(): LogIndex {
    return this.mirror.lastIndex();
  }
  snapshot(): Snapshot {
    return this.mirror.snapshot();
  }
  hardState(): HardState {
    return this.mirror.currentHardState();
  }

  /**
   * Makes a Ready's snapshot, entries and hard state durable in ONE synced batch, then updates the
   * mirror. Must complete before the Ready's messages are sent.
   */
  async persist(ready: Pick<Ready, 'snapshot' | 'entries' | 'hardState'>): Promise<void> {
    const ops: BatchOperation[] = [];
    let first: number = this.mirror.firstIndex();
    let last: number = this.mirror.lastIndex();
    const snapshot = ready.snapshot;
    if (snapshot !== null && snapshot.meta.index > this.mirror.snapshot().meta.index) {
      ops.push(...snapshotOps(snapshot));
      // Applying a snapshot replaces the whole log.
      for (let i = first; i <= last; i++) ops.push({ type: 'del', key: entryKey(i) });
      first = snapshot.meta.index + 1;
      last = snapshot.meta.index;
    }
    const live = ready.entries.filter((entry) => entry.index >= first);
    const start = live[0];
    if (start !== undefined) {
      const end = start.index + live.length - 1;
      for (const entry of live)
        ops.push({ type: 'put', key: entryKey(entry.index), value: encodeEntry(entry) });
      // A replaced suffix longer than the new entries: delete its tail.
      for (let i = end + 1; i <= last; i++) ops.push({ type: 'del', key: entryKey(i) });
    }
    if (ready.hardState !== null) {
      ops.push({ type: 'put', key: HARD_STATE_KEY, value: encodeHardState(ready.hardState) });
    }
    if (ops.length > 0) await this.write(ops);
    if (snapshot !== null) this.mirror.applySnapshot(snapshot);
    this.mirror.append(ready.entries);
    if (ready.hardState !== null) this.mirror.setHardState(ready.hardState);
  }

  /**
   * Records a snapshot of the applied state at `index` and drops log entries up to `compactIndex`
   * (<= index; the entries in between stay as a margin for slightly-behind followers), in one synced batch.
   */
  async snapshotAndCompact(options: {
    readonly index: LogIndex;
    readonly data: Uint8Array;
    /** The membership as of `index` (RaftNode.membershipAt), not the possibly newer current one. */
    readonly membership: Membership;
    readonly compactIndex: LogIndex;
  }): Promise<Snapshot> {
    const { index, data, membership, compactIndex } = options;
    assert(compactIndex <= index, () => `compact at ${compactIndex} past snapshot ${index}`);
    const current = this.mirror.snapshot();
    if (index <= current.meta.index) return current;
    const { voters, learners, addresses } = membership;
    const meta = {
      index,
      term: this.mirror.term(index),
      voters: [...voters],
      learners: [...learners],
      addresses,
    };
    const snapshot: Snapshot = { meta, data };
    const ops: BatchOperation[] = snapshotOps(snapshot);
    for (let i = this.mirror.firstIndex(); i <= compactIndex; i++)
      ops.push({ type: 'del', key: entryKey(i) });
    await this.write(ops);
    this.mirror.createSnapshot(index, data, membership);
    this.mirror.compact(compactIndex);
    return this.mirror.snapshot();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }

  private async write(ops: BatchOperation[]): Promise<void> {
    assert(!this.closed, 'write to a closed raft storage');
    // classic-level's WriteOptions add `sync`; the universal `level` typings do not declare it.
    const options = { sync: true } as Record<string, unknown>;
    await this.db.batch(ops, options);
  }
}
