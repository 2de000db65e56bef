/** The three spellings of a configuration key, derived from its camelCase name, and "did you mean". */

export const ENV_PREFIX = 'TRIBUTARY_';

/**
 * Variables with the prefix that are not process configuration: test and benchmark tooling sets them, and
 * the processes it spawns inherit them, so they must not be refused as unknown keys.
 */
export const TOOLING_ENV_VARS: readonly string[] = [
  'TRIBUTARY_CONTROLLER_BIN',
  'TRIBUTARY_BROKER_BIN',
  'TRIBUTARY_TRIB_BIN',
  'TRIBUTARY_PROFILE_DIR',
  // The broker's test-only disk fault injection (packages/broker/src/node/test-faults.ts).
  'TRIBUTARY_TEST_MODE',
  'TRIBUTARY_TEST_FAIL_LOG_DIR',
];

/** nodeId -> node-id */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** nodeId -> TRIBUTARY_NODE_ID */
export function envName(key: string): string {
  return `${ENV_PREFIX}${flagName(key).replaceAll('-', '_').toUpperCase()}`;
}

/** node-id -> nodeId */
export function camelName(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Levenshtein distance, bounded by the lengths of two short names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest candidate when it is a plausible typo (at most a third of the name differs). */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

export function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
}
