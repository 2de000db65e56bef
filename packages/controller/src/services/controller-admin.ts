/**
 * ControllerAdmin. CreateTopic, DeleteTopic and CreatePartitions are commands: the active controller
 * decides them (src/control/) and answers once committed; a standby answers NOT_CONTROLLER with the
 * leader hint. ListTopics, DescribeTopics and DescribeCluster are served by any controller from its
 * committed image (spreading read load); DescribeQuorum by any controller from its own Raft status.
 */
import { type ErrorCode, LIMITS, nodeId, TributaryError } from '@tributary/core';
import {
  type AlterTopicConfigsResponse,
  type ControllerAdminHandlers,
  type CreatePartitionsResponse,
  type CreateTopicResponse,
  type DeleteTopicResponse,
  type DescribeClusterResponse,
  type DescribeQuorumResponse,
  type DescribeTopicsResponse,
  handleUnary,
  type ListTopicsResponse,
  type QuorumVoter,
  requireCountAtMost,
  requireIntInRange,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import type { CommandContextFactory } from '../commands.js';
import type { VoterAddress } from '../config.js';
import { alterTopicConfigs, createPartitions, createTopic, deleteTopic } from '../control/topics.js';
import type { QuorumController } from '../quorum-controller.js';
import type { RaftDriver } from '../raft-host/driver.js';
import type { LevelRaftStorage } from '../raft-host/level-storage.js';
import { brokerInfo, sortedTopics, topicInfo, topicListing } from './convert.js';
import { createLeaderHandlers } from './leader-handlers.js';
import { createQuorumHandlers } from './quorum-handlers.js';
import { createReassignmentHandlers } from './reassignment-handlers.js';
import { requireTopicName } from './request-checks.js';
import { createSecurityHandlers } from './security-handlers.js';

export interface ControllerAdminOptions {
  readonly quorum: QuorumController;
  readonly contexts: CommandContextFactory;
  readonly driver: RaftDriver;
  readonly storage: LevelRaftStorage;
  readonly voters: readonly VoterAddress[];
  readonly tickMs: number;
  /** How long AddVoter waits for the new node to catch up before REQUEST_TIMED_OUT. */
  readonly addVoterCatchUpMs: number;
  readonly clusterId: string;
  readonly logger: Logger;
}

/** Config entries as a record; refuses nameless and repeated entries. */
function configEntries(
  entries: readonly { readonly name: string; readonly value: string }[],
  field: string,
): Record<string, string> {
  requireCountAtMost(entries, field, LIMITS.configEntriesPerTopicMax);
  const configs: Record<string, string> = {};
  for (const entry of entries) {
    if (entry.name.length === 0) throw new TributaryError('INVALID_CONFIG', `${field}: an entry has no name`);
    if (Object.hasOwn(configs, entry.name)) {
      throw new TributaryError('INVALID_CONFIG', `${field}: ${entry.name} is given twice`);
    }
    configs[entry.name] = entry.value;
  }
  return configs;
}

/** Runs a field check, answering with a more specific code than INVALID_REQUEST (same message). */
function withCode<T>(code: ErrorCode, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof TributaryError && error.code === 'INVALID_REQUEST')
      throw new TributaryError(code, error.message);
    throw error;
  }
}

