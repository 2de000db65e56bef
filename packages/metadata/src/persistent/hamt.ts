/**
 * A hash array mapped trie (Bagwell, "Ideal Hash Trees", 2001): the key -> entry half of PersistentMap.
 * Nodes are never mutated after construction; an update copies only the nodes on one root-to-leaf path
 * (at most 7 levels of at most 32 slots), so every older root stays valid and shares the rest.
 */
import { assert } from '@tributary/core';
import { persistentMapStats } from './stats.js';

export type MapKey = string | number;

export class Entry<K extends MapKey, V> {
  constructor(
    readonly key: K,
    readonly value: V,
    readonly hash: number,
    /** Insertion position: iteration runs in ascending seq, as a native Map runs in insertion order. */
    readonly seq: number,
  ) {}
}

export class BitmapNode<K extends MapKey, V> {
  constructor(
    /** Bit i set = a child for hash chunk i; children are stored densely in chunk order. */
    readonly bitmap: number,
    readonly children: readonly HamtChild<K, V>[],
  ) {}
}

/** Entries whose full 32-bit hashes are equal (rare: distinct keys, same hash). */
export class CollisionNode<K extends MapKey, V> {
  constructor(
    readonly hash: number,
    readonly entries: readonly Entry<K, V>[],
  ) {}
}

export type HamtChild<K extends MapKey, V> = Entry<K, V> | BitmapNode<K, V> | CollisionNode<K, V>;

const BITS_PER_LEVEL = 5;
const CHUNK_MASK = 0x1f;
/** The last level's shift: it takes hash bits 30 and 31. */
const MAX_SHIFT = 30;

/** Map's SameValueZero: like === except that NaN equals NaN (and 0 equals -0, as === has it). */
export function sameKey(a: MapKey, b: MapKey): boolean {
  // biome-ignore lint/suspicious/noSelfCompare: the NaN test of SameValueZero
  return a === b || (a !== a && b !== b);
}

/** murmur3's finalizer: spreads the bits so that 0, 1, 2, … do not all share their high chunks. */
function mix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

