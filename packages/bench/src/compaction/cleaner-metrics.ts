/**
 * The log cleaner's figures from a broker's Prometheus `/metrics` (tributary_log_cleaner_*, see
 * packages/broker/src/metrics/cleaner-metrics.ts): a parser of the text format's unlabelled samples, one
 * scrape, and (pure) what a series of scrapes says about the cleaning between them. The broker exposes
 * totals and the last clean's duration, not a total clean time, so the clean time is the sum of
 * `last_clean_seconds` over the scrapes at which `cleans_total` went up by one; scrapes every few hundred
 * milliseconds against cleans of seconds see each clean. A step of more than one clean is counted with the
 * newest duration only and the result is marked inexact.
 */

/** How long one scrape may take before the run fails (a broker that does not answer is not measured). */
const SCRAPE_TIMEOUT_MS = 5_000;

export interface CleanerSample {
  /** When the scrape's answer arrived (performance.now()). */
  readonly atMs: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly cleans: number;
  readonly errors: number;
  readonly lastCleanSeconds: number;
  readonly throttledSeconds: number;
}

/**
 * Samples of the Prometheus text format by metric name: `name value` and `name{labels} value` lines,
 * comments skipped. Labels are dropped: the cleaner's series carry only the broker's own `node_id`; a name
 * with several label sets (the per-partition dirty ratios) keeps its last, and is not read here.
 */
export function parsePrometheusText(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line.trim());
    const name = match?.[1];
    const number = Number(match?.[2]);
    if (name !== undefined && !Number.isNaN(number)) values.set(name, number);
  }
  return values;
}

function required(values: ReadonlyMap<string, number>, name: string): number {
  const value = values.get(name);
  if (value === undefined) throw new Error(`/metrics has no ${name} (is the log cleaner wired?)`);
  return value;
}

export function cleanerSampleFrom(values: ReadonlyMap<string, number>, atMs: number): CleanerSample {
  return {
    atMs,
    bytesRead: required(values, 'tributary_log_cleaner_bytes_read_total'),
    bytesWritten: required(values, 'tributary_log_cleaner_bytes_written_total'),
    cleans: required(values, 'tributary_log_cleaner_cleans_total'),
    errors: required(values, 'tributary_log_cleaner_errors_total'),
    lastCleanSeconds: required(values, 'tributary_log_cleaner_last_clean_seconds'),
    throttledSeconds: required(values, 'tributary_log_cleaner_throttled_seconds_total'),
  };
}

/** Scrapes `http://<address>/metrics` once. */
export async function scrapeCleaner(address: string): Promise<CleanerSample> {
  const response = await fetch(`http://${address}/metrics`, {
    signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`GET ${address}/metrics answered ${response.status}`);
  const text = await response.text();
  return cleanerSampleFrom(parsePrometheusText(text), performance.now());
}

export interface CleanerWork {
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly cleans: number;
  readonly errors: number;
  /** The summed durations of the cleans seen; 0 when none finished. */
  readonly cleanSeconds: number;
  readonly throttledSeconds: number;
  /** False when a scrape step held more than one clean (cleanSeconds then misses the earlier ones). */
  readonly exact: boolean;
  /** The first scrape showing the final totals: when the cleaning was over (undefined without cleans). */
  readonly finishedAtMs: number | undefined;
}

/** What the cleaner did between the first and the last of `samples` (scrapes of one broker, in order). */
export function cleanerWork(samples: readonly CleanerSample[]): CleanerWork {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined) throw new Error('cleanerWork needs at least one sample');
  let cleanSeconds = 0;
  let exact = true;
  for (let index = 1; index < samples.length; index++) {
    const before = samples[index - 1];
    const after = samples[index];
    if (before === undefined || after === undefined) continue;
    const step = after.cleans - before.cleans;
    if (step < 0) throw new Error('cleans_total went down: the broker restarted during the run');
    if (step > 0) cleanSeconds += after.lastCleanSeconds;
    if (step > 1) exact = false;
  }
  const finished = samples.find(
    (s) => s.cleans === last.cleans && s.bytesRead === last.bytesRead && s.bytesWritten === last.bytesWritten,
  );
  return {
    bytesRead: last.bytesRead - first.bytesRead,
    bytesWritten: last.bytesWritten - first.bytesWritten,
    cleans: last.cleans - first.cleans,
    errors: last.errors - first.errors,
    cleanSeconds,
    throttledSeconds: last.throttledSeconds - first.throttledSeconds,
    exact,
    finishedAtMs: last.cleans > first.cleans ? finished?.atMs : undefined,
  };
}
