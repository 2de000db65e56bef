/**
 * What the benchmark reads from a spawned process (pure, so it is testable): the wall-clock time of
 * milestone log lines (pino's JSON lines carry `time`, epoch milliseconds, and `msg`), and the resident set
 * size from the text of /proc/<pid>/status.
 */

/**
 * The log lines `tributary dev` writes on its way to serving, in order: the process has loaded its modules
 * and starts the nodes; the controller serves; its Raft (one voter) elected itself; the broker serves;
 * the controller committed the broker's registration. The separate processes write the same lines.
 */
export const START_MILESTONES = [
  'starting',
  'controller ready',
  'became leader',
  'broker ready',
  'broker registered',
] as const;
export type StartMilestone = (typeof START_MILESTONES)[number];

/**
 * The epoch-ms `time` of the first line with each of `messages`, from complete JSON lines; lines that are
 * not pino JSON (the banner, a pretty-printed log) are skipped.
 */
export function milestoneTimes<M extends string>(
  lines: readonly string[],
  messages: readonly M[],
): Map<M, number> {
  const wanted = new Set<string>(messages);
  const times = new Map<M, number>();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null) continue;
    const { msg, time } = parsed as { msg?: unknown; time?: unknown };
    if (typeof msg !== 'string' || typeof time !== 'number' || !wanted.has(msg)) continue;
    const milestone = msg as M;
    if (!times.has(milestone)) times.set(milestone, time);
  }
  return times;
}

/** VmRSS of a /proc/<pid>/status text, in KiB (the kernel's "kB" are KiB). */
export function parseVmRssKiB(statusText: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(statusText);
  if (match?.[1] === undefined) throw new Error('no VmRSS line in /proc/<pid>/status');
  return Number(match[1]);
}

/** Splits a growing text stream into complete lines; the unfinished tail waits for the next chunk. */
export class LineCollector {
  readonly lines: string[] = [];
  private tail = '';

  constructor(private readonly linesMax: number) {}

  push(chunk: string): void {
    const parts = (this.tail + chunk).split('\n');
    this.tail = parts.pop() ?? '';
    for (const line of parts) {
      // Milestones come in the first lines; a chatty process must not grow the benchmark without bound.
      if (this.lines.length < this.linesMax) this.lines.push(line);
    }
  }
}
