import { describe, expect, it } from 'vitest';
import {
  type CleanerSample,
  cleanerSampleFrom,
  cleanerWork,
  parsePrometheusText,
} from './cleaner-metrics.js';

const SCRAPE = `# HELP tributary_log_cleaner_bytes_read_total Bytes the log cleaner read
# TYPE tributary_log_cleaner_bytes_read_total counter
tributary_log_cleaner_bytes_read_total{node_id="2"} 2048
tributary_log_cleaner_bytes_written_total 512
tributary_log_cleaner_cleans_total 1
tributary_log_cleaner_errors_total 0
tributary_log_cleaner_last_clean_seconds 0.25
tributary_log_cleaner_throttled_seconds_total 0
tributary_log_cleaner_dirty_ratio{topic="t",partition="0"} 0.9
`;

function sample(atMs: number, cleans: number, bytesRead: number, lastCleanSeconds: number): CleanerSample {
  return {
    atMs,
    bytesRead,
    bytesWritten: bytesRead / 100,
    cleans,
    errors: 0,
    lastCleanSeconds,
    throttledSeconds: 0,
  };
}

describe('cleaner metrics', () => {
  it('reads the cleaner totals from a scrape, labelled with the node or not', () => {
    const values = parsePrometheusText(SCRAPE);
    expect(values.get('tributary_log_cleaner_dirty_ratio')).toBe(0.9);
    expect(values.has('#')).toBe(false);
    expect(cleanerSampleFrom(values, 7)).toEqual({
      atMs: 7,
      bytesRead: 2048,
      bytesWritten: 512,
      cleans: 1,
      errors: 0,
      lastCleanSeconds: 0.25,
      throttledSeconds: 0,
    });
    expect(() => cleanerSampleFrom(new Map(), 0)).toThrow(/bytes_read_total/);
  });

  it('sums the duration of each clean seen and finds when the totals stopped moving', () => {
    const work = cleanerWork([
      sample(0, 3, 1_000, 9), // an earlier clean: its duration is not this run's
      sample(250, 3, 1_000, 9),
      sample(500, 4, 5_000, 2),
      sample(750, 5, 9_000, 1.5),
      sample(1_000, 5, 9_000, 1.5),
    ]);
    expect(work).toMatchObject({
      bytesRead: 8_000,
      cleans: 2,
      cleanSeconds: 3.5,
      exact: true,
      finishedAtMs: 750,
    });
  });

  it('marks a step of two cleans inexact, and no clean as unfinished', () => {
    expect(cleanerWork([sample(0, 0, 0, 0), sample(250, 2, 100, 1)])).toMatchObject({
      cleanSeconds: 1,
      exact: false,
    });
    expect(cleanerWork([sample(0, 0, 0, 0), sample(250, 0, 0, 0)]).finishedAtMs).toBeUndefined();
    expect(() => cleanerWork([sample(0, 2, 0, 0), sample(250, 1, 0, 0)])).toThrow(/restarted/);
  });
});
