/**
 * Version ranges as Kafka's message definitions write them: "0+", "3-7", "5", or "none". Parsed once,
 * when a definition is built; a range is inclusive at both ends and open above for "N+".
 */
import { assert } from '@tributary/core';

export type VersionSpec = `${number}+` | `${number}-${number}` | `${number}` | 'none';

export interface VersionRange {
  readonly min: number;
  /** Number.POSITIVE_INFINITY for "N+". */
  readonly max: number;
}

export const NO_VERSIONS: VersionRange = { min: 1, max: 0 };

export function parseVersions(spec: VersionSpec): VersionRange {
  if (spec === 'none') return NO_VERSIONS;
  const open = /^(\d+)\+$/.exec(spec);
  if (open !== null) return { min: Number(open[1]), max: Number.POSITIVE_INFINITY };
  const closed = /^(\d+)-(\d+)$/.exec(spec);
  if (closed !== null) {
    const range = { min: Number(closed[1]), max: Number(closed[2]) };
    assert(range.min <= range.max, `version range ${spec} is empty`);
    return range;
  }
  const single = /^(\d+)$/.exec(spec);
  assert(single !== null, `not a version range: ${spec}`);
  return { min: Number(single[1]), max: Number(single[1]) };
}

export function inRange(range: VersionRange, version: number): boolean {
  return version >= range.min && version <= range.max;
}
