/**
 * Power loss during cleaning (issue 16 item 2): the swap protocol (swap.ts) names every fsync it depends on;
 * here a compacted log on a SimulatedDisk loses power right after each fsync of a cleaning pass in turn (with
 * and without torn writes), and the log opened on what the disk kept must read as before the pass or after
 * it, segment by segment: every record read is the one written at that offset, every key's newest value is
 * there, the log end is unchanged, and a later pass completes.
 */
import { ManualClock } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { PartitionLog } from '../partition-log.js';
import { SimulatedDisk } from '../testing/simulated-disk.js';
import { keyedBatch, type ReadRecord, readAllRecords } from './test-records.js';

const DIR = '/data/compacted-0';
const RECORDS = 240;
const KEYS = 9;
const CONFIG = { segmentBytes: 1024, indexIntervalBytes: 128, cleanupPolicy: 'compact' as const };

async function filledLog(disk: SimulatedDisk, clock: ManualClock): Promise<PartitionLog> {
  const log = await PartitionLog.open({ dir: DIR, config: CONFIG, clock, fs: disk });
  for (let i = 0; i < RECORDS; i++) {
    const records = [{ key: `k${i % KEYS}`, value: i % 37 === 5 ? null : `v${i}` }];
    await log.append(keyedBatch({ records, timestampMs: clock.nowMs() }), {
      leaderEpoch: 0,
      assignOffsets: true,
    });
  }
  await log.flush();
  return log;
}

function checkAgainst(written: readonly ReadRecord[], read: readonly ReadRecord[]): void {
  const byOffset = new Map(written.map((record) => [record.offset, record]));
  for (const record of read)
    expect(record, `record at ${record.offset}`).toEqual(byOffset.get(record.offset));
  const newest = new Map<string, ReadRecord>();
  for (const record of written) if (record.key !== null) newest.set(record.key, record);
  const offsetsRead = new Set(read.map((record) => record.offset));
  for (const record of newest.values()) {
    // A tombstone may go once cleaned past its horizon; a value never does.
    if (record.value !== null) expect(offsetsRead.has(record.offset), `newest ${record.key} kept`).toBe(true);
  }
}

describe('log cleaning under power loss', () => {
  it('reads as before or after the pass after a power loss at each fsync of it', async () => {
    const clock = new ManualClock(0);
    const dryRun = new SimulatedDisk({ seed: 0 });
    const reference = await filledLog(dryRun, clock);
    const written = await readAllRecords(reference);
    const syncsBefore = dryRun.counters.fileSyncs + dryRun.counters.directorySyncs;
    const result = await reference.clean({ nowMs: clock.nowMs(), upperBoundOffset: reference.logEndOffset });
    expect(result.segmentsCleaned).toBeGreaterThan(2);
    const passSyncs = dryRun.counters.fileSyncs + dryRun.counters.directorySyncs - syncsBefore;
    expect(passSyncs).toBeGreaterThan(5);
    process.stdout.write(
      `cleaner power-loss: crashing a pass of ${result.segmentsCleaned} segments at each of its ${passSyncs} fsyncs\n`,
    );
    for (let at = 1; at <= passSyncs; at++) {
      for (const tornWrites of [false, true]) {
        const disk = new SimulatedDisk({ seed: at });
        const log = await filledLog(disk, clock);
        disk.crashAtSync(at, { tornWrites });
        await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: log.logEndOffset }).catch(() => undefined);
        expect(disk.poweredOff, `the power went at fsync ${at}`).toBe(true);
        disk.powerOn();
        await log.closeWithoutMarker();
        const reopened = await PartitionLog.open({ dir: DIR, config: CONFIG, clock, fs: disk });
        expect(reopened.logEndOffset).toBe(RECORDS);
        checkAgainst(written, await readAllRecords(reopened));
        await reopened.clean({ nowMs: clock.nowMs(), upperBoundOffset: reopened.logEndOffset });
        checkAgainst(written, await readAllRecords(reopened));
        await reopened.close();
      }
    }
  });
});
