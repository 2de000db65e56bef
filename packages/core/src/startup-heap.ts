/**
 * V8's young generation during a server process's start-up (issue 15, idle RSS).
 *
 * Start-up allocates a burst of objects that survive (the loaded modules' functions and tables, the proto
 * definitions, the metadata image): V8 grows the young generation whenever more bytes survived its
 * scavenges than it holds, so by the time a controller or broker serves, its new space has grown from
 * 1 MB to 16 MB and stays resident. V8 shrinks it again only when a garbage collection happens to find the
 * allocation rate low (its memory reducer, some 8–30 s into idleness, later or never on a loaded machine):
 * measured on the 2-core bench machine, an idle controller or broker sits 8–14 MB above what it needs
 * until then, which alone decides whether it is under the 80 MB target.
 *
 * So a bin's bundle entry (scripts/bundle-bin.mjs) holds the young generation at its initial size (V8's
 * --semi-space-growth-factor=1: it never grows) before anything is loaded, and runService lets it grow again
 * (V8's default factor, 2) once the process serves. The burst is garbage or promoted either way; the steady
 * state sizes the young generation as before, so a busy broker's scavenges are what they were. A process started with any semi-space flag of
 * its own (NODE_OPTIONS or node's arguments) is left alone. V8 reads the factor each time it would grow
 * the new space, so setting it at run time takes effect at once (node runs V8 with flags unfrozen so that
 * v8.setFlagsFromString works).
 *
 * The hold and its release live in two copies of this module in one process (the entry's, loaded before
 * anything else, and the bundle's own), so the release is passed through a process-wide symbol.
 */
import { setFlagsFromString } from 'node:v8';

/** V8's default --semi-space-growth-factor (v8/src/flags/flag-definitions.h). */
export const V8_SEMI_SPACE_GROWTH_FACTOR_DEFAULT = 2;

const RELEASE = Symbol.for('tributary.startupHeap.release');

type WithRelease = { [RELEASE]?: () => void };

export interface StartupHeapEnvironment {
  /** v8.setFlagsFromString. */
  readonly setFlags: (flags: string) => void;
  /** node's own arguments (process.execArgv). */
  readonly execArgv: readonly string[];
  /** process.env.NODE_OPTIONS. */
  readonly nodeOptions: string | undefined;
  /** Where the release is kept (globalThis). */
  readonly global: object;
}

const PROCESS_ENVIRONMENT: StartupHeapEnvironment = {
  setFlags: setFlagsFromString,
  execArgv: process.execArgv,
  nodeOptions: process.env.NODE_OPTIONS,
  global: globalThis,
};

/** Whether node was given a flag of its own about the semi-spaces (then its young generation is its choice). */
export function hasSemiSpaceFlag(
  environment: Pick<StartupHeapEnvironment, 'execArgv' | 'nodeOptions'>,
): boolean {
  const given = [...environment.execArgv, ...(environment.nodeOptions ?? '').split(/\s+/)];
  return given.some((flag) => /^--(max|min)?[-_]?semi[-_]space/.test(flag));
}

/**
 * Keeps the young generation at its initial size until releaseYoungGeneration(); returns whether it did
 * (not when node has a semi-space flag of its own, nor twice).
 */
export function holdYoungGeneration(environment: StartupHeapEnvironment = PROCESS_ENVIRONMENT): boolean {
  const holder = environment.global as WithRelease;
  if (holder[RELEASE] !== undefined || hasSemiSpaceFlag(environment)) return false;
  environment.setFlags('--semi-space-growth-factor=1');
  holder[RELEASE] = () =>
    environment.setFlags(`--semi-space-growth-factor=${V8_SEMI_SPACE_GROWTH_FACTOR_DEFAULT}`);
  return true;
}

/** Lets the young generation grow again if holdYoungGeneration() held it (in any copy of this module). */
export function releaseYoungGeneration(
  environment: Pick<StartupHeapEnvironment, 'global'> = PROCESS_ENVIRONMENT,
): void {
  const holder = environment.global as WithRelease;
  const release = holder[RELEASE];
  if (release === undefined) return;
  // Kept (as a no-op) so that a second hold in this process does not hold it again.
  holder[RELEASE] = () => {};
  release();
}
