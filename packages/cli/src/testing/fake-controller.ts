/**
 * An in-process fake controller on 127.0.0.1:0 serving ControllerAdmin and MetadataStream from
 * canned state. It tests the CLI's calls and output, not controller behaviour.
 */
import type * as grpc from '@grpc/grpc-js';
import { TributaryError } from '@tributary/core';
import {
  addControllerAdminService,
  addMetadataStreamService,
  type BrokerInfo,
  bindServer,
  type ControllerAdminHandlers,
  createServer,
  type DescribeQuorumResponse,
  type FetchMetadataEvent,
  handleServerStream,
  handleUnary,
  type MetadataStreamHandlers,
  type PartitionInfo,
  shutdownServer,
  type TopicConfigEntry,
  type TopicInfo,
} from '@tributary/protocol';
import { scalingHandlers } from './fake-scaling.js';

export interface FakeTopic {
  readonly name: string;
  readonly topicId: string;
  partitionCount: number;
  readonly configs: TopicConfigEntry[];
}

/** A reassignment the fake is running (issue 7): its original and target replicas. */
export interface FakeReassignment {
  readonly original: readonly number[];
  readonly target: readonly number[];
  /** ListPartitionReassignments calls that still show it; at 0 the next list completes it. null: never. */
  listsLeft: number | null;
}

export interface FakeControllerState {
  quorum: DescribeQuorumResponse;
  topics: Map<string, FakeTopic>;
  /** Partitions that differ from the canned layout, by `topic-partition` (moves, elections). */
  partitionOverrides: Map<string, PartitionInfo>;
  reassignments: Map<string, FakeReassignment>;
  /** How many list calls show a new reassignment before it completes (null: it never does). */
  completeAfterLists: number | null;
  /** The replication throttle, bytes/s (0: none). */
  throttleBytesPerSec: number;
  decommissioned: Set<number>;
  /** Brokers DescribeCluster lists after the canned two; also where decommissioned replicas go. */
  extraBrokers: BrokerInfo[];
  /** Events FetchMetadata sends; with follow it then waits until cancelled. */
  metadataEvents: FetchMetadataEvent[];
  /** When set, every admin call fails with this error. */
  adminError: TributaryError | undefined;
  readonly requests: { method: string; request: unknown }[];
}

export interface FakeController {
  readonly address: string;
  readonly state: FakeControllerState;
  stop(): Promise<void>;
}

function partitions(count: number): PartitionInfo[] {
  return Array.from({ length: count }, (_, partition) => ({
    partition,
    leader: partition === 0 ? -1 : 1,
    leaderEpoch: partition,
    partitionEpoch: 0,
    replicas: [1, 2, 3],
    isr: partition === 0 ? [] : [1, 2, 3],
  }));
}

export function topicInfo(topic: FakeTopic, overrides?: ReadonlyMap<string, PartitionInfo>): TopicInfo {
  return {
    name: topic.name,
    topicId: topic.topicId,
    partitions: partitions(topic.partitionCount).map(
      (p) => overrides?.get(`${topic.name}-${p.partition}`) ?? p,
    ),
    configs: topic.configs,
  };
}

function topicOrThrow(state: FakeControllerState, name: string): FakeTopic {
  const topic = state.topics.get(name);
  if (topic === undefined) throw new TributaryError('UNKNOWN_TOPIC', `topic "${name}" does not exist`);
  return topic;
}

