/**
 * An immutable map with structural sharing: `with()` and `without()` return a new map in O(log n),
 * copying one path of a hash trie and one path of an order trie, and leave the old map valid and
 * unchanged. It implements ReadonlyMap with a native Map's observable behaviour (SameValueZero keys,
 * insertion-order iteration, a key set again keeps its place), so MetadataImage's consumers and the
 * snapshot's record order are unaffected by the switch from copied Maps.
 *
 * Why hand-written: no well-kept persistent-map package (immutable, hamt_plus, …) is installed, and adding
 * one needs an npm install we cannot do right now. It is kept small — string and number keys only — and
 * is checked against a native Map by property tests (persistent-map.test.ts).
 */
import { assert } from '@tributary/core';
import { BitmapNode, Entry, hamtBuild, hamtDelete, hamtGet, hamtSet, hashKey, type MapKey } from './hamt.js';
import { EMPTY_SEQ_TRIE, type SeqTrie, seqBuild, seqDelete, seqEntries, seqSet } from './seq-trie.js';

/**
 * A batch of changes at least 1/BULK_REBUILD_RATIO of the map's size is applied by rebuilding: a bulk
 * build costs a few slots per entry, a path copy a few hundred, so past this ratio rebuilding is cheaper.
 */
const BULK_REBUILD_RATIO = 16;

const EMPTY_HAMT = new BitmapNode<never, never>(0, []);

export class PersistentMap<K extends MapKey, V> implements ReadonlyMap<K, V> {
  static empty<K extends MapKey, V>(): PersistentMap<K, V> {
    return new PersistentMap<K, V>(EMPTY_HAMT, EMPTY_SEQ_TRIE, 0, 0);
  }

  /** `source` itself if it is already persistent, else a bulk-built copy in O(n) (insertion order kept). */
  static from<K extends MapKey, V>(
    source: ReadonlyMap<K, V> | Iterable<readonly [K, V]>,
  ): PersistentMap<K, V> {
    if (source instanceof PersistentMap) return source;
    // A native Map has distinct keys; any other source is deduplicated with Map semantics first.
    return PersistentMap.fromDistinctKeys(source instanceof Map ? source : new Map(source));
  }

  /** A bulk build from entries whose keys must be distinct (a repeat fails an assert): O(n). */
  static fromDistinctKeys<K extends MapKey, V>(source: Iterable<readonly [K, V]>): PersistentMap<K, V> {
    const entries: Entry<K, V>[] = [];
    for (const [key, value] of source) {
      const stored = Object.is(key, -0) ? (0 as K) : key;
      entries.push(new Entry(stored, value, hashKey(stored), entries.length));
    }
    if (entries.length === 0) return PersistentMap.empty();
    return new PersistentMap(hamtBuild(entries, 0), seqBuild(entries), entries.length, entries.length);
  }

  readonly #hamt: BitmapNode<K, V>;
  readonly #order: SeqTrie<K, V>;
  readonly #size: number;
  /** The position the next new key gets. */
  readonly #nextSeq: number;

  private constructor(hamt: BitmapNode<K, V>, order: SeqTrie<K, V>, size: number, nextSeq: number) {
    this.#hamt = hamt;
    this.#order = order;
    this.#size = size;
    this.#nextSeq = nextSeq;
  }

  get size(): number {
    return this.#size;
  }

  get(key: K): V | undefined {
    return hamtGet(this.#hamt, hashKey(key), key)?.value;
  }

  has(key: K): boolean {
    return hamtGet(this.#hamt, hashKey(key), key) !== undefined;
  }

  /** This map with `key` set to `value`; a key already present keeps its place in iteration order. */
  with(key: K, value: V): PersistentMap<K, V> {
    const hash = hashKey(key);
    const old = hamtGet(this.#hamt, hash, key);
    if (old !== undefined && Object.is(old.value, value)) return this;
    // As Map.prototype.set does, store the key -0 as +0 (one key under SameValueZero).
    const stored = Object.is(key, -0) ? (0 as K) : key;
    const entry = new Entry(stored, value, hash, old?.seq ?? this.#nextSeq);
    return new PersistentMap(
      hamtSet(this.#hamt, 0, entry),
      seqSet(this.#order, entry),
      this.#size + (old === undefined ? 1 : 0),
      old === undefined ? this.#nextSeq + 1 : this.#nextSeq,
    );
  }

  /** This map without `key` (itself when the key is absent). */
  without(key: K): PersistentMap<K, V> {
    const hash = hashKey(key);
    const old = hamtGet(this.#hamt, hash, key);
    if (old === undefined) return this;
    if (this.#size === 1) return PersistentMap.empty();
    const hamt = hamtDelete(this.#hamt, 0, hash, key);
    // At the root (shift 0) hamtDelete never collapses a node into its child, and the map is not empty.
    assert(hamt instanceof BitmapNode, 'PersistentMap: the HAMT root collapsed');
    return new PersistentMap(hamt, seqDelete(this.#order, old.seq), this.#size - 1, this.#nextSeq);
  }

  /**
   * This map with the `removed` keys deleted and then the `set` entries set — what the same without()
   * and with() calls give. When the change is large next to the map (one delta creating a 100,000-partition
   * topic, or loading a snapshot), it rebuilds in bulk instead: O(n + changes), which is then O(changes).
   */
  withChanges(set: Iterable<readonly [K, V]>, removed: Iterable<K> = []): PersistentMap<K, V> {
    const sets = [...set];
    const removals = [...removed];
    if ((sets.length + removals.length) * BULK_REBUILD_RATIO < this.#size) {
      let map: PersistentMap<K, V> = this;
      for (const key of removals) map = map.without(key);
      for (const [key, value] of sets) map = map.with(key, value);
      return map;
    }
    const draft = new Map<K, V>(this);
    for (const key of removals) draft.delete(key);
    for (const [key, value] of sets) draft.set(key, value);
    return PersistentMap.from(draft);
  }

  /** Where `key` stands in iteration order (earlier keys have smaller positions), or undefined if absent. */
  positionOf(key: K): number | undefined {
    return hamtGet(this.#hamt, hashKey(key), key)?.seq;
  }

  *entries(): Generator<[K, V], undefined, unknown> {
    for (const entry of seqEntries(this.#order)) yield [entry.key, entry.value];
    return undefined;
  }

  *keys(): Generator<K, undefined, unknown> {
    for (const entry of seqEntries(this.#order)) yield entry.key;
    return undefined;
  }

  *values(): Generator<V, undefined, unknown> {
    for (const entry of seqEntries(this.#order)) yield entry.value;
    return undefined;
  }

  [Symbol.iterator](): Generator<[K, V], undefined, unknown> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const entry of seqEntries(this.#order)) callback.call(thisArg, entry.value, entry.key, this);
  }

  /**
   * "[object Map]", as for a native Map: deep-equality helpers (vitest's toEqual) then compare two
   * PersistentMaps as maps — by key, ignoring order — exactly as they compared the Maps this replaced.
   */
  get [Symbol.toStringTag](): string {
    return 'Map';
  }
}
