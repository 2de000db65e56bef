/** The group consumer's options with defaults applied and checked. */
import { TributaryError, WIRE_LIMITS } from '@tributary/core';
import { CLIENT_LIMITS, DEFAULT_FETCH } from '../limits.js';
import { ASSIGNORS, GROUP_DEFAULTS } from './config.js';
import type { GroupConsumerOptions } from './types.js';

export type ResolvedOptions = Required<Omit<GroupConsumerOptions, 'onAssigned' | 'onRevoked' | 'onLost'>>;

/**
 * The integer options and the ranges they must lie in: the server's bounds (WIRE_LIMITS) where the value
 * travels, so a value the broker would refuse is refused here, naming the option, before the member joins.
 */
const INTEGER_RANGES = {
  sessionTimeoutMs: { min: WIRE_LIMITS.sessionTimeoutMsMin, max: WIRE_LIMITS.sessionTimeoutMsMax },
  rebalanceTimeoutMs: { min: 1, max: WIRE_LIMITS.rebalanceTimeoutMsMax },
  autoCommitIntervalMs: { min: 1, max: 0xffff_ffff },
  maxBytes: { min: 1, max: WIRE_LIMITS.fetchBytesMax },
  maxWaitMs: { min: 0, max: CLIENT_LIMITS.fetchMaxWaitMsMax },
  metadataMaxAgeMs: { min: 0, max: 0xffff_ffff },
} as const;

export function resolveOptions(options: GroupConsumerOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    groupId: options.groupId,
    sessionTimeoutMs: options.sessionTimeoutMs ?? GROUP_DEFAULTS.sessionTimeoutMs,
    rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? GROUP_DEFAULTS.rebalanceTimeoutMs,
    assignor: options.assignor ?? GROUP_DEFAULTS.assignor,
    autoCommit: options.autoCommit ?? GROUP_DEFAULTS.autoCommit,
    autoCommitIntervalMs: options.autoCommitIntervalMs ?? GROUP_DEFAULTS.autoCommitIntervalMs,
    fromBeginning: options.fromBeginning ?? GROUP_DEFAULTS.fromBeginning,
    readCommitted: options.readCommitted ?? false,
    maxWaitMs: options.maxWaitMs ?? DEFAULT_FETCH.maxWaitMs,
    maxBytes: options.maxBytes ?? DEFAULT_FETCH.maxBytes,
    metadataMaxAgeMs: options.metadataMaxAgeMs ?? GROUP_DEFAULTS.metadataMaxAgeMs,
  };
  if (!ASSIGNORS.includes(resolved.assignor)) {
    throw new TributaryError('INVALID_REQUEST', `assignor must be one of ${ASSIGNORS.join(', ')}`);
  }
  for (const [name, range] of Object.entries(INTEGER_RANGES) as [
    keyof typeof INTEGER_RANGES,
    { min: number; max: number },
  ][]) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `${name} must be an integer from ${range.min} to ${range.max}, got ${value}`,
      );
    }
  }
  return resolved;
}
