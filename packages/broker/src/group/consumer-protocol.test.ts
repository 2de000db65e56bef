/**
 * The "consumer" protocol's embedded formats against bytes captured from a real client (KafkaJS 2.2.4,
 * testdata/consumer-protocol-kafkajs.json), round trips, and defensive decoding (malformed or
 * over-limit bytes decode to null and never throw). Also the gRPC description of a classic group,
 * which decodes them.
 */
import { readFileSync } from 'node:fs';
import { SeededRandom } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { grpcGroupDescription } from './classic-describe.js';
import {
  decodeConsumerAssignment,
  decodeConsumerSubscription,
  encodeConsumerAssignment,
  encodeConsumerSubscription,
} from './consumer-protocol.js';
import { GROUP_LIMITS } from './limits.js';

interface Golden {
  readonly hex: string;
  readonly topics?: string[];
  readonly partitions?: Record<string, number[]>;
}

const golden: Record<string, Golden> = JSON.parse(
  readFileSync(new URL('./testdata/consumer-protocol-kafkajs.json', import.meta.url), 'utf8'),
);

function goldenOf(name: string): { bytes: Buffer; entry: Golden } {
  const entry = golden[name];
  if (entry === undefined) throw new Error(`no golden ${name}`);
  return { bytes: Buffer.from(entry.hex, 'hex'), entry };
}

const asMap = (partitions: Record<string, number[]> | undefined) => new Map(Object.entries(partitions ?? {}));

describe('consumer protocol', () => {
  it.each(['subscriptionV0', 'subscriptionV1WithUserData'])('decodes KafkaJS’s %s', (name) => {
    const { bytes, entry } = goldenOf(name);
    expect(decodeConsumerSubscription(bytes)).toEqual(entry.topics);
  });

  it.each(['assignmentV0', 'assignmentV1WithEmptyUserData', 'emptyAssignmentV0'])(
    'decodes KafkaJS’s %s',
    (name) => {
      const { bytes, entry } = goldenOf(name);
      expect(decodeConsumerAssignment(bytes)).toEqual(asMap(entry.partitions));
    },
  );

  it('encodes version 0 byte for byte as KafkaJS does', () => {
    const subscription = goldenOf('subscriptionV0');
    expect(encodeConsumerSubscription(subscription.entry.topics ?? []).toString('hex')).toBe(
      subscription.entry.hex,
    );
    for (const name of ['assignmentV0', 'emptyAssignmentV0']) {
      const assignment = goldenOf(name);
      expect(encodeConsumerAssignment(asMap(assignment.entry.partitions)).toString('hex')).toBe(
        assignment.entry.hex,
      );
    }
  });

  it('refuses malformed and over-limit bytes with null', () => {
    const valid = goldenOf('assignmentV0').bytes;
    for (let cut = 0; cut < valid.length - 4; cut++) {
      expect(decodeConsumerAssignment(valid.subarray(0, cut)), `cut at ${cut}`).toBeNull();
    }
    const negativeVersion = Buffer.from(valid);
    negativeVersion.writeInt16BE(-1, 0);
    expect(decodeConsumerAssignment(negativeVersion)).toBeNull();
    const huge = Buffer.alloc(10);
    huge.writeInt32BE(GROUP_LIMITS.partitionsPerRequestMax + 1, 2);
    expect(decodeConsumerAssignment(huge)).toBeNull();
    const manyTopics = Buffer.alloc(10);
    manyTopics.writeInt32BE(GROUP_LIMITS.subscribedTopicsMax + 1, 2);
    expect(decodeConsumerSubscription(manyTopics)).toBeNull();
  });

  it('never throws on random bytes (seeded)', () => {
    const random = new SeededRandom(7);
    for (let i = 0; i < 2_000; i++) {
      const bytes = Buffer.from(Array.from({ length: random.int(0, 40) }, () => random.int(0, 256)));
      expect(() => decodeConsumerAssignment(bytes)).not.toThrow();
      expect(() => decodeConsumerSubscription(bytes)).not.toThrow();
    }
  });
});

describe('grpcGroupDescription', () => {
  it('shows a classic group’s members with topics and partitions decoded from the consumer protocol', () => {
    const member = {
      memberId: 'm-1',
      groupInstanceId: 'i-1',
      clientId: 'rdkafka',
      clientHost: '/10.0.0.1',
      metadata: goldenOf('subscriptionV1WithUserData').bytes,
      assignment: goldenOf('assignmentV0').bytes,
    };
    const classic = {
      groupId: 'g',
      state: 'Stable' as const,
      generationId: 4,
      protocolType: 'consumer',
      protocolName: 'range',
      leaderId: 'm-1',
      members: [member],
    };
    expect(grpcGroupDescription({ description: null, classic, offsets: [] })).toEqual({
      state: 'Stable',
      groupEpoch: 4,
      assignor: 'range',
      protocolType: 'consumer',
      groupType: 'classic',
      members: [
        {
          memberId: 'm-1',
          clientId: 'rdkafka',
          memberEpoch: 4,
          subscribedTopics: ['orders', 'payments'],
          assignment: [
            { topic: 'orders', partitions: [0, 2] },
            { topic: 'payments', partitions: [1] },
          ],
          pendingRevocation: [],
          groupInstanceId: 'i-1',
          clientHost: '/10.0.0.1',
        },
      ],
    });
    const connect = { ...classic, protocolType: 'connect' };
    const described = grpcGroupDescription({ description: null, classic: connect, offsets: [] });
    expect(described.members[0]).toMatchObject({ subscribedTopics: [], assignment: [] });
    expect(grpcGroupDescription({ description: null, classic: null, offsets: [] })).toMatchObject({
      state: 'Empty',
      protocolType: '',
      groupType: 'classic',
      members: [],
    });
  });
});
