/**
 * What a reader sees while an ABORT marker is being appended. A read_committed fetch reads up to the last
 * stable offset and drops the data of the aborted transactions the index lists; so at every moment a
 * transaction is either still open in the producer state (holding the first unstable offset at its first
 * batch) or, once closed by an ABORT, listed in the aborted index. The chaos suite's aborted-read checker
 * found the gap between the two (the state closed the transaction before the index write, which awaits the
 * disk, had listed it); these tests look at the log between every I/O callback of the marker's append.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { encodeControlBatch, encodeRecordBatch } from '@tributary/records';
import { afterEach, describe, expect, it } from 'vitest';
import { PartitionLog } from './partition-log.js';

const PRODUCER_ID = 100;
/** Far more event-loop turns than an append's I/O takes; the loop ends when the append does. */
const TURNS_MAX = 10_000;

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  dirs = [];
});

async function openLog(): Promise<PartitionLog> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-txn-visibility-'));
  dirs.push(dir);
  return PartitionLog.open({ dir, clock: new ManualClock(1_000), config: { segmentBytes: 1 << 20 } });
}

function transactionalBatch(sequence: number, values: readonly string[]): Buffer {
  return encodeRecordBatch({
    producerId: PRODUCER_ID,
    producerEpoch: 0,
    baseSequence: sequence,
    isTransactional: true,
    records: values.map((value) => ({ key: null, value: Buffer.from(value), timestampMs: 1_000 })),
  });
}

function abortMarker(): Buffer {
  return encodeControlBatch({
    producerId: PRODUCER_ID,
    producerEpoch: 0,
    marker: 'abort',
    coordinatorEpoch: 0,
    timestampMs: 1_000,
  });
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `append` and, after every event-loop turn until it resolves, checks that the transaction is open
 * (first unstable offset at its data) or listed as aborted over the whole log. Returns the turns looked at.
 */
async function watchAppend(log: PartitionLog, append: () => Promise<unknown>): Promise<number> {
  let done = false;
  const appended = append().finally(() => {
    done = true;
  });
  let turns = 0;
  while (!done && turns < TURNS_MAX) {
    turns++;
    const firstUnstable = log.firstUnstableOffset;
    if (firstUnstable === null) {
      const aborted = await log.abortedTransactions(0, log.logEndOffset);
      expect(
        aborted.map((a) => a.producerId),
        `turn ${turns}: closed but not listed as aborted`,
      ).toContain(PRODUCER_ID);
    } else {
      expect(firstUnstable, `turn ${turns}`).toBe(0);
    }
    await nextTurn();
  }
  await appended;
  return turns;
}

describe('an aborted transaction is never readable as committed while its marker is appended', () => {
  it('on the leader', async () => {
    const log = await openLog();
    await log.append(transactionalBatch(0, ['a', 'b']), { leaderEpoch: 0, assignOffsets: true });
    const turns = await watchAppend(log, () =>
      log.append(abortMarker(), { leaderEpoch: 0, assignOffsets: true, origin: 'coordinator' }),
    );
    expect(turns).toBeGreaterThan(0);
    expect(log.firstUnstableOffset).toBeNull();
    expect(await log.abortedTransactions(0, log.logEndOffset)).toEqual([
      expect.objectContaining({ producerId: PRODUCER_ID, firstOffset: 0 }),
    ]);
    await log.close();
  });

  it('on a follower (which may become the leader while the append is in flight)', async () => {
    const leader = await openLog();
    await leader.append(transactionalBatch(0, ['a', 'b']), { leaderEpoch: 0, assignOffsets: true });
    const data = (await leader.read(0, { maxBytes: 1 << 20 })).bytes;
    await leader.append(abortMarker(), { leaderEpoch: 0, assignOffsets: true, origin: 'coordinator' });
    const marker = (await leader.read(2, { maxBytes: 1 << 20 })).bytes;

    const follower = await openLog();
    await follower.appendAsFollower(data);
    const turns = await watchAppend(follower, () => follower.appendAsFollower(marker));
    expect(turns).toBeGreaterThan(0);
    expect(follower.firstUnstableOffset).toBeNull();
    await leader.close();
    await follower.close();
  });
});