export function createControllerAdminHandlers(options: ControllerAdminOptions): ControllerAdminHandlers {
  const { quorum, contexts } = options;
  const handleOptions = {
    onUnexpectedError: (error: unknown) => options.logger.error({ err: error }, 'admin handler failed'),
  };
  return {
    CreateTopic: handleUnary(async (request): Promise<CreateTopicResponse> => {
      const name = requireTopicName(request.name, 'name');
      // Both counts are required: proto3 cannot tell 0 from "not set", and a silent default for a
      // mistaken 0 would create a topic nobody asked for (Kafka's -1 "broker default" has no equivalent).
      const partitions = withCode('INVALID_PARTITIONS', () =>
        requireIntInRange(request.partitions, 'partitions', { min: 1, max: LIMITS.partitionsPerTopicMax }),
      );
      const replicationFactor = withCode('INVALID_REPLICATION_FACTOR', () =>
        requireIntInRange(request.replicationFactor, 'replication_factor', {
          min: 1,
          max: LIMITS.replicationFactorMax,
        }),
      );
      const configs = configEntries(request.configs, 'configs');
      const { response, image } = await quorum.runCommand((latest) =>
        createTopic(
          latest,
          {
            name,
            partitions,
            replicationFactor,
            configs,
            validateOnly: request.validateOnly,
          },
          contexts.contextFor(latest),
        ),
      );
      const topic = image.topicByName(name);
      if (topic !== undefined && !request.validateOnly) return { topic: topicInfo(image, topic) };
      // validate_only: describe what would be created.
      return {
        topic: {
          name,
          topicId: response.topicId ?? '',
          partitions: response.assignments.map((replicas, partition) => ({
            partition,
            leader: -1,
            leaderEpoch: 0,
            partitionEpoch: 0,
            replicas: [...replicas],
            isr: [],
          })),
          configs: Object.entries(configs).map(([configName, value]) => ({ name: configName, value })),
        },
      };
    }, handleOptions),

    DeleteTopic: handleUnary(async (request): Promise<DeleteTopicResponse> => {
      const name = requireTopicName(request.name, 'name');
      // An empty topic_id (proto3's default) deletes by name alone.
      const topicId = request.topicId === '' ? {} : { topicId: request.topicId };
      const { response } = await quorum.runCommand((latest) => deleteTopic(latest, { name, ...topicId }));
      return { topicId: response.topicId };
    }, handleOptions),

    CreatePartitions: handleUnary(async (request): Promise<CreatePartitionsResponse> => {
      const name = requireTopicName(request.name, 'name');
      const totalCount = withCode('INVALID_PARTITIONS', () =>
        requireIntInRange(request.totalCount, 'total_count', { min: 1, max: LIMITS.partitionsPerTopicMax }),
      );
      const { image } = await quorum.runCommand((latest) =>
        createPartitions(
          latest,
          { name, totalCount, validateOnly: request.validateOnly },
          contexts.contextFor(latest),
        ),
      );
      const topic = image.topicByName(name);
      if (topic === undefined) throw new TributaryError('UNKNOWN_TOPIC', `topic ${name} does not exist`);
      return { topic: topicInfo(image, topic) };
    }, handleOptions),

    AlterTopicConfigs: handleUnary(async (request): Promise<AlterTopicConfigsResponse> => {
      const name = requireTopicName(request.name, 'name');
      const set = configEntries(request.set, 'set');
      requireCountAtMost(request.remove, 'remove', LIMITS.configEntriesPerTopicMax);
      if (request.remove.some((entry) => entry.length === 0)) {
        throw new TributaryError('INVALID_CONFIG', 'remove: an entry is empty');
      }
      const { response, image } = await quorum.runCommand((latest) =>
        alterTopicConfigs(latest, { name, set, remove: request.remove, validateOnly: request.validateOnly }),
      );
      const topic = image.topicByName(name);
      if (topic === undefined) throw new TributaryError('UNKNOWN_TOPIC', `topic ${name} does not exist`);
      const described = topicInfo(image, topic);
      if (!request.validateOnly) return { topic: described };
      const configs = Object.entries(response.configs).map(([configName, value]) => ({
        name: configName,
        value,
      }));
      return { topic: { ...described, configs } };
    }, handleOptions),

    ListTopics: handleUnary(async (): Promise<ListTopicsResponse> => {
      return { topics: sortedTopics(quorum.committed).map(topicListing) };
    }, handleOptions),

    DescribeTopics: handleUnary(async (request): Promise<DescribeTopicsResponse> => {
      requireCountAtMost(request.names, 'names', LIMITS.topicsPerRequestMax);
      const image = quorum.committed;
      if (request.names.length === 0) return { topics: sortedTopics(image).map((t) => topicInfo(image, t)) };
      const topics = request.names.map((name, i) => {
        const topic = image.topicByName(requireTopicName(name, `names[${i}]`));
        if (topic === undefined) throw new TributaryError('UNKNOWN_TOPIC', `topic ${name} does not exist`);
        return topicInfo(image, topic);
      });
      return { topics };
    }, handleOptions),

    DescribeCluster: handleUnary(async (): Promise<DescribeClusterResponse> => {
      const image = quorum.committed;
      const leaderId = options.driver.status().leaderId;
      return {
        clusterId: options.clusterId,
        controllerId: leaderId ?? -1,
        brokers: image.brokerIds().flatMap((id) => {
          const broker = image.broker(id);
          return broker === undefined ? [] : [brokerInfo(broker)];
        }),
        metadataOffset: Math.max(0, quorum.appliedIndex),
      };
    }, handleOptions),

    DescribeQuorum: handleUnary(
      async (): Promise<DescribeQuorumResponse> => describeQuorum(options),
      handleOptions,
    ),
    // Issue 7's commands live in their own files: reassignment, leader election, quorum membership.
    ...createReassignmentHandlers(options, handleOptions),
    ...createLeaderHandlers(options, handleOptions),
    ...createQuorumHandlers(options, handleOptions),
    ...createSecurityHandlers(options, handleOptions),
  };
}

export function describeQuorum(options: ControllerAdminOptions): DescribeQuorumResponse {
  const status = options.driver.status();
  // The membership in force (from the Raft log), not the --voters given at start: voters and learners
  // (listed as observers), each at the address its membership entry carries, else its --voters address.
  const describe = (id: number): QuorumVoter => {
    const address =
      status.addresses[String(id)] ?? options.voters.find((voter) => voter.id === id)?.address ?? '';
    const progress = status.progress?.get(nodeId(id));
    if (progress === undefined) return { id, address, matchIndex: 0, lag: 0, lastContactMsAgo: -1 };
    const self = id === status.id;
    return {
      id,
      address,
      matchIndex: progress.match,
      lag: Math.max(0, status.lastIndex - progress.match),
      lastContactMsAgo: self ? 0 : progress.ticksSinceContact * options.tickMs,
    };
  };
  return {
    nodeId: status.id,
    leaderId: status.leaderId ?? -1,
    term: status.term,
    commitIndex: status.commit,
    lastIndex: status.lastIndex,
    role: status.role,
    voters: [...status.voters].sort((x, y) => x - y).map(describe),
    observers: [...status.learners].sort((x, y) => x - y).map(describe),
    snapshotIndex: options.storage.snapshot().meta.index,
    appliedIndex: options.quorum.appliedIndex,
  };
}
