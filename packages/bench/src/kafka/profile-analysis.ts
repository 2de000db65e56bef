/**
 * Where a broker's CPU went during one time window of a V8 .cpuprofile (node --cpu-prof): self time per
 * function and per package, and inclusive ("total") time of the functions that match a filter — which of
 * our functions asked for the cycles, everything they called included. The window is in microseconds of
 * the monotonic clock, which V8's profile timestamps and process.hrtime share on Linux, so the benchmark can
 * cut out the measured run from a profile that also holds start-up and warm-up. A function that appears
 * twice on one stack (recursion) counts once per sample.
 */
import { readFile } from 'node:fs/promises';

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  /** Node id of each sample; timeDeltas[i] is the µs from the previous sample (the first: from startTime). */
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface MonotonicWindow {
  readonly startUs: number;
  readonly endUs: number;
}

export interface ProfileEntry {
  readonly name: string;
  readonly samples: number;
  /** Of the window's busy (non-idle) samples. */
  readonly percentOfBusy: number;
}

export interface ProfileAnalysis {
  readonly samples: number;
  readonly busySamples: number;
  readonly idlePercent: number;
  readonly selfByOwner: readonly ProfileEntry[];
  readonly topSelf: readonly ProfileEntry[];
  readonly inclusive: readonly ProfileEntry[];
}

export interface AnalyzeOptions {
  /** Only samples taken inside it; all samples when absent. */
  readonly window?: MonotonicWindow;
  /** Which frames get an inclusive figure. */
  readonly include: (frame: CallFrame) => boolean;
  readonly topCount: number;
}

/** Frames that are not code the CPU ran for the process (V8's own pseudo-frames besides GC). */
const NOT_BUSY = new Set(['(idle)', '(root)']);

/** `functionName path:line`, the path shortened to what follows packages/ or node_modules/. */
export function frameLabel(frame: CallFrame): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name;
  const path = frame.url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, '')
    .replace(/^.*\/packages\//, '');
  return `${name} ${path}:${frame.lineNumber + 1}`;
}

/** `@tributary/log`, `@grpc/grpc-js`, `node: internals`, `(garbage collector)`, … */
export function ownerOf(frame: CallFrame): string {
  const url = frame.url;
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const module = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (module !== undefined) return module;
  const own = /\/packages\/([^/]+)\//.exec(url)?.[1];
  return own === undefined ? url : `@tributary/${own}`;
}

/** Samples per node id, counting only those inside the window. */
function samplesByNode(profile: CpuProfile, window: MonotonicWindow | undefined): Map<number, number> {
  const counts = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window !== undefined && (at < window.startUs || at > window.endUs)) continue;
    const id = profile.samples[i] ?? -1;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function ranked(counts: ReadonlyMap<string, number>, busy: number, topCount: number): ProfileEntry[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topCount)
    .map(([name, samples]) => ({ name, samples, percentOfBusy: busy === 0 ? 0 : (samples * 100) / busy }));
}

function add(map: Map<string, number>, key: string, count: number): void {
  map.set(key, (map.get(key) ?? 0) + count);
}

/** Pure: the analysis of one profile (see the file comment). */
export function analyzeProfile(profile: CpuProfile, options: AnalyzeOptions): ProfileAnalysis {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const self = new Map<string, number>();
  const owners = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let busy = 0;
  for (const [id, count] of samplesByNode(profile, options.window)) {
    const node = byId.get(id);
    if (node === undefined) continue;
    total += count;
    if (NOT_BUSY.has(node.callFrame.functionName)) continue;
    busy += count;
    add(self, frameLabel(node.callFrame), count);
    add(owners, ownerOf(node.callFrame), count);
    const seen = new Set<string>();
    for (let at: ProfileNode | undefined = node; at !== undefined; ) {
      if (options.include(at.callFrame)) seen.add(frameLabel(at.callFrame));
      const parent = parentOf.get(at.id);
      at = parent === undefined ? undefined : byId.get(parent);
    }
    for (const name of seen) add(inclusive, name, count);
  }
  return {
    samples: total,
    busySamples: busy,
    idlePercent: total === 0 ? 0 : ((total - busy) * 100) / total,
    selfByOwner: ranked(owners, busy, options.topCount),
    topSelf: ranked(self, busy, options.topCount),
    inclusive: ranked(inclusive, busy, options.topCount),
  };
}

export async function readCpuProfile(file: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
}
