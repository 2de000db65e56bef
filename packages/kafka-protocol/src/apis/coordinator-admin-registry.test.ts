/**
 * The group-coordinator and admin APIs are registered under Kafka's keys with exactly the versions
 * this codec implements and Kafka's first flexible version (from each message's "flexibleVersions").
 */
import { describe, expect, it } from 'vitest';
import { KAFKA_APIS } from './index.js';

const EXPECTED: readonly (readonly [
  name: string,
  key: number,
  min: number,
  max: number,
  firstFlexible: number | null,
])[] = [
  ['OffsetCommit', 8, 0, 8, 8],
  ['OffsetFetch', 9, 0, 8, 6],
  ['FindCoordinator', 10, 0, 4, 3],
  ['JoinGroup', 11, 0, 7, 6],
  ['Heartbeat', 12, 0, 4, 4],
  ['LeaveGroup', 13, 0, 4, 4],
  ['SyncGroup', 14, 0, 5, 4],
  ['DescribeGroups', 15, 0, 5, 5],
  ['ListGroups', 16, 0, 4, 3],
  ['CreateTopics', 19, 0, 7, 5],
  ['DeleteTopics', 20, 0, 6, 4],
  ['DescribeConfigs', 32, 0, 4, 4],
  ['AlterConfigs', 33, 0, 2, 2],
  ['CreatePartitions', 37, 0, 3, 2],
  ['DeleteGroups', 42, 0, 2, 2],
  ['IncrementalAlterConfigs', 44, 0, 1, 1],
  ['OffsetDelete', 47, 0, 0, null],
];

describe('the registry', () => {
  for (const [name, key, min, max, firstFlexible] of EXPECTED) {
    it(`${name} is key ${key}, v${min}-${max}, flexible from ${firstFlexible ?? 'never'}`, () => {
      const api = KAFKA_APIS.get(key);
      expect(api?.name).toBe(name);
      expect(api?.versions).toEqual({ min, max });
      const flexible = api?.flexibleVersions;
      if (firstFlexible === null) expect(flexible && flexible.min > flexible.max).toBe(true);
      else expect(flexible).toEqual({ min: firstFlexible, max: Number.POSITIVE_INFINITY });
    });
  }
});
