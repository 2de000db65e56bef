/**
 * Config entries as Kafka's DescribeConfigs (and CreateTopics v5+) describe them, built from the one
 * topic-config table (@tributary/metadata TOPIC_CONFIGS) and a resource's keys in the metadata image.
 * Pure: the handlers pass in what the image and the broker's own settings say.
 *
 * Sources are Kafka's (DescribeConfigsResponse.ConfigSource): a topic's override is
 * DYNAMIC_TOPIC_CONFIG, a value it does not set is DEFAULT_CONFIG (Tributary has no broker flags for
 * topic defaults, so there is no STATIC_BROKER_CONFIG layer between them), the broker's own flags are
 * STATIC_BROKER_CONFIG, and the dynamic keys the controller keeps per broker and for the whole cluster
 * are DYNAMIC_BROKER_CONFIG and DYNAMIC_DEFAULT_BROKER_CONFIG.
 */
import type { DescribeConfigs, ResponseInputOf } from '@tributary/kafka-protocol';
import { TOPIC_CONFIGS, type TopicConfigType, topicConfigDefault } from '@tributary/metadata';

export type DescribedConfig = ResponseInputOf<typeof DescribeConfigs>['results'][number]['configs'][number];

export const CONFIG_SOURCE = {
  unknown: 0,
  dynamicTopic: 1,
  dynamicBroker: 2,
  dynamicDefaultBroker: 3,
  staticBroker: 4,
  default: 5,
} as const;

/** Kafka's ConfigType numbers (KIP-569); 0 = unknown. */
export type ConfigTypeName = TopicConfigType | 'unknown';
const CONFIG_TYPE: Readonly<Record<ConfigTypeName, number>> = {
  unknown: 0,
  boolean: 1,
  string: 2,
  int: 3,
  long: 5,
  double: 6,
  list: 7,
};

export interface DescribeOptions {
  /** The keys asked for; null = every key. */
  readonly keys: readonly string[] | null;
  readonly includeSynonyms: boolean;
  readonly includeDocumentation: boolean;
}

/** One layer that sets a config: what Kafka's synonyms list, highest precedence first. */
interface Layer {
  readonly name: string;
  readonly value: string | null;
  readonly source: number;
}

interface EntryInput {
  readonly name: string;
  /** The value in effect and where it comes from. */
  readonly effective: Layer;
  /** Every layer that sets this config, the effective one first (for includeSynonyms, v1+). */
  readonly synonyms: readonly Layer[];
  readonly readOnly: boolean;
  readonly type: ConfigTypeName;
  readonly documentation: string | null;
}

function entry(input: EntryInput, options: DescribeOptions): DescribedConfig {
  return {
    name: input.name,
    value: input.effective.value,
    readOnly: input.readOnly,
    isDefault: input.effective.source === CONFIG_SOURCE.default,
    configSource: input.effective.source,
    isSensitive: false,
    synonyms: options.includeSynonyms ? input.synonyms.map((layer) => ({ ...layer })) : [],
    configType: CONFIG_TYPE[input.type],
    documentation: options.includeDocumentation ? input.documentation : null,
  };
}

/** A config set in one place only: its synonyms are itself. */
function single(layer: Layer, rest: Omit<EntryInput, 'name' | 'effective' | 'synonyms'>): EntryInput {
  return { name: layer.name, effective: layer, synonyms: [layer], ...rest };
}

function wanted(name: string, options: DescribeOptions): boolean {
  return options.keys === null || options.keys.includes(name);
}

function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Every topic config of a topic with `overrides` set, sorted by name. A default is listed under the
 * broker config that supplies it in Kafka (its synonym, e.g. log.retention.ms for retention.ms). Keys the
 * table does not know (only an older controller could have stored them) are listed as they are.
 */
export function topicConfigEntries(
  overrides: ReadonlyMap<string, string>,
  replicationFactor: number,
  options: DescribeOptions,
): DescribedConfig[] {
  const out: DescribedConfig[] = [];
  for (const [name, definition] of Object.entries(TOPIC_CONFIGS)) {
    if (!wanted(name, options)) continue;
    const fallback: Layer = {
      name: definition.serverDefaultName,
      value: topicConfigDefault(definition, replicationFactor),
      source: CONFIG_SOURCE.default,
    };
    const override = overrides.get(name);
    const described = {
      name,
      readOnly: false,
      type: definition.type,
      documentation: definition.documentation,
    };
    if (override === undefined) {
      out.push(entry({ ...described, effective: { ...fallback, name }, synonyms: [fallback] }, options));
    } else {
      const set: Layer = { name, value: override, source: CONFIG_SOURCE.dynamicTopic };
      out.push(entry({ ...described, effective: set, synonyms: [set, fallback] }, options));
    }
  }
  for (const [name, value] of overrides) {
    if (Object.hasOwn(TOPIC_CONFIGS, name) || !wanted(name, options)) continue;
    const layer = { name, value, source: CONFIG_SOURCE.dynamicTopic };
    out.push(entry(single(layer, { readOnly: false, type: 'unknown', documentation: null }), options));
  }
  return out.sort(byName);
}

