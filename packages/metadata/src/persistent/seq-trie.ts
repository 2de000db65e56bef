/**
 * The order half of PersistentMap: a sparse 32-way trie from insertion position (seq) to entry, so that
 * iteration runs in insertion order as a native Map's does. Positions only grow; a deleted position leaves
 * a hole, and a node whose slots are all holes is dropped, so the trie holds O(size × depth) nodes however
 * many positions were ever handed out. Like the HAMT, nodes are immutable and updates copy one path.
 */
import { assert } from '@tributary/core';
import { Entry, type MapKey } from './hamt.js';
import { persistentMapStats } from './stats.js';

const WIDTH = 32;

type SeqChild<K extends MapKey, V> = SeqNode<K, V> | Entry<K, V> | undefined;

export class SeqNode<K extends MapKey, V> {
  constructor(
    readonly children: readonly SeqChild<K, V>[],
    /** Slots that are not holes; a node with none is never kept. */
    readonly used: number,
  ) {}
}

/** A trie of `height` levels covers positions [0, 32^height); an empty one has no root. */
export interface SeqTrie<K extends MapKey, V> {
  readonly root: SeqNode<K, V> | undefined;
  readonly height: number;
}

export const EMPTY_SEQ_TRIE: SeqTrie<never, never> = { root: undefined, height: 1 };

function digit(seq: number, level: number): number {
  return Math.floor(seq / WIDTH ** level) % WIDTH;
}

function copyChildren<K extends MapKey, V>(node: SeqNode<K, V> | undefined): SeqChild<K, V>[] {
  persistentMapStats.slotsCopied += WIDTH;
  return node === undefined ? new Array<SeqChild<K, V>>(WIDTH).fill(undefined) : node.children.slice();
}

function inner<K extends MapKey, V>(child: SeqChild<K, V>): SeqNode<K, V> | undefined {
  assert(!(child instanceof Entry), 'seq trie: an entry above the leaf level');
  return child;
}

function setAt<K extends MapKey, V>(
  node: SeqNode<K, V> | undefined,
  level: number,
  entry: Entry<K, V>,
): SeqNode<K, V> {
  const at = digit(entry.seq, level);
  const children = copyChildren(node);
  const old = children[at];
  children[at] = level === 0 ? entry : setAt(inner(old), level - 1, entry);
  return new SeqNode(children, (node?.used ?? 0) + (old === undefined ? 1 : 0));
}

function deleteAt<K extends MapKey, V>(
  node: SeqNode<K, V>,
  level: number,
  seq: number,
): SeqNode<K, V> | undefined {
  const at = digit(seq, level);
  const old = node.children[at];
  assert(old !== undefined, () => `seq trie: no entry at position ${seq}`);
  let replacement: SeqNode<K, V> | undefined;
  if (level > 0) {
    const child = inner(old);
    assert(child !== undefined, 'seq trie: checked above');
    replacement = deleteAt(child, level - 1, seq);
  }
  const used = node.used - (replacement === undefined ? 1 : 0);
  if (used === 0) return undefined;
  const children = copyChildren(node);
  children[at] = replacement;
  return new SeqNode(children, used);
}

/** The trie with `entry` at position entry.seq (added, or replacing the entry there). */
export function seqSet<K extends MapKey, V>(trie: SeqTrie<K, V>, entry: Entry<K, V>): SeqTrie<K, V> {
  let { root, height } = trie;
  while (entry.seq >= WIDTH ** height) {
    if (root !== undefined) {
      const children = copyChildren<K, V>(undefined);
      children[0] = root;
      root = new SeqNode(children, 1);
    }
    height++;
  }
  return { root: setAt(root, height - 1, entry), height };
}

export function seqDelete<K extends MapKey, V>(trie: SeqTrie<K, V>, seq: number): SeqTrie<K, V> {
  assert(trie.root !== undefined, 'seq trie: delete from an empty trie');
  return { root: deleteAt(trie.root, trie.height - 1, seq), height: trie.height };
}

/** A trie of `entries`, whose seqs must be 0, 1, 2, …: leaves filled 32 at a time, then each level above. */
export function seqBuild<K extends MapKey, V>(entries: readonly Entry<K, V>[]): SeqTrie<K, V> {
  if (entries.length === 0) return EMPTY_SEQ_TRIE;
  assert(entries.at(-1)?.seq === entries.length - 1, 'seq trie: bulk build needs positions 0..n-1');
  let level: readonly SeqChild<K, V>[] = entries;
  let height = 0;
  do {
    const parents: SeqNode<K, V>[] = [];
    for (let start = 0; start < level.length; start += WIDTH) {
      const children = level.slice(start, start + WIDTH);
      persistentMapStats.slotsCopied += WIDTH;
      const used = children.length;
      while (children.length < WIDTH) children.push(undefined);
      parents.push(new SeqNode(children, used));
    }
    level = parents;
    height++;
  } while (level.length > 1);
  return { root: inner(level[0]), height };
}

/** Entries in position order; a stack instead of nested generators keeps each step O(1) amortized. */
export function* seqEntries<K extends MapKey, V>(
  trie: SeqTrie<K, V>,
): Generator<Entry<K, V>, undefined, unknown> {
  if (trie.root === undefined) return undefined;
  const nodes: SeqNode<K, V>[] = [trie.root];
  const positions: number[] = [0];
  for (let top = 0; top >= 0; top = nodes.length - 1) {
    const node = nodes[top];
    const position = positions[top] ?? WIDTH;
    if (node === undefined || position >= WIDTH) {
      nodes.pop();
      positions.pop();
      continue;
    }
    positions[top] = position + 1;
    const child = node.children[position];
    if (child instanceof SeqNode) {
      nodes.push(child);
      positions.push(0);
    } else if (child !== undefined) {
      yield child;
    }
  }
  return undefined;
}
