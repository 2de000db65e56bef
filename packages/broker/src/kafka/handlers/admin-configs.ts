/**
 * Kafka's config APIs (DESIGN §9): DescribeConfigs 0–4, AlterConfigs 0–2 (legacy: replaces a topic's
 * overrides; KafkaJS's admin.alterConfigs) and IncrementalAlterConfigs 0–1 (SET, DELETE, APPEND,
 * SUBTRACT). DescribeConfigs is answered from this broker's metadata image, as Kafka brokers answer it
 * from their metadata cache. Alterations are forwarded to the active controller: topic configs through
 * AlterTopicConfigs (which validates the whole resulting config), the cluster's replication throttle
 * (broker resource "", Kafka's cluster-wide dynamic broker config) through AlterPartitionReassignments.
 * Per-broker configs are read-only here: a broker has no dynamic config the Kafka API could change.
 */
import { brokerId, validateTopicName } from '@tributary/core';
import {
  AlterConfigs,
  DescribeConfigs,
  IncrementalAlterConfigs,
  parseVersions,
  type RequestOf,
  type ResponseInputOf,
} from '@tributary/kafka-protocol';
import { type MetadataImage, targetReplicas } from '@tributary/metadata';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import type { KafkaBrokerParts } from '../parts.js';
import { brokerConfigInput, clusterDynamicConfigs } from './admin-broker-configs.js';
import {
  AdminBudget,
  type AdminError,
  forward,
  isAdminError,
  perDistinctName,
  refusal,
  tooManyResources,
  waitForImage,
} from './admin-common.js';
import {
  type ClusterChange,
  type ConfigEntryChange,
  type IncrementalChange,
  incrementalClusterChange,
  incrementalTopicChange,
  legacyClusterChange,
  legacyTopicChange,
  needsCurrentConfigs,
  type TopicChange,
} from './admin-config-changes.js';
import {
  brokerConfigEntries,
  clusterConfigEntries,
  type DescribedConfig,
  type DescribeOptions,
  topicConfigEntries,
} from './admin-config-entries.js';

type DescribeResource = RequestOf<typeof DescribeConfigs>['resources'][number];
type DescribeResult = ResponseInputOf<typeof DescribeConfigs>['results'][number];
type AlterResult = ResponseInputOf<typeof AlterConfigs>['responses'][number];

/** Kafka's ConfigResource.Type ids this broker serves. */
export const RESOURCE_TYPE = { topic: 2, broker: 4 } as const;

const TYPE_REFUSED = 'only topic (2) and broker (4) config resources are supported';
const BROKER_NOT_ALTERABLE =
  'a broker has no config the Kafka API can alter (its settings are flags; drain one with `trib brokers decommission`): ' +
  'the cluster-wide replication.throttled.rate is altered on the broker resource ""';

// ---- DescribeConfigs ----

export function describeConfigsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: DescribeConfigs,
    advertised: parseVersions('0-4'),
    handle: (request) => {
      const image = parts.metadata.currentImage();
      const tooMany = tooManyResources(request.resources.length);
      const results = request.resources.map((resource): DescribeResult => {
        const options: DescribeOptions = {
          keys: resource.configurationKeys,
          includeSynonyms: request.includeSynonyms,
          includeDocumentation: request.includeDocumentation,
        };
        const described = tooMany ?? describeResource(parts, image, resource, options);
        const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
        return isAdminError(described)
          ? { ...base, ...described, configs: [] }
          : { ...base, errorCode: 0, errorMessage: null, configs: described };
      });
      return { throttleTimeMs: 0, results };
    },
  });
}

function describeResource(
  parts: KafkaBrokerParts,
  image: MetadataImage,
  resource: DescribeResource,
  options: DescribeOptions,
): DescribedConfig[] | AdminError {
  const name = resource.resourceName;
  if (resource.resourceType === RESOURCE_TYPE.topic) {
    const invalid = invalidTopicName(name);
    if (invalid !== null) return invalid;
    const topic = image.topicByName(name);
    if (topic === undefined) return refusal('UNKNOWN_TOPIC_OR_PARTITION', `topic ${name} does not exist`);
    const first = topic.partitions.get(0);
    const replicationFactor = first === undefined ? 1 : targetReplicas(first).length;
    return topicConfigEntries(image.topicConfigs(name), replicationFactor, options);
  }
  if (resource.resourceType === RESOURCE_TYPE.broker) {
    if (name === '') return clusterConfigEntries(clusterDynamicConfigs(image), options);
    const refused = otherBroker(parts, image, name);
    if (refused !== null) return refused;
    return brokerConfigEntries(brokerConfigInput(parts, image), options);
  }
  return refusal('INVALID_REQUEST', `resource type ${resource.resourceType}: ${TYPE_REFUSED}`);
}

