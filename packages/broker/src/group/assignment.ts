/**
 * Assignments as data: topic → sorted partitions. Small helpers shared by the assignors, the group
 * state machine and the service (which turns them into TopicPartitions messages). Pure.
 */

export type Assignment = ReadonlyMap<string, readonly number[]>;

export const EMPTY_ASSIGNMENT: Assignment = new Map();

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Topic names never contain NUL, so the key is unambiguous. */
export function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export function fromKey(key: string): TopicPartition {
  const at = key.lastIndexOf('\u0000');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

export function toKeys(assignment: Assignment): Set<string> {
  const keys = new Set<string>();
  for (const [topic, partitions] of assignment) for (const p of partitions) keys.add(tpKey(topic, p));
  return keys;
}

/** Builds a normalised assignment (topics sorted, partitions sorted and unique, empty topics dropped). */
export function fromPairs(pairs: Iterable<TopicPartition>): Assignment {
  const byTopic = new Map<string, Set<number>>();
  for (const { topic, partition } of pairs) {
    let set = byTopic.get(topic);
    if (set === undefined) {
      set = new Set();
      byTopic.set(topic, set);
    }
    set.add(partition);
  }
  const out = new Map<string, readonly number[]>();
  for (const topic of [...byTopic.keys()].sort()) {
    const set = byTopic.get(topic);
    if (set !== undefined && set.size > 0)
      out.set(
        topic,
        [...set].sort((a, b) => a - b),
      );
  }
  return out;
}

export function fromKeySet(keys: Iterable<string>): Assignment {
  return fromPairs([...keys].map(fromKey));
}

export function toPairs(assignment: Assignment): TopicPartition[] {
  const out: TopicPartition[] = [];
  for (const [topic, partitions] of assignment)
    for (const partition of partitions) out.push({ topic, partition });
  return out;
}

export function sizeOf(assignment: Assignment): number {
  let n = 0;
  for (const partitions of assignment.values()) n += partitions.length;
  return n;
}

export function sameAssignment(a: Assignment, b: Assignment): boolean {
  const keysA = toKeys(a);
  const keysB = toKeys(b);
  if (keysA.size !== keysB.size) return false;
  for (const key of keysA) if (!keysB.has(key)) return false;
  return true;
}

/** For messages: [{topic, partitions}] in topic order. */
export function toTopicPartitions(assignment: Assignment): { topic: string; partitions: number[] }[] {
  return [...assignment].map(([topic, partitions]) => ({ topic, partitions: [...partitions] }));
}