function adminHandlers(state: FakeControllerState): ControllerAdminHandlers {
  const record = (method: string, request: unknown) => {
    state.requests.push({ method, request });
    if (state.adminError !== undefined) throw state.adminError;
  };
  return {
    CreateTopic: handleUnary(async (request) => {
      record('CreateTopic', request);
      if (state.topics.has(request.name)) {
        throw new TributaryError('TOPIC_ALREADY_EXISTS', `topic "${request.name}" already exists`);
      }
      const topic = {
        name: request.name,
        topicId: `id-${request.name}`,
        partitionCount: request.partitions,
        configs: request.configs,
      };
      state.topics.set(request.name, topic);
      return { topic: topicInfo(topic) };
    }),
    DeleteTopic: handleUnary(async (request) => {
      record('DeleteTopic', request);
      const topic = topicOrThrow(state, request.name);
      state.topics.delete(request.name);
      return { topicId: topic.topicId };
    }),
    CreatePartitions: handleUnary(async (request) => {
      record('CreatePartitions', request);
      const topic = topicOrThrow(state, request.name);
      topic.partitionCount = request.totalCount;
      return { topic: topicInfo(topic, state.partitionOverrides) };
    }),
    AlterTopicConfigs: handleUnary(async (request) => {
      record('AlterTopicConfigs', request);
      const topic = topicOrThrow(state, request.name);
      const configs = new Map<string, string>(
        topic.configs.map((entry) => [entry.name ?? '', entry.value ?? '']),
      );
      for (const name of request.remove) configs.delete(name);
      for (const entry of request.set) configs.set(entry.name, entry.value);
      const next = [...configs].map(([name, value]) => ({ name, value }));
      if (!request.validateOnly) topic.configs.splice(0, topic.configs.length, ...next);
      return { topic: { ...topicInfo(topic), configs: next } };
    }),
    ListTopics: handleUnary(async (request) => {
      record('ListTopics', request);
      const topics = [...state.topics.values()].map((topic) => ({
        name: topic.name,
        topicId: topic.topicId,
        partitionCount: topic.partitionCount,
        replicationFactor: 3,
      }));
      return { topics };
    }),
    DescribeTopics: handleUnary(async (request) => {
      record('DescribeTopics', request);
      return {
        topics: (request.names.length > 0 ? request.names : [...state.topics.keys()]).flatMap((name) =>
          state.topics.has(name) ? [topicInfo(topicOrThrow(state, name), state.partitionOverrides)] : [],
        ),
      };
    }),
    DescribeCluster: handleUnary(async (request) => {
      record('DescribeCluster', request);
      return {
        clusterId: 'cluster-1',
        controllerId: 1,
        metadataOffset: 42,
        brokers: [
          {
            brokerId: 2,
            address: '127.0.0.1:9102',
            rack: '',
            brokerEpoch: 7,
            fenced: true,
            incarnationId: 'b',
          },
          {
            brokerId: 1,
            address: '127.0.0.1:9101',
            rack: 'r1',
            brokerEpoch: 5,
            fenced: false,
            incarnationId: 'a',
          },
          ...state.extraBrokers,
        ],
      };
    }),
    DescribeQuorum: handleUnary(async () => state.quorum),
    ...scalingHandlers(state, record),
    // Quorum membership (issue 7): the fake changes its canned DescribeQuorum voters at once.
    AddVoter: handleUnary(async (request) => {
      record('AddVoter', request);
      const voters = state.quorum.voters ?? [];
      if (voters.some((voter) => voter.id === request.voterId)) {
        throw new TributaryError('DUPLICATE_VOTER', `voter_id: node ${request.voterId} is already a voter`);
      }
      const added = {
        id: request.voterId,
        address: request.address,
        matchIndex: 0,
        lag: 0,
        lastContactMsAgo: -1,
      };
      state.quorum = { ...state.quorum, voters: [...voters, added] };
      return { voters: state.quorum.voters ?? [] };
    }),
    RemoveVoter: handleUnary(async (request) => {
      record('RemoveVoter', request);
      const voters = state.quorum.voters ?? [];
      if (!voters.some((voter) => voter.id === request.voterId)) {
        throw new TributaryError('VOTER_NOT_FOUND', `voter_id: node ${request.voterId} is not a voter`);
      }
      state.quorum = { ...state.quorum, voters: voters.filter((voter) => voter.id !== request.voterId) };
      return { voters: state.quorum.voters ?? [] };
    }),
    CreateAcls: handleUnary(async (request) => {
      record('CreateAcls', request);
      throw new TributaryError('INVALID_REQUEST', 'the fake controller does not serve CreateAcls');
    }),
    DeleteAcls: handleUnary(async (request) => {
      record('DeleteAcls', request);
      throw new TributaryError('INVALID_REQUEST', 'the fake controller does not serve DeleteAcls');
    }),
    DescribeAcls: handleUnary(async (request) => {
      record('DescribeAcls', request);
      throw new TributaryError('INVALID_REQUEST', 'the fake controller does not serve DescribeAcls');
    }),
    AlterUserScramCredentials: handleUnary(async (request) => {
      record('AlterUserScramCredentials', request);
      throw new TributaryError(
        'INVALID_REQUEST',
        'the fake controller does not serve AlterUserScramCredentials',
      );
    }),
    DescribeUserScramCredentials: handleUnary(async (request) => {
      record('DescribeUserScramCredentials', request);
      throw new TributaryError(
        'INVALID_REQUEST',
        'the fake controller does not serve DescribeUserScramCredentials',
      );
    }),
    AlterClientQuotas: handleUnary(async (request) => {
      record('AlterClientQuotas', request);
      throw new TributaryError('INVALID_REQUEST', 'the fake controller does not serve AlterClientQuotas');
    }),
    DescribeClientQuotas: handleUnary(async (request) => {
      record('DescribeClientQuotas', request);
      throw new TributaryError('INVALID_REQUEST', 'the fake controller does not serve DescribeClientQuotas');
    }),
  };
}

function metadataHandlers(state: FakeControllerState): MetadataStreamHandlers {
  return {
    FetchMetadata: handleServerStream(async (request, call) => {
      state.requests.push({ method: 'FetchMetadata', request });
      for (const event of state.metadataEvents) call.write(event);
      if (request.follow) {
        await new Promise<void>((resolve) => call.once('cancelled', () => resolve()));
      }
    }),
  };
}

export async function startFakeController(quorum: DescribeQuorumResponse): Promise<FakeController> {
  const state: FakeControllerState = {
    quorum,
    topics: new Map(),
    partitionOverrides: new Map(),
    reassignments: new Map(),
    completeAfterLists: 1,
    throttleBytesPerSec: 0,
    decommissioned: new Set(),
    extraBrokers: [],
    metadataEvents: [],
    adminError: undefined,
    requests: [],
  };
  const server: grpc.Server = createServer();
  addControllerAdminService(server, adminHandlers(state));
  addMetadataStreamService(server, metadataHandlers(state));
  const port = await bindServer(server, '127.0.0.1:0');
  return { address: `127.0.0.1:${port}`, state, stop: () => shutdownServer(server, 200) };
}
