/**
 * Disk faults under the log (issue 16 item 1's groundwork), injected by the SimulatedDisk: a failed write or
 * fsync fails the log (STORAGE_ERROR from then on, as Kafka takes the log directory offline), never claims
 * durable what the disk did not make durable, and a reopen after the fault (the operator freed space) keeps
 * every batch that was durable.
 */
import { ManualClock, TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { PartitionLog } from './partition-log.js';
import { buildBatch } from './test-batches.js';
import { type DiskFaultCode, SimulatedDisk } from './testing/simulated-disk.js';

const DIR = '/data/faulty-0';

async function logWithDurablePrefix(disk: SimulatedDisk, clock: ManualClock): Promise<PartitionLog> {
  const log = await PartitionLog.open({ dir: DIR, clock, fs: disk, config: { segmentBytes: 2048 } });
  for (let i = 0; i < 10; i++) {
    await log.append(buildBatch({ recordCount: 2, payloadBytes: 100, fill: i }), {
      leaderEpoch: 1,
      assignOffsets: true,
    });
  }
  expect(await log.flushDurable()).toBe(20);
  return log;
}

describe('PartitionLog on a failing disk', () => {
  for (const code of ['ENOSPC', 'EIO', 'EROFS'] satisfies DiskFaultCode[]) {
    it(`${code} on a segment write fails the append and the log; a reopen keeps what was durable`, async () => {
      const disk = new SimulatedDisk({ seed: 1 });
      const clock = new ManualClock(0);
      const log = await logWithDurablePrefix(disk, clock);
      disk.injectFault({ operations: ['write'], pathIncludes: '.log', code, count: 1 });
      const append = log.append(buildBatch({ recordCount: 2 }), { leaderEpoch: 1, assignOffsets: true });
      await expect(append).rejects.toMatchObject({ code });
      // Failed: nothing more is taken or read as if the disk were fine.
      await expect(log.append(buildBatch(), { leaderEpoch: 1, assignOffsets: true })).rejects.toBeInstanceOf(
        TributaryError,
      );
      await expect(log.flush()).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
      await log.close();
      const reopened = await PartitionLog.open({ dir: DIR, clock, fs: disk });
      expect(reopened.logEndOffset).toBeGreaterThanOrEqual(20);
      const appended = await reopened.append(buildBatch({ recordCount: 1 }), {
        leaderEpoch: 1,
        assignOffsets: true,
      });
      expect(appended.baseOffset).toBe(reopened.logEndOffset - 1);
    });
  }

  it('EIO on fsync: flushDurable rejects, the durable end does not move, and power loss keeps the old durable end', async () => {
    const disk = new SimulatedDisk({ seed: 2 });
    const clock = new ManualClock(0);
    const log = await logWithDurablePrefix(disk, clock);
    await log.append(buildBatch({ recordCount: 5 }), { leaderEpoch: 1, assignOffsets: true });
    disk.injectFault({ operations: ['datasync', 'fsync'], code: 'EIO' });
    await expect(log.flushDurable()).rejects.toMatchObject({ code: 'EIO' });
    expect(log.durableEndOffset).toBe(20);
    disk.crash({ tornWrites: true });
    disk.clearFaults();
    await log.closeWithoutMarker();
    const reopened = await PartitionLog.open({ dir: DIR, clock, fs: disk });
    expect(reopened.logEndOffset).toBeGreaterThanOrEqual(20);
    expect(reopened.logEndOffset).toBeLessThanOrEqual(25);
  });
});