function invalidTopicName(name: string): AdminError | null {
  try {
    validateTopicName(name);
    return null;
  } catch (error) {
    return refusal('INVALID_TOPIC', error instanceof Error ? error.message : String(error));
  }
}

/** Why a broker resource's name is no registered broker id, or null. */
function unknownBroker(image: MetadataImage, name: string): AdminError | null {
  if (!/^\d{1,9}$/.test(name))
    return refusal('INVALID_REQUEST', `broker resource "${name}" is not a broker id`);
  if (image.broker(brokerId(Number(name))) === undefined) {
    return refusal('UNKNOWN_BROKER', `broker ${name} is not registered`);
  }
  return null;
}

/**
 * Null when `name` is this broker's id. A broker knows only its own static settings, so, as in Kafka,
 * another broker's resource is refused (clients send it to that broker).
 */
function otherBroker(parts: KafkaBrokerParts, image: MetadataImage, name: string): AdminError | null {
  const unknown = unknownBroker(image, name);
  if (unknown !== null) return unknown;
  if (Number(name) === parts.brokerId) return null;
  return refusal(
    'INVALID_REQUEST',
    `this is broker ${parts.brokerId}, which describes only its own configs: send it to broker ${name}`,
  );
}

// ---- AlterConfigs and IncrementalAlterConfigs ----

interface AlterShell {
  readonly validateOnly: boolean;
  readonly budget: AdminBudget;
}

/** How one resource's changes become a controller change, per API. */
interface AlterRules<C extends ConfigEntryChange> {
  readonly topic: (
    parts: KafkaBrokerParts,
    name: string,
    configs: readonly C[],
    shell: AlterShell,
  ) => Promise<TopicChange | AdminError>;
  readonly cluster: (configs: readonly C[]) => ClusterChange | AdminError;
}

const LEGACY_RULES: AlterRules<ConfigEntryChange> = {
  topic: async (parts, name, configs, shell) => {
    // Full replacement: every current override not given is removed, read from the controller itself.
    const current = await currentTopicConfigs(parts, name, shell);
    return isAdminError(current) ? current : legacyTopicChange(configs, [...current.overrides.keys()]);
  },
  cluster: legacyClusterChange,
};

const INCREMENTAL_RULES: AlterRules<IncrementalChange> = {
  topic: async (parts, name, configs, shell) => {
    const current = needsCurrentConfigs(configs) ? await currentTopicConfigs(parts, name, shell) : null;
    return current !== null && isAdminError(current) ? current : incrementalTopicChange(configs, current);
  },
  cluster: incrementalClusterChange,
};

export function alterConfigsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: AlterConfigs,
    advertised: parseVersions('0-2'),
    handle: async (request) => ({
      throttleTimeMs: 0,
      responses: await alterResources(parts, request.resources, request.validateOnly, LEGACY_RULES),
    }),
  });
}

export function incrementalAlterConfigsHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: IncrementalAlterConfigs,
    advertised: parseVersions('0-1'),
    handle: async (request) => ({
      throttleTimeMs: 0,
      responses: await alterResources(parts, request.resources, request.validateOnly, INCREMENTAL_RULES),
    }),
  });
}

interface AlterResource<C> {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly configs: readonly C[];
}

