import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Assignment, EMPTY_ASSIGNMENT, sizeOf, toKeys, toPairs } from './assignment.js';
import {
  ASSIGNOR_NAMES,
  ASSIGNORS,
  type AssignorInput,
  type AssignorMember,
  cooperativeStickyAssignor,
  rangeAssignor,
  roundRobinAssignor,
} from './assignors.js';

const TOPICS = ['a', 'b', 'c'];

function member(
  id: string,
  topics: readonly string[],
  current: Assignment = EMPTY_ASSIGNMENT,
): AssignorMember {
  return { memberId: id, subscribedTopics: topics, currentAssignment: current };
}

/** Every partition of every subscribed topic assigned exactly once, to a subscriber of its topic. */
function checkValid(input: AssignorInput, result: Map<string, Assignment>): void {
  const owners = new Map<string, string>();
  for (const m of input.members) {
    const assignment = result.get(m.memberId);
    expect(assignment, `member ${m.memberId} has an entry`).toBeDefined();
    for (const { topic, partition } of toPairs(assignment ?? EMPTY_ASSIGNMENT)) {
      expect(m.subscribedTopics).toContain(topic);
      expect(partition).toBeLessThan(input.partitionCounts.get(topic) ?? 0);
      const key = `${topic}-${partition}`;
      expect(owners.get(key), `${key} assigned twice`).toBeUndefined();
      owners.set(key, m.memberId);
    }
  }
  for (const [topic, count] of input.partitionCounts) {
    if (!input.members.some((m) => m.subscribedTopics.includes(topic))) continue;
    for (let p = 0; p < count; p++)
      expect(owners.has(`${topic}-${p}`), `${topic}-${p} unassigned`).toBe(true);
  }
}

function spread(result: Map<string, Assignment>): number {
  const sizes = [...result.values()].map(sizeOf);
  return Math.max(...sizes) - Math.min(...sizes);
}

const countsArb = fc
  .tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 }))
  .map(
    ([a, b, c]) =>
      new Map([
        ['a', a],
        ['b', b],
        ['c', c],
      ]),
  );
const subscriptionArb = fc.subarray(TOPICS, { minLength: 1 });
const membersArb = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 });

describe('assignors', () => {
  it('range splits each topic in contiguous ranges, the first members taking the remainder', () => {
    const result = rangeAssignor({
      members: [member('m2', ['a']), member('m1', ['a'])],
      partitionCounts: new Map([['a', 5]]),
    });
    expect(result.get('m1')).toEqual(new Map([['a', [0, 1, 2]]]));
    expect(result.get('m2')).toEqual(new Map([['a', [3, 4]]]));
  });

  it('round-robin deals partitions across topics in turn', () => {
    const result = roundRobinAssignor({
      members: [member('x', ['a', 'b']), member('y', ['a', 'b'])],
      partitionCounts: new Map([
        ['a', 3],
        ['b', 1],
      ]),
    });
    expect(result.get('x')).toEqual(new Map([['a', [0, 2]]]));
    expect(result.get('y')).toEqual(
      new Map([
        ['a', [1]],
        ['b', [0]],
      ]),
    );
  });

  it('cooperative-sticky keeps current owners and moves only what a new member needs', () => {
    const result = cooperativeStickyAssignor({
      members: [
        member('a1', ['a'], new Map([['a', [0, 1, 2]]])),
        member('a2', ['a'], new Map([['a', [3, 4, 5]]])),
        member('a3', ['a']),
      ],
      partitionCounts: new Map([['a', 6]]),
    });
    expect(result.get('a1')).toEqual(new Map([['a', [0, 1]]]));
    expect(result.get('a2')).toEqual(new Map([['a', [3, 4]]]));
    expect(result.get('a3')).toEqual(new Map([['a', [2, 5]]]));
  });

  it('cooperative-sticky drops partitions of topics the member no longer subscribes to', () => {
    const result = cooperativeStickyAssignor({
      members: [member('m', ['b'], new Map([['a', [0]]]))],
      partitionCounts: new Map([
        ['a', 1],
        ['b', 2],
      ]),
    });
    expect(result.get('m')).toEqual(new Map([['b', [0, 1]]]));
  });

  it('every assignor: each partition of a subscribed topic goes to exactly one subscriber', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ASSIGNOR_NAMES),
        membersArb.chain((ids) =>
          fc.tuple(
            fc.constant(ids),
            fc.array(subscriptionArb, { minLength: ids.length, maxLength: ids.length }),
          ),
        ),
        countsArb,
        (name, [ids, subscriptions], partitionCounts) => {
          const members = ids.map((id, i) => member(id, subscriptions[i] ?? ['a']));
          const input = { members, partitionCounts };
          const result = ASSIGNORS[name](input);
          checkValid(input, result);
          expect(ASSIGNORS[name](input)).toEqual(result);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-robin and sticky are balanced when every member subscribes to the same topics', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('round-robin' as const, 'cooperative-sticky' as const),
        membersArb,
        subscriptionArb,
        countsArb,
        (name, ids, topics, partitionCounts) => {
          const result = ASSIGNORS[name]({ members: ids.map((id) => member(id, topics)), partitionCounts });
          expect(spread(result)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sticky, one member added to a balanced group of n: at most ceil(P/(n+1)) partitions move', () => {
    fc.assert(
      fc.property(
        membersArb,
        fc.string({ minLength: 5, maxLength: 6 }),
        subscriptionArb,
        countsArb,
        (ids, newId, topics, partitionCounts) => {
          const before = cooperativeStickyAssignor({
            members: ids.map((id) => member(id, topics)),
            partitionCounts,
          });
          expect(spread(before)).toBeLessThanOrEqual(1);
          const members = ids.map((id) => member(id, topics, before.get(id) ?? EMPTY_ASSIGNMENT));
          const after = cooperativeStickyAssignor({
            members: [...members, member(newId, topics)],
            partitionCounts,
          });
          let moved = 0;
          for (const id of ids) {
            const kept = toKeys(after.get(id) ?? EMPTY_ASSIGNMENT);
            for (const key of toKeys(before.get(id) ?? EMPTY_ASSIGNMENT)) if (!kept.has(key)) moved++;
          }
          const total = topics.reduce((sum, t) => sum + (partitionCounts.get(t) ?? 0), 0);
          expect(moved).toBeLessThanOrEqual(Math.ceil(total / (ids.length + 1)));
          expect(spread(after)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sticky, a member leaves: the others keep everything they had', () => {
    fc.assert(
      fc.property(
        membersArb.filter((ids) => ids.length >= 2),
        countsArb,
        (ids, partitionCounts) => {
          const before = cooperativeStickyAssignor({
            members: ids.map((id) => member(id, TOPICS)),
            partitionCounts,
          });
          const stay = ids.slice(1).map((id) => member(id, TOPICS, before.get(id) ?? EMPTY_ASSIGNMENT));
          const after = cooperativeStickyAssignor({ members: stay, partitionCounts });
          for (const m of stay) {
            const now = toKeys(after.get(m.memberId) ?? EMPTY_ASSIGNMENT);
            for (const key of toKeys(m.currentAssignment)) expect(now.has(key)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