/** The CreateTopics v5+ form of a new topic's configs (KIP-525). */
export function createdTopicConfigs(
  overrides: ReadonlyMap<string, string>,
  replicationFactor: number,
): { name: string; value: string | null; readOnly: boolean; configSource: number; isSensitive: boolean }[] {
  const all = { keys: null, includeSynonyms: false, includeDocumentation: false };
  return topicConfigEntries(overrides, replicationFactor, all).map((config) => ({
    name: config.name,
    value: config.value,
    readOnly: config.readOnly,
    configSource: config.configSource,
    isSensitive: config.isSensitive,
  }));
}

/** A config of the broker itself (its flags and registration), read-only. */
export interface StaticBrokerConfig {
  readonly name: string;
  readonly value: string | null;
  readonly type: ConfigTypeName;
  readonly documentation: string;
}

/** A dynamic key the controller keeps (per broker or for the cluster), with what can change it. */
export interface DynamicConfig {
  readonly name: string;
  readonly value: string;
  readonly type: ConfigTypeName;
  /** True when the Kafka alter APIs can change it. */
  readonly alterable: boolean;
  readonly documentation: string;
}

export interface BrokerConfigInput {
  readonly staticConfigs: readonly StaticBrokerConfig[];
  /** Dynamic keys of this broker (DYNAMIC_BROKER_CONFIG). */
  readonly brokerConfigs: readonly DynamicConfig[];
  /** Dynamic keys of the cluster (DYNAMIC_DEFAULT_BROKER_CONFIG: Kafka's broker resource ""). */
  readonly clusterConfigs: readonly DynamicConfig[];
}

/**
 * A broker's configs: its dynamic keys, the cluster's, its static settings, and the broker-level names
 * of the topic defaults (fixed ones; min.insync.replicas's depends on each topic's replication factor).
 */
export function brokerConfigEntries(input: BrokerConfigInput, options: DescribeOptions): DescribedConfig[] {
  const out = new Map<string, DescribedConfig>();
  const add = (config: EntryInput): void => {
    // Precedence: dynamic per broker, then cluster-wide dynamic, then static, then defaults (first wins).
    if (!wanted(config.name, options) || out.has(config.name)) return;
    out.set(config.name, entry(config, options));
  };
  const dynamic = (config: DynamicConfig, source: number): EntryInput =>
    single(
      { name: config.name, value: config.value, source },
      { readOnly: !config.alterable, type: config.type, documentation: config.documentation },
    );
  for (const config of input.brokerConfigs) add(dynamic(config, CONFIG_SOURCE.dynamicBroker));
  for (const config of input.clusterConfigs) add(dynamic(config, CONFIG_SOURCE.dynamicDefaultBroker));
  for (const config of input.staticConfigs) {
    const layer = { name: config.name, value: config.value, source: CONFIG_SOURCE.staticBroker };
    add(single(layer, { readOnly: true, type: config.type, documentation: config.documentation }));
  }
  for (const definition of Object.values(TOPIC_CONFIGS)) {
    if (definition.default.kind !== 'fixed') continue;
    const layer = {
      name: definition.serverDefaultName,
      value: definition.default.value,
      source: CONFIG_SOURCE.default,
    };
    add(single(layer, { readOnly: true, type: definition.type, documentation: definition.documentation }));
  }
  return [...out.values()].sort(byName);
}

/** The broker resource "" (Kafka's cluster-wide dynamic defaults): the cluster's dynamic keys only. */
export function clusterConfigEntries(
  clusterConfigs: readonly DynamicConfig[],
  options: DescribeOptions,
): DescribedConfig[] {
  return brokerConfigEntries({ staticConfigs: [], brokerConfigs: [], clusterConfigs }, options).filter(
    (config) => config.configSource === CONFIG_SOURCE.dynamicDefaultBroker,
  );
}
