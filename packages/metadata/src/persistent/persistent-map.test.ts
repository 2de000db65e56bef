import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashKey, type MapKey } from './hamt.js';
import { PersistentMap } from './persistent-map.js';
import { persistentMapStats } from './stats.js';

/** Two distinct strings per pair with equal 32-bit hashes, found by brute force (birthday bound ~2^16). */
function collidingPairs(count: number): [string, string][] {
  const seen = new Map<number, string>();
  const pairs: [string, string][] = [];
  for (let i = 0; pairs.length < count; i++) {
    const key = `k${i}`;
    const hash = hashKey(key);
    const other = seen.get(hash);
    if (other === undefined) seen.set(hash, key);
    else pairs.push([other, key]);
  }
  return pairs;
}

const COLLIDING = collidingPairs(3).flat();
const SPECIAL_KEYS: MapKey[] = [0, -0, Number.NaN, 1.5, -7, 2 ** 40, '', '0', 'orders', ...COLLIDING];

type Op = { kind: 'set'; key: MapKey; value: number } | { kind: 'delete'; key: MapKey };

function opArbitrary(keys: fc.Arbitrary<MapKey>): fc.Arbitrary<Op> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('set' as const), key: keys, value: fc.integer() }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: keys }) },
  );
}

const smallKeys = fc.oneof(fc.constantFrom(...SPECIAL_KEYS), fc.integer({ min: 0, max: 40 }), fc.string());
const manyKeys = fc.oneof(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 3_000 }).map(String));

function applyOp(
  reference: Map<MapKey, number>,
  map: PersistentMap<MapKey, number>,
  op: Op,
): PersistentMap<MapKey, number> {
  if (op.kind === 'set') {
    reference.set(op.key, op.value);
    return map.with(op.key, op.value);
  }
  reference.delete(op.key);
  return map.without(op.key);
}

function expectSame(map: PersistentMap<MapKey, number>, reference: ReadonlyMap<MapKey, number>): void {
  expect(map.size).toBe(reference.size);
  expect([...map]).toEqual([...reference]);
  expect([...map.keys()]).toEqual([...reference.keys()]);
  expect([...map.values()]).toEqual([...reference.values()]);
  for (const [key, value] of reference) {
    expect(map.has(key)).toBe(true);
    expect(map.get(key)).toBe(value);
  }
}

/** Runs `ops` on a PersistentMap and a native Map; checks every version against the Map at that point. */
function checkAgainstMap(ops: readonly Op[], probes: readonly MapKey[]): void {
  const reference = new Map<MapKey, number>();
  let map = PersistentMap.empty<MapKey, number>();
  const versions: { map: PersistentMap<MapKey, number>; entries: [MapKey, number][] }[] = [];
  for (const op of ops) {
    map = applyOp(reference, map, op);
    expectSame(map, reference);
    for (const key of probes) expect(map.has(key)).toBe(reference.has(key));
    versions.push({ map, entries: [...reference] });
  }
  // Older versions are unaffected by everything done after them.
  for (const version of versions) expect([...version.map]).toEqual(version.entries);
  expectSame(PersistentMap.from(reference), reference);
}

describe('PersistentMap against a native Map', () => {
  it('random set/delete sequences over few keys (0/-0, NaN, colliding hashes) keep every version intact', () => {
    expect(hashKey(COLLIDING[0] ?? '')).toBe(hashKey(COLLIDING[1] ?? ''));
    fc.assert(
      fc.property(fc.array(opArbitrary(smallKeys), { maxLength: 200 }), (ops) => {
        checkAgainstMap(ops, SPECIAL_KEYS);
      }),
      { numRuns: 300 },
    );
  });

  it('random sequences over many keys (deep tries, multi-level order trie)', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary(manyKeys), { minLength: 500, maxLength: 3_000 }), (ops) => {
        const reference = new Map<MapKey, number>();
        let map = PersistentMap.empty<MapKey, number>();
        const checkpoints: { map: PersistentMap<MapKey, number>; entries: [MapKey, number][] }[] = [];
        ops.forEach((op, i) => {
          map = applyOp(reference, map, op);
          if (i % 250 === 0) checkpoints.push({ map, entries: [...reference] });
        });
        expectSame(map, reference);
        for (const checkpoint of checkpoints) expect([...checkpoint.map]).toEqual(checkpoint.entries);
      }),
      { numRuns: 30 },
    );
  });

  it('branches: two maps derived from one base diverge without touching the base or each other', () => {
    const base = PersistentMap.from(Array.from({ length: 2_000 }, (_, i): [number, string] => [i, `v${i}`]));
    const left = base.with(5, 'left').without(7).with(5_000, 'new');
    const right = base.without(5).with(7, 'right');
    expect(base.get(5)).toBe('v5');
    expect(base.get(7)).toBe('v7');
    expect(base.has(5_000)).toBe(false);
    expect(base.size).toBe(2_000);
    expect([left.get(5), left.has(7), left.get(5_000), left.size]).toEqual(['left', false, 'new', 2_000]);
    expect([right.has(5), right.get(7), right.size]).toEqual([false, 'right', 1_999]);
    expect([...left.keys()].slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 8]);
  });

  it('behaves as a Map for callers: ReadonlyMap methods, insertion order on re-set, deep equality', () => {
    const map = PersistentMap.empty<string, number>().with('b', 1).with('a', 2).with('b', 3);
    expect([...map]).toEqual([
      ['b', 3],
      ['a', 2],
    ]);
    const seen: string[] = [];
    map.forEach((value, key, self) => {
      seen.push(`${key}=${value}`);
      expect(self).toBe(map);
    });
    expect(seen).toEqual(['b=3', 'a=2']);
    expect(Object.prototype.toString.call(map)).toBe('[object Map]');
    expect(map.with('a', 2)).toBe(map);
    expect(map.without('zzz')).toBe(map);
    expect(PersistentMap.from(map)).toBe(map);
    // Deep equality is by content, as for native Maps: order does not matter, values do.
    const reordered = PersistentMap.empty<string, number>().with('a', 2).with('b', 3);
    expect(reordered).toEqual(map);
    expect(reordered.with('a', 9)).not.toEqual(map);
    expect(map.without('a').without('b').size).toBe(0);
  });

  it('an update copies O(log n) slots, independent of the map size', () => {
    const big = PersistentMap.from(
      Array.from({ length: 100_000 }, (_, i): [string, number] => [`topic-${i}`, i]),
    );
    const before = persistentMapStats.slotsCopied;
    let map = big;
    for (let i = 0; i < 1_000; i++) map = map.with(`new-${i}`, i).without(`topic-${i}`);
    const perUpdate = (persistentMapStats.slotsCopied - before) / 2_000;
    // One HAMT path (<= 7 nodes of <= 32 slots) and one order-trie path (4 levels of 32 slots here).
    expect(perUpdate).toBeLessThan(7 * 32 + 4 * 32);
    expect(map.size).toBe(100_000);
    expect(big.get('topic-0')).toBe(0);
  });
});
