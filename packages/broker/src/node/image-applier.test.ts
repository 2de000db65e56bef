import { brokerEpoch, brokerId, leaderEpoch, partitionEpoch } from '@tributary/core';
import { type MetadataChanges, MetadataImage, type MetadataRecord, replayAll } from '@tributary/metadata';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ImageApplier, unionChanges } from './image-applier.js';

function imageAt(offset: number): MetadataImage {
  return { offset } as unknown as MetadataImage;
}

const NONE: MetadataChanges = {
  brokers: new Set(),
  createdTopics: new Set(),
  removedTopics: new Set(),
  partitions: new Map(),
  configResources: new Set(),
  producerIds: false,
};

/** Changes naming one partition of topic "t" (enough to tell which images' changes were merged). */
function touching(partition: number): MetadataChanges {
  return { ...NONE, partitions: new Map([['t', new Set([partition])]]) };
}

/** An apply that records its calls and holds each until release() is called. */
function gatedApply(): {
  calls: { offset: number; changes: MetadataChanges }[];
  release: (outcome?: Error) => void;
  apply: (image: MetadataImage, changes: MetadataChanges) => Promise<void>;
} {
  const calls: { offset: number; changes: MetadataChanges }[] = [];
  let settle: ((outcome?: Error) => void) | undefined;
  return {
    calls,
    release: (outcome) => settle?.(outcome),
    apply: (image, changes) => {
      calls.push({ offset: image.offset, changes });
      return new Promise<void>((resolve, reject) => {
        settle = (outcome) => (outcome === undefined ? resolve() : reject(outcome));
      });
    },
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

describe('ImageApplier', () => {
  it('applies one image at a time, in order, skipping superseded ones', async () => {
    const gate = gatedApply();
    const applier = new ImageApplier(gate.apply, pino({ level: 'silent' }));
    applier.offer(imageAt(1), touching(1));
    applier.offer(imageAt(2), touching(2));
    applier.offer(imageAt(3), touching(3));
    applier.offer(imageAt(2), touching(9));
    expect(gate.calls.map((call) => call.offset)).toEqual([1]);
    gate.release();
    await tick();
    expect(gate.calls.map((call) => call.offset)).toEqual([1, 3]);
    gate.release();
    await tick();
    expect(applier.appliedOffset).toBe(3);
    applier.offer(imageAt(3), NONE);
    applier.offer(MetadataImage.EMPTY, NONE);
    await applier.close();
    expect(gate.calls.map((call) => call.offset)).toEqual([1, 3]);
  });

  it('gives a coalesced image the union of the changes of every image it skipped', async () => {
    const gate = gatedApply();
    const applier = new ImageApplier(gate.apply, pino({ level: 'silent' }));
    applier.offer(imageAt(1), touching(1));
    applier.offer(imageAt(2), touching(2));
    applier.offer(imageAt(3), touching(3));
    gate.release();
    await tick();
    expect(gate.calls[0]?.changes.partitions.get('t')).toEqual(new Set([1]));
    expect(gate.calls[1]?.changes.partitions.get('t')).toEqual(new Set([2, 3]));
    gate.release();
    await applier.close();
  });

  it('carries the changes of a failed apply into the next one', async () => {
    const gate = gatedApply();
    const applier = new ImageApplier(gate.apply, pino({ level: 'silent' }));
    applier.offer(imageAt(1), touching(1));
    gate.release(new Error('disk full'));
    await tick();
    expect(applier.appliedOffset).toBe(-1);
    applier.offer(imageAt(2), touching(2));
    gate.release();
    await tick();
    expect(gate.calls[1]?.changes.partitions.get('t')).toEqual(new Set([1, 2]));
    expect(applier.appliedOffset).toBe(2);
    await applier.close();
  });

  it('compares a whole image offered without changes with the one offered before', async () => {
    const registered: MetadataRecord = {
      type: 'RegisterBroker',
      brokerId: brokerId(1),
      brokerEpoch: brokerEpoch(1),
      incarnationId: 'inc-1',
      address: '127.0.0.1:1',
      rack: null,
      fenced: false,
    };
    const first = replayAll(MetadataImage.EMPTY, [
      { record: registered, offset: 1 },
      { record: { type: 'Topic', name: 'orders', topicId: 't' }, offset: 2 },
      {
        record: {
          type: 'Partition',
          topicId: 't',
          partition: 0,
          replicas: [brokerId(1)],
          isr: [brokerId(1)],
          leader: brokerId(1),
          leaderEpoch: leaderEpoch(0),
          partitionEpoch: partitionEpoch(0),
        },
        offset: 2,
      },
    ]);
    const gate = gatedApply();
    const applier = new ImageApplier(gate.apply, pino({ level: 'silent' }));
    applier.offer(first);
    gate.release();
    await applier.close();
    expect(gate.calls[0]?.changes.brokers).toEqual(new Set([1]));
    expect(gate.calls[0]?.changes.createdTopics).toEqual(new Set(['t']));
    expect(gate.calls[0]?.changes.partitions.get('t')).toEqual(new Set([0]));
  });
});

describe('unionChanges', () => {
  it('names everything either names', () => {
    const union = unionChanges(
      { ...touching(1), brokers: new Set([brokerId(1)]), createdTopics: new Set(['a']) },
      {
        ...NONE,
        partitions: new Map([
          ['t', new Set([2])],
          ['u', new Set([0])],
        ]),
        removedTopics: new Set(['a']),
        configResources: new Set(['topic:u']),
        producerIds: true,
      },
    );
    expect(union).toEqual({
      brokers: new Set([1]),
      createdTopics: new Set(['a']),
      removedTopics: new Set(['a']),
      partitions: new Map([
        ['t', new Set([1, 2])],
        ['u', new Set([0])],
      ]),
      configResources: new Set(['topic:u']),
      producerIds: true,
    });
  });
});
