import { systemClock } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { Idempotence, ProducerSession } from './idempotence.js';
import { lastSequenceOf, PartitionSequences, SEQUENCE_MAX, sequenceAfter } from './sequences.js';
import { afterAppend, checkSequence } from './testing/fake-sequences.js';

describe('sequence numbers (pure)', () => {
  it('wrap from 2^31-1 to 0, also inside one batch', () => {
    expect(sequenceAfter(0, 5)).toBe(5);
    expect(sequenceAfter(SEQUENCE_MAX, 1)).toBe(0);
    expect(sequenceAfter(SEQUENCE_MAX - 1, 3)).toBe(1);
    expect(lastSequenceOf(SEQUENCE_MAX - 1, 3)).toBe(0);
    const sequences = new PartitionSequences(5, SEQUENCE_MAX - 1);
    expect(sequences.reserveOrWait(3, () => undefined)).toBe(true);
    expect(sequences.assign(3).baseSequence).toBe(SEQUENCE_MAX - 1);
    expect(sequences.assign(2).baseSequence).toBe(1);
    expect(sequences.assign(1).baseSequence).toBe(3);
    expect(sequences.nextSequence).toBe(4);
  });

  it("the fake broker's check follows a producer across the wrap and answers a resend as a duplicate", () => {
    const first = { producerEpoch: 0, baseSequence: 0, recordCount: 2 };
    expect(checkSequence(undefined, first)).toEqual({ kind: 'append' });
    expect(checkSequence(undefined, { ...first, baseSequence: 7 })).toMatchObject({
      errorCode: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
    });
    const nearWrap = { producerEpoch: 0, lastSequence: SEQUENCE_MAX - 2, retained: [] };
    const spanning = { producerEpoch: 0, baseSequence: SEQUENCE_MAX - 1, recordCount: 3 };
    expect(checkSequence(nearWrap, spanning)).toEqual({ kind: 'append' });
    const wrapped = afterAppend(nearWrap, spanning, 40);
    expect(wrapped.lastSequence).toBe(0);
    expect(checkSequence(wrapped, spanning)).toEqual({ kind: 'duplicate', baseOffset: 40 });
    expect(checkSequence(wrapped, { producerEpoch: 0, baseSequence: 1, recordCount: 1 })).toEqual({
      kind: 'append',
    });
    expect(checkSequence(wrapped, { producerEpoch: 0, baseSequence: 2, recordCount: 1 })).toMatchObject({
      errorCode: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
    });
    expect(checkSequence({ ...wrapped, producerEpoch: 2 }, { ...first, producerEpoch: 1 })).toMatchObject({
      errorCode: 'INVALID_PRODUCER_EPOCH',
    });
  });

  it('the window spans from the oldest unacknowledged batch, not just the open count', () => {
    const sequences = new PartitionSequences(3);
    expect(sequences.reserveOrWait(3, () => undefined)).toBe(true);
    const [a, b, c] = [sequences.assign(1), sequences.assign(1), sequences.assign(1)];
    let granted = 0;
    expect(sequences.reserveOrWait(1, () => granted++)).toBe(false);
    // b and c acknowledged ahead of a: a resend of a must still find a retained at the broker, so no room yet.
    sequences.settle(b, 'acknowledged');
    sequences.settle(c, 'acknowledged');
    expect(granted).toBe(0);
    expect(sequences.hasEarlierPending(c)).toBe(true);
    sequences.settle(a, 'acknowledged');
    expect(granted).toBe(1);
    expect(sequences.occupied).toBe(1);
  });

  it('an out-of-order answer is worth retrying only while an earlier batch is pending', () => {
    const sequences = new PartitionSequences(5);
    sequences.reserveOrWait(2, () => undefined);
    const first = sequences.assign(4);
    const second = sequences.assign(4);
    expect(second.baseSequence).toBe(4);
    expect(sequences.hasEarlierPending(second)).toBe(true);
    expect(sequences.hasEarlierPending(first)).toBe(false);
    sequences.settle(first, 'failed');
    expect(sequences.hasEarlierPending(second)).toBe(false);
  });

  it('waiters are served first come first served, a large request is not overtaken', () => {
    const sequences = new PartitionSequences(3);
    sequences.reserveOrWait(2, () => undefined);
    const order: string[] = [];
    expect(sequences.reserveOrWait(3, () => order.push('three'))).toBe(false);
    // One slot is free, but the earlier waiter for three comes first.
    expect(sequences.reserveOrWait(1, () => order.push('one'))).toBe(false);
    sequences.unreserve(2);
    expect(order).toEqual(['three']);
    sequences.unreserve(3);
    expect(order).toEqual(['three', 'one']);
  });
});

describe('producer sessions', () => {
  it('fetches the producer id once for concurrent callers and again after a reset', async () => {
    let calls = 0;
    const idempotence = new Idempotence({
      initProducerId: async () => ({ producerId: 100 + calls++, producerEpoch: 0 }),
      windowMax: 5,
      clock: systemClock,
    });
    const deadlineMs = systemClock.nowMs() + 5_000;
    const [a, b] = await Promise.all([
      idempotence.session('t', deadlineMs),
      idempotence.session('t', deadlineMs),
    ]);
    expect(a).toBe(b);
    expect(calls).toBe(1);
    idempotence.reset(a);
    idempotence.reset(a);
    expect(idempotence.resets).toBe(1);
    const c = await idempotence.session('t', deadlineMs);
    expect(c.identity.producerId).toBe(101);
    expect(c.sequences('t', 0).nextSequence).toBe(0);
  });

  it('a send waiting for window room moves to the new session when the old one ends', async () => {
    let calls = 0;
    const idempotence = new Idempotence({
      initProducerId: async () => ({ producerId: calls++, producerEpoch: 0 }),
      windowMax: 1,
      clock: systemClock,
    });
    const deadlineMs = systemClock.nowMs() + 5_000;
    const old = await idempotence.acquire('t', new Map([[0, 1]]), deadlineMs, (session) => session);
    old.sequences('t', 0).assign(1);
    const waiting = idempotence.acquire('t', new Map([[0, 1]]), deadlineMs, (session) => session);
    idempotence.reset(old);
    const next = await waiting;
    expect(next).not.toBe(old);
    expect(next.identity.producerId).toBe(1);
    expect(next.sequences('t', 0).assign(1).baseSequence).toBe(0);
  });

  it('reserving several partitions is all or nothing and bounded by the wait', async () => {
    const session = new ProducerSession({ producerId: 1, producerEpoch: 0 }, 2);
    session.sequences('t', 3).reserveOrWait(2, () => undefined);
    const outcome = await session.reserve(
      't',
      new Map([
        [3, 1],
        [1, 2],
      ]),
      30,
    );
    expect(outcome).toBe('timedOut');
    // Partition 1 was reserved first (ascending order) and given back on the timeout.
    expect(session.sequences('t', 1).occupied).toBe(0);
  });
});
