/** The group consumer's options with defaults applied and checked. */
import { TributaryError } from '@tributary/core';
import { DEFAULT_FETCH } from '../limits.js';
import { ASSIGNORS, GROUP_DEFAULTS } from './config.js';
import type { GroupConsumerOptions } from './types.js';

export type ResolvedOptions = Required<Omit<GroupConsumerOptions, 'onAssigned' | 'onRevoked' | 'onLost'>>;

const POSITIVE_INTEGERS = [
  'sessionTimeoutMs',
  'rebalanceTimeoutMs',
  'autoCommitIntervalMs',
  'maxBytes',
] as const;

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
  for (const name of POSITIVE_INTEGERS) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value <= 0 || value > 0xffff_ffff) {
      throw new TributaryError('INVALID_REQUEST', `${name} must be a positive integer, got ${value}`);
    }
  }
  if (!Number.isSafeInteger(resolved.maxWaitMs) || resolved.maxWaitMs < 0) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `maxWaitMs must be a non-negative integer, got ${resolved.maxWaitMs}`,
    );
  }
  return resolved;
}
