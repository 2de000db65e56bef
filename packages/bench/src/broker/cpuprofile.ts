/** Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function, summed over call-tree nodes. */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface SelfTimeEntry {
  readonly name: string;
  readonly hits: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly file: string;
  readonly totalHits: number;
  /** Share of samples in which the thread was idle (waiting in the event loop). */
  readonly idlePercent: number;
  /** Self time grouped by where the code lives: a package, node internals, or a VM pseudo-frame. */
  readonly byOwner: readonly SelfTimeEntry[];
  readonly durationMs: number;
  readonly top: readonly SelfTimeEntry[];
}

/** `functionName (file:line)` with the path shortened to what follows node_modules/ or packages/. */
function frameName(frame: ProfileNode['callFrame']): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name;
  const url = frame.url.replace(/^file:\/\//, '');
  const short = url.replace(/^.*\/node_modules\//, '').replace(/^.*\/packages\//, '');
  return `${name} ${short}:${frame.lineNumber + 1}`;
}

/** `@tributary/records`, `protobufjs`, `node:internal`, `(garbage collector)`, … */
function ownerOf(frame: ProfileNode['callFrame']): string {
  const url = frame.url;
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const module = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (module !== undefined) return module;
  const own = /\/packages\/([^/]+)\//.exec(url)?.[1];
  return own === undefined ? url : `@tributary/${own}`;
}

export async function summarizeCpuProfile(file: string, topCount = 10): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byName = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let totalHits = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    totalHits += hits;
    const name = frameName(node.callFrame);
    byName.set(name, (byName.get(name) ?? 0) + hits);
    const owner = ownerOf(node.callFrame);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + hits);
  }
  const idleHits = byName.get('(idle)') ?? 0;
  const ranked = (map: Map<string, number>): SelfTimeEntry[] =>
    [...map.entries()]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, topCount)
      .map(([name, hits]) => ({ name, hits, percent: totalHits === 0 ? 0 : (hits * 100) / totalHits }));
  return {
    file,
    totalHits,
    idlePercent: totalHits === 0 ? 0 : (idleHits * 100) / totalHits,
    byOwner: ranked(byOwner),
    durationMs: (profile.endTime - profile.startTime) / 1_000,
    top: ranked(byName),
  };
}
