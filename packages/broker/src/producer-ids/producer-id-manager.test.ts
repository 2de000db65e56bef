import { ManualClock, TributaryError } from '@tributary/core';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type ProducerIdBlock, ProducerIdManager } from './producer-id-manager.js';

const logger = pino({ level: 'silent' });
const BLOCK = 1000;

/** A controller stand-in: consecutive blocks, answered a tick later; failures injected by call number. */
class FakeAllocator {
  calls = 0;
  deadlines: number[] = [];
  private next = 0;
  constructor(private readonly failOn: ReadonlySet<number> = new Set()) {}

  allocate = async (deadlineMs: number): Promise<ProducerIdBlock> => {
    this.calls++;
    this.deadlines.push(deadlineMs);
    const call = this.calls;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failOn.has(call)) throw new TributaryError('NOT_CONTROLLER', `call ${call} refused`);
    const block = { firstProducerId: this.next, count: BLOCK };
    this.next += BLOCK;
    return block;
  };
}

function manager(allocator: FakeAllocator, clock = new ManualClock(0)): ProducerIdManager {
  return new ProducerIdManager({
    allocate: allocator.allocate,
    clock,
    logger,
    sleep: async () => {},
  });
}

/** Lets background work (a prefetch) run to completion. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('ProducerIdManager', () => {
  it('hands out the ids of a block in order and prefetches the next at 90%', async () => {
    const allocator = new FakeAllocator();
    const ids = manager(allocator);
    const first: number[] = [];
    for (let i = 0; i < 899; i++) first.push(await ids.generateProducerId());
    expect(first).toEqual(Array.from({ length: 899 }, (_, i) => i));
    await settle();
    expect(allocator.calls).toBe(1);
    expect(await ids.generateProducerId()).toBe(899);
    await settle();
    expect(allocator.calls).toBe(2);
    for (let i = 900; i < 1000; i++) await ids.generateProducerId();
    // The prefetched block takes over without another call.
    expect(await ids.generateProducerId()).toBe(1000);
    expect(allocator.calls).toBe(2);
  });

  it('gives 2,500 concurrent callers distinct ids from 3 blocks', async () => {
    const allocator = new FakeAllocator();
    const ids = manager(allocator);
    const results = await Promise.all(Array.from({ length: 2_500 }, () => ids.generateProducerId()));
    expect(new Set(results).size).toBe(2_500);
    expect(Math.min(...results)).toBe(0);
    expect(Math.max(...results)).toBe(2_499);
    await settle();
    expect(allocator.calls).toBe(3);
  });

  it('retries a failed allocation a bounded number of times, then answers a retriable error', async () => {
    const retried = new FakeAllocator(new Set([1, 2]));
    expect(await manager(retried).generateProducerId()).toBe(0);
    expect(retried.calls).toBe(3);

    const down = new FakeAllocator(new Set([1, 2, 3]));
    const ids = manager(down);
    const error = await ids.generateProducerId().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TributaryError);
    expect((error as TributaryError).code).toBe('COORDINATOR_NOT_AVAILABLE');
    expect((error as TributaryError).retriable).toBe(true);
    expect((error as TributaryError).message).toContain('call 3 refused');
    expect(down.calls).toBe(3);
    // The next request tries again (and succeeds once the controller answers).
    expect(await ids.generateProducerId()).toBe(0);
    expect(down.calls).toBe(4);
  });

  it('stops retrying at the fetch deadline', async () => {
    const clock = new ManualClock(0);
    const calls: number[] = [];
    const ids = new ProducerIdManager({
      allocate: async (deadlineMs) => {
        calls.push(deadlineMs);
        clock.advance(3_000);
        throw new TributaryError('REQUEST_TIMED_OUT', 'no controller');
      },
      clock,
      logger,
      sleep: async () => {},
      allocateTimeoutMs: 5_000,
    });
    const error = await ids.generateProducerId().catch((e: unknown) => e);
    expect((error as TributaryError).code).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(calls).toEqual([5_000, 2_000]);
  });

  it('refuses a block that overlaps one received before', async () => {
    let call = 0;
    const ids = new ProducerIdManager({
      allocate: async () => ({ firstProducerId: call++ === 0 ? 0 : 500, count: BLOCK }),
      clock: new ManualClock(0),
      logger,
      sleep: async () => {},
    });
    // The prefetch at 90% gets the overlapping block (and fails in the background)...
    for (let i = 0; i < BLOCK; i++) await ids.generateProducerId();
    await settle();
    // ...and so does the fetch the next caller waits for: no id of the overlap is ever handed out.
    await expect(ids.generateProducerId()).rejects.toThrow(/overlaps/);
  });
});