function alterResources<C extends ConfigEntryChange>(
  parts: KafkaBrokerParts,
  resources: readonly AlterResource<C>[],
  validateOnly: boolean,
  rules: AlterRules<C>,
): Promise<AlterResult[]> {
  // Neither API has a timeout: each call gets the named default deadline.
  const shell = { validateOnly, budget: new AdminBudget(null) };
  const resourceOf = new Map(resources.map((r) => [`${r.resourceType}:${r.resourceName}`, r]));
  return perDistinctName(resources, (r) => `${r.resourceType}:${r.resourceName}`, {
    work: (resource) => alterResource(parts, resource, rules, shell),
    refuse: (key, error) => {
      const resource = resourceOf.get(key);
      return {
        resourceType: resource?.resourceType ?? -1,
        resourceName: resource?.resourceName ?? '',
        ...error,
      };
    },
  });
}

async function alterResource<C extends ConfigEntryChange>(
  parts: KafkaBrokerParts,
  resource: AlterResource<C>,
  rules: AlterRules<C>,
  shell: AlterShell,
): Promise<AlterResult> {
  const { resourceType, resourceName: name } = resource;
  const answer = (error: AdminError | null): AlterResult => ({
    resourceType,
    resourceName: name,
    ...(error ?? { errorCode: 0, errorMessage: null }),
  });
  if (resourceType === RESOURCE_TYPE.topic) {
    const change = await rules.topic(parts, name, resource.configs, shell);
    return answer(isAdminError(change) ? change : await alterTopic(parts, name, change, shell));
  }
  if (resourceType === RESOURCE_TYPE.broker) {
    if (name !== '') {
      const unknown = unknownBroker(parts.metadata.currentImage(), name);
      return answer(unknown ?? refusal('INVALID_REQUEST', BROKER_NOT_ALTERABLE));
    }
    const change = rules.cluster(resource.configs);
    return answer(isAdminError(change) ? change : await alterCluster(parts, change, shell));
  }
  return answer(refusal('INVALID_REQUEST', `resource type ${resourceType}: ${TYPE_REFUSED}`));
}

/** The topic's overrides and replication factor as the controller has them now. */
async function currentTopicConfigs(
  parts: KafkaBrokerParts,
  name: string,
  shell: AlterShell,
): Promise<{ overrides: Map<string, string>; replicationFactor: number } | AdminError> {
  const result = await forward(parts, 'DescribeTopics', { names: [name] }, shell.budget);
  if (!result.ok) return result.error;
  const topic = result.answer.topics[0];
  if (topic === undefined) return refusal('UNKNOWN_TOPIC_OR_PARTITION', `topic ${name} does not exist`);
  return {
    overrides: new Map(topic.configs.map((config) => [config.name, config.value])),
    replicationFactor: topic.partitions[0]?.replicas.length ?? 1,
  };
}

async function alterTopic(
  parts: KafkaBrokerParts,
  name: string,
  change: TopicChange,
  shell: AlterShell,
): Promise<AdminError | null> {
  const request = { name, set: change.set, remove: change.remove, validateOnly: shell.validateOnly };
  const result = await forward(parts, 'AlterTopicConfigs', request, shell.budget);
  if (!result.ok) return result.error;
  const after = result.answer.topic?.configs;
  if (!shell.validateOnly && after !== undefined && shell.budget.waitsForPropagation) {
    // Answered once this broker's image has the new configs, so a DescribeConfigs here shows them.
    const expected = new Map(after.map((config) => [config.name, config.value]));
    const applied = (image: MetadataImage): boolean => sameConfigs(image.topicConfigs(name), expected);
    await waitForImage(parts, applied, shell.budget.remainingMs());
  }
  return null;
}

function sameConfigs(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([key, value]) => b.get(key) === value);
}

async function alterCluster(
  parts: KafkaBrokerParts,
  change: ClusterChange,
  shell: AlterShell,
): Promise<AdminError | null> {
  const rate = change.throttleBytesPerSec;
  if (rate === undefined) return null;
  const request = {
    targets: [],
    // 0 leaves the throttle as it is; removing it is its own flag.
    throttleBytesPerSec: rate ?? 0,
    removeThrottle: rate === null,
    validateOnly: shell.validateOnly,
  };
  const result = await forward(parts, 'AlterPartitionReassignments', request, shell.budget);
  if (!result.ok) return result.error;
  if (!shell.validateOnly && shell.budget.waitsForPropagation) {
    const applied = (image: MetadataImage): boolean => image.replicationThrottle() === rate;
    await waitForImage(parts, applied, shell.budget.remainingMs());
  }
  return null;
}