export function hashKey(key: MapKey): number {
  if (typeof key === 'number' && Number.isSafeInteger(key)) {
    const high = Math.floor(key / 0x1_0000_0000);
    return high === 0 ? mix(key | 0) : mix((key | 0) ^ mix(high));
  }
  const text = typeof key === 'number' ? `#${key}` : key; // NaN hashes as "#NaN", equal to itself
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix(h);
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function slot(bitmap: number, bit: number): number {
  return popcount(bitmap & (bit - 1));
}

function copyWith<T>(items: readonly T[], index: number, item: T | undefined, insert: boolean): T[] {
  persistentMapStats.slotsCopied += items.length;
  const copy = items.slice();
  if (insert && item !== undefined) copy.splice(index, 0, item);
  else if (item === undefined) copy.splice(index, 1);
  else copy[index] = item;
  return copy;
}

export function hamtGet<K extends MapKey, V>(
  root: BitmapNode<K, V>,
  hash: number,
  key: K,
): Entry<K, V> | undefined {
  let node: HamtChild<K, V> | undefined = root;
  for (let shift = 0; node instanceof BitmapNode; shift += BITS_PER_LEVEL) {
    const bit = 1 << ((hash >>> shift) & CHUNK_MASK);
    if ((node.bitmap & bit) === 0) return undefined;
    node = node.children[slot(node.bitmap, bit)];
  }
  if (node instanceof CollisionNode) {
    return node.hash === hash ? node.entries.find((entry) => sameKey(entry.key, key)) : undefined;
  }
  return node !== undefined && sameKey(node.key, key) ? node : undefined;
}

/** Two things with different hashes (or two entries with one hash), as the subtree at `shift`. */
function join<K extends MapKey, V>(
  a: Entry<K, V> | CollisionNode<K, V>,
  b: Entry<K, V>,
  shift: number,
): HamtChild<K, V> {
  if (a.hash === b.hash) {
    assert(a instanceof Entry, 'a collision node is joined only with entries of another hash');
    return new CollisionNode(a.hash, [a, b]);
  }
  // Distinct 32-bit hashes differ in some chunk at shift <= 30, so this recursion stops by then.
  const aChunk = (a.hash >>> shift) & CHUNK_MASK;
  const bChunk = (b.hash >>> shift) & CHUNK_MASK;
  if (aChunk === bChunk) return new BitmapNode(1 << aChunk, [join(a, b, shift + BITS_PER_LEVEL)]);
  return new BitmapNode((1 << aChunk) | (1 << bChunk), aChunk < bChunk ? [a, b] : [b, a]);
}

/** `node` with `entry` added, or put in place of the entry with the same key. */
export function hamtSet<K extends MapKey, V>(
  node: BitmapNode<K, V>,
  shift: number,
  entry: Entry<K, V>,
): BitmapNode<K, V> {
  const bit = 1 << ((entry.hash >>> shift) & CHUNK_MASK);
  const index = slot(node.bitmap, bit);
  if ((node.bitmap & bit) === 0) {
    return new BitmapNode(node.bitmap | bit, copyWith(node.children, index, entry, true));
  }
  const child = node.children[index];
  assert(child !== undefined, 'HAMT bitmap and children disagree');
  let replacement: HamtChild<K, V>;
  if (child instanceof BitmapNode) {
    replacement = hamtSet(child, shift + BITS_PER_LEVEL, entry);
  } else if (child instanceof CollisionNode && child.hash === entry.hash) {
    const at = child.entries.findIndex((old) => sameKey(old.key, entry.key));
    const entries = copyWith(child.entries, at < 0 ? child.entries.length : at, entry, at < 0);
    replacement = new CollisionNode(child.hash, entries);
  } else if (child instanceof Entry && sameKey(child.key, entry.key)) {
    replacement = entry;
  } else {
    replacement = join(child, entry, shift + BITS_PER_LEVEL);
  }
  return new BitmapNode(node.bitmap, copyWith(node.children, index, replacement, false));
}

/**
 * `node` without the entry for `key`, which must be present. A non-root node left holding a single
 * entry or collision node is replaced by that child, so deletions keep the trie shallow.
 */
export function hamtDelete<K extends MapKey, V>(
  node: BitmapNode<K, V>,
  shift: number,
  hash: number,
  key: K,
): HamtChild<K, V> | undefined {
  const bit = 1 << ((hash >>> shift) & CHUNK_MASK);
  assert((node.bitmap & bit) !== 0, 'HAMT delete of a missing key');
  const index = slot(node.bitmap, bit);
  const child = node.children[index];
  let replacement: HamtChild<K, V> | undefined;
  if (child instanceof BitmapNode) {
    replacement = hamtDelete(child, shift + BITS_PER_LEVEL, hash, key);
  } else if (child instanceof CollisionNode) {
    const entries = child.entries.filter((entry) => !sameKey(entry.key, key));
    persistentMapStats.slotsCopied += child.entries.length;
    replacement = entries.length === 1 ? entries[0] : new CollisionNode(child.hash, entries);
  }
  const children = copyWith(node.children, index, replacement, false);
  if (children.length === 0) return undefined;
  const only = children[0];
  if (shift > 0 && children.length === 1 && !(only instanceof BitmapNode)) return only;
  return new BitmapNode(replacement === undefined ? node.bitmap & ~bit : node.bitmap, children);
}

/**
 * A trie holding `entries`, built one level at a time rather than one path per key. The keys must be
 * distinct: a repeated key ends up beside itself in a collision bucket, and that fails an assert.
 */
export function hamtBuild<K extends MapKey, V>(
  entries: readonly Entry<K, V>[],
  shift: number,
): BitmapNode<K, V> {
  const buckets: Entry<K, V>[][] = [];
  for (const entry of entries) {
    const chunk = (entry.hash >>> shift) & CHUNK_MASK;
    const bucket = buckets[chunk];
    if (bucket === undefined) buckets[chunk] = [entry];
    else bucket.push(entry);
  }
  let bitmap = 0;
  const children: HamtChild<K, V>[] = [];
  buckets.forEach((bucket, chunk) => {
    bitmap |= 1 << chunk;
    persistentMapStats.slotsCopied += bucket.length;
    children.push(buildChild(bucket, shift + BITS_PER_LEVEL));
  });
  return new BitmapNode(bitmap, children);
}

function buildChild<K extends MapKey, V>(bucket: Entry<K, V>[], shift: number): HamtChild<K, V> {
  const first = bucket[0];
  assert(first !== undefined, 'empty HAMT bucket');
  if (bucket.length === 1) return first;
  if (shift <= MAX_SHIFT) return hamtBuild(bucket, shift);
  // Every hash bit is used up, so these entries share one hash.
  bucket.forEach((entry, i) => {
    assert(!bucket.slice(0, i).some((other) => sameKey(other.key, entry.key)), 'HAMT build: duplicate key');
  });
  return new CollisionNode(first.hash, bucket);
}
