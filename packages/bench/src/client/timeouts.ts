/** Bounds of one measured run of the client benchmark: a hung run is killed and reported, never waited on. */

/** Fixed part of a run's bound: process start, metadata, group join. */
const RUN_BASE_TIMEOUT_MS = 30_000;
/** The slowest rate a run may go at before it counts as hung (gzip on a loaded 2-core machine is ~10x this). */
const RUN_SLOWEST_RECORDS_PER_SECOND = 10_000;

/** How long a run over `records` records may take. */
export function runTimeoutMs(records: number): number {
  return RUN_BASE_TIMEOUT_MS + Math.ceil((records * 1_000) / RUN_SLOWEST_RECORDS_PER_SECOND);
}
