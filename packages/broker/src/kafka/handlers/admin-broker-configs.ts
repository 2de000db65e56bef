/**
 * What a broker says about its own configs in DescribeConfigs: its settings (flags and registration) as
 * Kafka names them, and the dynamic keys the controller keeps for it and for the cluster
 * (BROKER_DECOMMISSIONED_CONFIG, REPLICATION_THROTTLE_CONFIG). Kafka's names are used where the meaning
 * is Kafka's (num.partitions for --default-partitions), so tools that read them find them.
 */
import { brokerId } from '@tributary/core';
import {
  BROKER_DECOMMISSIONED_CONFIG,
  type MetadataImage,
  REPLICATION_THROTTLE_CONFIG,
} from '@tributary/metadata';
import type { KafkaBrokerParts } from '../parts.js';
import type { BrokerConfigInput, DynamicConfig, StaticBrokerConfig } from './admin-config-entries.js';

/** The dynamic keys Tributary has, with what the Kafka API may do with them. */
const DYNAMIC_KEYS: Readonly<Record<string, Omit<DynamicConfig, 'name' | 'value'>>> = {
  [REPLICATION_THROTTLE_CONFIG]: {
    type: 'long',
    alterable: true,
    documentation:
      'Bytes per second per broker for replicas a reassignment adds; the controller removes it when the last reassignment ends.',
  },
  [BROKER_DECOMMISSIONED_CONFIG]: {
    type: 'boolean',
    alterable: false,
    documentation:
      'true while `trib brokers decommission` drains the broker: no new replica is placed on it.',
  },
};

function dynamicConfigs(configs: ReadonlyMap<string, string>): DynamicConfig[] {
  return [...configs].map(([name, value]) => ({
    name,
    value,
    ...(DYNAMIC_KEYS[name] ?? { type: 'unknown', alterable: false, documentation: '' }),
  }));
}

/** The cluster-wide dynamic configs (Kafka's broker resource ""). */
export function clusterDynamicConfigs(image: MetadataImage): DynamicConfig[] {
  return dynamicConfigs(image.configsOf('cluster', ''));
}

/** Everything this broker describes about itself. */
export function brokerConfigInput(
  parts: Pick<KafkaBrokerParts, 'brokerId' | 'autoCreate' | 'topicDefaults'>,
  image: MetadataImage,
): BrokerConfigInput {
  const registration = image.broker(brokerId(parts.brokerId));
  const kafkaAddress = registration?.kafkaAddress;
  const id = String(parts.brokerId);
  const staticConfigs: StaticBrokerConfig[] = [
    { name: 'node.id', value: id, type: 'int', documentation: "This broker's id (--node-id)." },
    { name: 'broker.id', value: id, type: 'int', documentation: 'The same id, under its pre-KRaft name.' },
    {
      name: 'process.roles',
      value: 'broker',
      type: 'list',
      documentation: 'Brokers and controllers are separate processes.',
    },
    {
      name: 'broker.rack',
      value: registration?.rack ?? null,
      type: 'string',
      documentation: 'The rack replicas are spread across (--rack).',
    },
    {
      name: 'advertised.listeners',
      value: kafkaAddress === undefined ? null : `PLAINTEXT://${kafkaAddress}`,
      type: 'list',
      documentation: 'The Kafka address Metadata answers name for this broker (--kafka-advertised).',
    },
    {
      name: 'auto.create.topics.enable',
      value: String(parts.autoCreate !== null),
      type: 'boolean',
      documentation: 'Whether Metadata requests create the topics they name (--auto-create-topics).',
    },
    {
      name: 'num.partitions',
      value: String(parts.topicDefaults.partitions),
      type: 'int',
      documentation:
        'Partitions of an auto-created topic and of CreateTopics with -1 (--default-partitions).',
    },
    {
      name: 'default.replication.factor',
      value: String(parts.topicDefaults.replicationFactor),
      type: 'int',
      documentation: 'Replication factor of CreateTopics with -1 (--default-replication-factor).',
    },
  ];
  return {
    staticConfigs,
    brokerConfigs: dynamicConfigs(image.configsOf('broker', id)),
    clusterConfigs: clusterDynamicConfigs(image),
  };
}
