/**
 * Kafka's config alterations translated into what the controller takes (pure). Topics: the keys to set
 * and to remove (ControllerAdmin AlterTopicConfigs, which validates the resulting config as CreateTopic
 * does). The cluster: the replication throttle, the one dynamic cluster config there is, which the
 * controller sets and removes through AlterPartitionReassignments (as `trib partitions reassign
 * --throttle` does). Value checks stay with the controller; only what it cannot see is refused here:
 * an operation Kafka does not define, APPEND/SUBTRACT on a key that is not a list, a key given twice.
 */
import { assert } from '@tributary/core';
import { REPLICATION_THROTTLE_CONFIG, topicConfigDefault, topicConfigDefinition } from '@tributary/metadata';
import { type AdminError, refusal } from './admin-common.js';

/** IncrementalAlterConfigs' ConfigOperation (KIP-339). */
export const CONFIG_OPERATION = { set: 0, delete: 1, append: 2, subtract: 3 } as const;

export interface ConfigEntryChange {
  readonly name: string;
  readonly value: string | null;
}

export interface IncrementalChange extends ConfigEntryChange {
  readonly configOperation: number;
}

export interface TopicChange {
  readonly set: { readonly name: string; readonly value: string }[];
  readonly remove: string[];
}

function duplicateKey(names: readonly string[]): string | undefined {
  return names.find((name, index) => names.indexOf(name) !== index);
}

/**
 * AlterConfigs (legacy) replaces a topic's overrides: the given keys are set, every current override
 * not given is removed (a null value counts as not given, as in Kafka's controller).
 */
export function legacyTopicChange(
  configs: readonly ConfigEntryChange[],
  currentKeys: readonly string[],
): TopicChange {
  const set = configs.flatMap(({ name, value }) => (value === null ? [] : [{ name, value }]));
  const kept = new Set(set.map(({ name }) => name));
  return { set, remove: currentKeys.filter((name) => !kept.has(name)) };
}

/** Whether an incremental change needs the topic's current overrides (APPEND and SUBTRACT build on them). */
export function needsCurrentConfigs(configs: readonly IncrementalChange[]): boolean {
  return configs.some(
    ({ configOperation }) =>
      configOperation === CONFIG_OPERATION.append || configOperation === CONFIG_OPERATION.subtract,
  );
}

/** The elements of a list value (comma-separated, as Kafka writes lists), without blanks. */
function listOf(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * IncrementalAlterConfigs on a topic. APPEND and SUBTRACT apply to list-valued keys (cleanup.policy)
 * and build on the current override, else the default, as Kafka does: APPEND adds what is missing,
 * SUBTRACT removes what is there. `current` is needed only when needsCurrentConfigs says so.
 */
export function incrementalTopicChange(
  configs: readonly IncrementalChange[],
  current: { readonly overrides: ReadonlyMap<string, string>; readonly replicationFactor: number } | null,
): TopicChange | AdminError {
  const duplicate = duplicateKey(configs.map(({ name }) => name));
  if (duplicate !== undefined) return refusal('INVALID_REQUEST', `config ${duplicate} is given twice`);
  const change: TopicChange = { set: [], remove: [] };
  for (const { name, value, configOperation } of configs) {
    if (configOperation === CONFIG_OPERATION.delete) {
      change.remove.push(name);
      continue;
    }
    if (value === null) return refusal('INVALID_CONFIG', `config ${name}: a null value can only be deleted`);
    if (configOperation === CONFIG_OPERATION.set) {
      change.set.push({ name, value });
      continue;
    }
    if (configOperation !== CONFIG_OPERATION.append && configOperation !== CONFIG_OPERATION.subtract) {
      return refusal(
        'INVALID_REQUEST',
        `config ${name}: operation ${configOperation} is not one Kafka defines`,
      );
    }
    const definition = topicConfigDefinition(name);
    if (definition === undefined) return refusal('INVALID_CONFIG', `unknown topic config "${name}"`);
    if (definition.type !== 'list') {
      return refusal(
        'INVALID_CONFIG',
        `config ${name} is not a list: APPEND and SUBTRACT apply to lists only`,
      );
    }
    assert(current !== null, 'APPEND and SUBTRACT are given the current configs (needsCurrentConfigs)');
    const base = listOf(
      current.overrides.get(name) ?? topicConfigDefault(definition, current.replicationFactor),
    );
    const operand = listOf(value);
    const next =
      configOperation === CONFIG_OPERATION.append
        ? [...base, ...operand.filter((part) => !base.includes(part))]
        : base.filter((part) => !operand.includes(part));
    change.set.push({ name, value: next.join(',') });
  }
  return change;
}

/** The throttle to set (bytes/s), to remove (null), or to leave as it is (undefined). */
export interface ClusterChange {
  readonly throttleBytesPerSec: number | null | undefined;
}

function throttleValue(value: string | null): number | AdminError {
  const rate = value !== null && /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(rate) || rate < 1) {
    return refusal(
      'INVALID_CONFIG',
      `${REPLICATION_THROTTLE_CONFIG} must be a positive number of bytes per second (delete it to remove the throttle)`,
    );
  }
  return rate;
}

function notAlterable(name: string): AdminError {
  return refusal(
    'INVALID_CONFIG',
    `${name} cannot be altered here: the cluster's only dynamic config is ${REPLICATION_THROTTLE_CONFIG}`,
  );
}

/** AlterConfigs (legacy) on the cluster resource: the throttle is set when given, removed when not. */
export function legacyClusterChange(configs: readonly ConfigEntryChange[]): ClusterChange | AdminError {
  let throttleBytesPerSec: number | null = null;
  for (const { name, value } of configs) {
    if (name !== REPLICATION_THROTTLE_CONFIG) return notAlterable(name);
    if (value === null) continue;
    const rate = throttleValue(value);
    if (typeof rate !== 'number') return rate;
    throttleBytesPerSec = rate;
  }
  return { throttleBytesPerSec };
}

/** IncrementalAlterConfigs on the cluster resource: SET or DELETE the throttle. */
export function incrementalClusterChange(configs: readonly IncrementalChange[]): ClusterChange | AdminError {
  const duplicate = duplicateKey(configs.map(({ name }) => name));
  if (duplicate !== undefined) return refusal('INVALID_REQUEST', `config ${duplicate} is given twice`);
  let throttleBytesPerSec: number | null | undefined;
  for (const { name, value, configOperation } of configs) {
    if (name !== REPLICATION_THROTTLE_CONFIG) return notAlterable(name);
    if (configOperation === CONFIG_OPERATION.delete) throttleBytesPerSec = null;
    else if (configOperation === CONFIG_OPERATION.set) {
      const rate = throttleValue(value);
      if (typeof rate !== 'number') return rate;
      throttleBytesPerSec = rate;
    } else if (configOperation === CONFIG_OPERATION.append || configOperation === CONFIG_OPERATION.subtract) {
      return refusal('INVALID_CONFIG', `${name} is not a list: APPEND and SUBTRACT apply to lists only`);
    } else {
      return refusal(
        'INVALID_REQUEST',
        `config ${name}: operation ${configOperation} is not one Kafka defines`,
      );
    }
  }
  return { throttleBytesPerSec };
}
