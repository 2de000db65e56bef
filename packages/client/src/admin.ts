/**
 * Topic and cluster administration. Every call except describeQuorum goes to the active controller through
 * ControllerConnection, which follows NOT_CONTROLLER leader hints and retries retriable errors with jittered
 * backoff within the call's deadline: directly when controllers are given, otherwise through the bootstrap
 * brokers, which forward it (admin-route.ts). Answers are plain objects, decoupled from the protobuf types.
 */

import type * as grpc from '@grpc/grpc-js';
import { assert, type Clock, type Random, TributaryError, WIRE_LIMITS } from '@tributary/core';
import {
  asTributaryError,
  type CallAuthentication,
  type ClientTls,
  type ControllerAdminClient,
  type ControllerConnection,
  clientCredentials,
  createControllerAdminClient,
  type DescribeQuorumResponse__Output,
  type QuorumVoter__Output,
  type TopicInfo__Output,
  unary,
} from '@tributary/protocol';
import type { AclEntry } from '@tributary/security';
import { type AdminRoute, openAdminConnection } from './admin-route.js';
import {
  type AclBindingFilterSpec,
  type AclCreationOutcome,
  type AclDeletionOutcome,
  alterClientQuotas,
  alterScramCredentials,
  type ClientQuotaAlteration,
  type ClientQuotaAlterationOutcome,
  type ClientQuotaDescription,
  type ClientQuotaFilterComponent,
  createAcls,
  deleteAcls,
  describeAcls,
  describeClientQuotas,
  describeScramCredentials,
  type NewAclBinding,
  requireScramSuccess,
  type ScramCredentialRef,
  type ScramCredentialSpec,
  type ScramUserDescription,
  type ScramUserOutcome,
} from './admin-security.js';
import type {
  AbortTransactionSpec,
  ListTransactionsOptions,
  TransactionAdmin,
  TransactionDescription,
  TransactionListing,
} from './admin-transactions.js';
import { type DeletedRecords, deleteRecordsOnLeaders, type RecordsToDelete } from './delete-records.js';
import { describeProducersOnLeaders, type PartitionProducersDescription } from './describe-producers.js';
import type { TopicPartitionOffset } from './group/commit-manager.js';
import type { GroupAdmin, GroupDescription, GroupListing, OffsetResetTarget } from './group/group-admin.js';
import type { TopicPartitionList } from './group/reconcile.js';
import {
  type BrokerSide,
  describeReplicasFromLeaders,
  type ElectionOutcome,
  electionOutcome,
  type OngoingReassignmentDescription,
  ongoingReassignment,
  type PartitionReplicasDescription,
  type ReassignmentListing,
  type ReassignmentOutcome,
  type ReassignmentTargetSpec,
  reassignmentOutcome,
  requireThrottle,
  requireValidPartitions,
  requireValidTargets,
  type TopicPartitionRef,
} from './reassignments.js';

export const ADMIN_DEFAULTS = {
  /** Overall deadline of one admin call, retries included. */
  deadlineMs: 10_000,
} as const;

/**
 * Limits of what one admin call may ask for ("put a limit on everything"): the controller's own. They
 * were 10,000 names and 1,000 configs here, above what the controller accepts, so such calls left the
 * client only to be refused.
 */
export const ADMIN_LIMITS = {
  /** Topic names one describeTopics call may name. */
  describeNamesMax: WIRE_LIMITS.topicsPerRequestMax,
  /** Config entries one createTopic call may carry, and one alterTopicConfigs may set (and remove). */
  configEntriesMax: WIRE_LIMITS.configEntriesPerRequestMax,
} as const;

export interface AdminOptions {
  /** host:port of controllers: when given, admin calls go to them directly. */
  readonly controllers?: readonly string[];
  /**
   * host:port of brokers: without controllers, admin calls go to these, which forward them to the active
   * controller (as KRaft brokers do). At least one of controllers and bootstrap is needed.
   */
  readonly bootstrap?: readonly string[];
  /** Deadline of calls that do not give their own (default ADMIN_DEFAULTS.deadlineMs). */
  readonly deadlineMs?: number;
  readonly clock?: Clock;
  readonly random?: Random;
  /** The broker side (group coordinators) for the group methods; TributaryClient.admin() provides it. */
  readonly groups?: GroupAdmin;
  /** Broker metadata and channels for describeReplicas; TributaryClient.admin() provides them. */
  readonly brokers?: BrokerSide;
  /** The broker side (transaction coordinators, partition leaders) for the transaction methods. */
  readonly transactions?: TransactionAdmin;
  /** TLS towards controllers and brokers (the CA, and a client certificate for mutual TLS); default plaintext. */
  readonly tls?: ClientTls;
  /** Authenticates every call (SCRAM sessions); TributaryClient.admin() passes its own. Unset: none. */
  readonly auth?: CallAuthentication;
}

export interface AlterReassignmentsOptions extends AdminCallOptions {
  /** Replication throttle for the moving replicas, bytes/s per broker (absent: leave it as it is). */
  readonly throttleBytesPerSec?: number;
  /** Removes the throttle now. */
  readonly removeThrottle?: boolean;
  /** Check the targets without starting anything. */
  readonly validateOnly?: boolean;
}

export interface DecommissionOptions extends AdminCallOptions {
  readonly throttleBytesPerSec?: number;
  /** Takes the broker back: new replicas may be placed on it again. */
  readonly cancel?: boolean;
}

export interface AdminCallOptions {
  /** Overall deadline of this call, retries included, in ms from now. */
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}

export interface NewTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs?: Readonly<Record<string, string>>;
  /** Check the request (name, counts, configs, placement) without creating anything. */
  readonly validateOnly?: boolean;
}

export interface PartitionDescription {
  readonly partition: number;
  /** null when the partition has no leader. */
  readonly leader: number | null;
  readonly leaderEpoch: number;
  readonly replicas: number[];
  readonly isr: number[];
}

export interface TopicDescription {
  readonly name: string;
  readonly id: string;
  readonly partitions: PartitionDescription[];
  readonly configs: Record<string, string>;
}

export interface TopicListing {
  readonly name: string;
  readonly id: string;
  readonly partitionCount: number;
  readonly replicationFactor: number;
}

export interface BrokerDescription {
  readonly id: number;
  readonly address: string;
  readonly fenced: boolean;
  readonly epoch: number;
  /** null when the broker registered without a rack. */
  readonly rack: string | null;
}

export interface ClusterDescription {
  readonly clusterId: string;
  /** null when there is no active controller. */
  readonly controllerId: number | null;
  readonly brokers: BrokerDescription[];
}

export interface QuorumVoterDescription {
  readonly id: number;
  readonly address: string;
  /** Known by the leader only; 0 in a follower's answer. */
  readonly matchIndex: number;
  readonly lag: number;
  /** null when unknown (or not answered by the leader). */
  readonly lastContactMsAgo: number | null;
}

export interface QuorumDescription {
  /** null when no controller that answered knows of a leader. */
  readonly leaderId: number | null;
  readonly term: number;
  readonly commitIndex: number;
  readonly voters: QuorumVoterDescription[];
  /** Non-voting members (learners): a controller being added catches up here before its promotion. */
  readonly observers: QuorumVoterDescription[];
}

/** Default deadline of addVoter/removeVoter: the controller waits up to 60 s for a new voter to catch up. */
export const MEMBERSHIP_CHANGE_DEADLINE_MS = 90_000;

function requireVoterId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > 0xffff_ffff) {
    throw new TributaryError('INVALID_REQUEST', `voter id must be an integer in [0, 4294967295], got ${id}`);
  }
}

function leaderOrNull(id: number): number | null {
  return id < 0 ? null : id;
}

export function topicDescription(topic: TopicInfo__Output): TopicDescription {
  return {
    name: topic.name,
    id: topic.topicId,
    partitions: topic.partitions.map((p) => ({
      partition: p.partition,
      leader: leaderOrNull(p.leader),
      leaderEpoch: p.leaderEpoch,
      replicas: [...p.replicas],
      isr: [...p.isr],
    })),
    configs: Object.fromEntries(topic.configs.map((entry) => [entry.name, entry.value])),
  };
}

export function quorumDescription(response: DescribeQuorumResponse__Output): QuorumDescription {
  return {
    leaderId: leaderOrNull(response.leaderId),
    term: response.term,
    commitIndex: response.commitIndex,
    voters: response.voters.map(quorumVoterDescription),
    observers: response.observers.map(quorumVoterDescription),
  };
}

function quorumVoterDescription(v: QuorumVoter__Output): QuorumVoterDescription {
  return {
    id: v.id,
    address: v.address,
    matchIndex: v.matchIndex,
    lag: v.lag,
    lastContactMsAgo: v.lastContactMsAgo < 0 ? null : v.lastContactMsAgo,
  };
}

/**
 * Of several controllers' quorum answers, the leader's (it alone knows every voter's progress);
 * without one, the answer with the highest term, preferring one that names a leader.
 */
export function preferredQuorumAnswer(
  answers: readonly DescribeQuorumResponse__Output[],
): DescribeQuorumResponse__Output | undefined {
  const leader = answers.find((a) => a.role === 'leader');
  if (leader !== undefined) return leader;
  let best: DescribeQuorumResponse__Output | undefined;
  for (const answer of answers) {
    if (
      best === undefined ||
      answer.term > best.term ||
      (answer.term === best.term && best.leaderId < 0 && answer.leaderId >= 0)
    ) {
      best = answer;
    }
  }
  return best;
}

function requirePositiveInt(
  what: string,
  value: number,
  code: 'INVALID_PARTITIONS' | 'INVALID_REPLICATION_FACTOR',
): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > 0xffff_ffff) {
    throw new TributaryError(code, `${what} must be a positive integer, got ${value}`);
  }
}

export class Admin {
  private readonly connection: ControllerConnection;
  /** Controllers describeQuorum asks directly; empty when calls go through brokers. */
  private readonly controllers: readonly string[];
  private readonly route: AdminRoute;
  private readonly defaultDeadlineMs: number;
  private readonly quorumClients = new Map<string, ControllerAdminClient>();
  private readonly credentials: grpc.ChannelCredentials;
  private readonly auth: CallAuthentication | undefined;
  private closedFlag = false;
  private readonly groups: GroupAdmin | undefined;
  private readonly brokers: BrokerSide | undefined;
  private readonly transactions: TransactionAdmin | undefined;

  constructor(options: AdminOptions) {
    this.defaultDeadlineMs = options.deadlineMs ?? ADMIN_DEFAULTS.deadlineMs;
    this.transactions = options.transactions;
    this.groups = options.groups;
    this.brokers = options.brokers;
    assert(this.defaultDeadlineMs > 0, 'the admin deadline must be positive');
    this.credentials = clientCredentials(options.tls);
    this.auth = options.auth;
    const routed = openAdminConnection({
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      ...(options.auth === undefined ? {} : { auth: options.auth }),
      ...(options.controllers === undefined ? {} : { controllers: options.controllers }),
      ...(options.bootstrap === undefined ? {} : { bootstrap: options.bootstrap }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.random === undefined ? {} : { random: options.random }),
    });
    this.connection = routed.connection;
    this.route = routed.route;
    this.controllers = routed.route === 'controllers' ? routed.addresses : [];
  }

  /** Whether calls go to the controllers directly or through the bootstrap brokers. */
  get routedThrough(): AdminRoute {
    return this.route;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Creates a topic (or, with validateOnly, checks that it could be) and describes it. */
  async createTopic(topic: NewTopic, options: AdminCallOptions = {}): Promise<TopicDescription> {
    requirePositiveInt('partitions', topic.partitions, 'INVALID_PARTITIONS');
    requirePositiveInt('replicationFactor', topic.replicationFactor, 'INVALID_REPLICATION_FACTOR');
    const configs = Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value }));
    if (configs.length > ADMIN_LIMITS.configEntriesMax) {
      throw new TributaryError('INVALID_CONFIG', `at most ${ADMIN_LIMITS.configEntriesMax} configs`);
    }
    const response = await this.connection.admin(
      'CreateTopic',
      {
        name: topic.name,
        partitions: topic.partitions,
        replicationFactor: topic.replicationFactor,
        configs,
        validateOnly: topic.validateOnly ?? false,
      },
      this.callOptions(options),
    );
    return topicDescription(this.requireTopic(response.topic, topic.name));
  }

  /** Deletes a topic; resolves to the deleted topic's id. */
  async deleteTopic(name: string, options: AdminCallOptions = {}): Promise<string> {
    const response = await this.connection.admin('DeleteTopic', { name }, this.callOptions(options));
    return response.topicId;
  }

  /** Grows a topic to totalCount partitions (which must exceed the current count). */
  async createPartitions(
    name: string,
    totalCount: number,
    options: AdminCallOptions = {},
  ): Promise<TopicDescription> {
    requirePositiveInt('totalCount', totalCount, 'INVALID_PARTITIONS');
    const response = await this.connection.admin(
      'CreatePartitions',
      { name, totalCount },
      this.callOptions(options),
    );
    return topicDescription(this.requireTopic(response.topic, name));
  }

  /**
   * Sets and removes topic configs (Kafka's incrementalAlterConfigs); the whole resulting config must be
   * valid. Resolves with the topic as it is afterwards (as it would be, with validateOnly).
   */
  async alterTopicConfigs(
    name: string,
    change: {
      readonly set?: Readonly<Record<string, string>>;
      readonly remove?: readonly string[];
      readonly validateOnly?: boolean;
    },
    options: AdminCallOptions = {},
  ): Promise<TopicDescription> {
    const set = Object.entries(change.set ?? {}).map(([configName, value]) => ({ name: configName, value }));
    const remove = [...(change.remove ?? [])];
    // The controller bounds the two lists apart, so a call may set and remove up to the bound each.
    if (set.length > ADMIN_LIMITS.configEntriesMax || remove.length > ADMIN_LIMITS.configEntriesMax) {
      throw new TributaryError(
        'INVALID_CONFIG',
        `at most ${ADMIN_LIMITS.configEntriesMax} configs set and ${ADMIN_LIMITS.configEntriesMax} removed`,
      );
    }
    const response = await this.connection.admin(
      'AlterTopicConfigs',
      { name, set, remove, validateOnly: change.validateOnly ?? false },
      this.callOptions(options),
    );
    return topicDescription(this.requireTopic(response.topic, name));
  }

  async listTopics(options: AdminCallOptions = {}): Promise<TopicListing[]> {
    const response = await this.connection.admin('ListTopics', {}, this.callOptions(options));
    return response.topics.map((t) => ({
      name: t.name,
      id: t.topicId,
      partitionCount: t.partitionCount,
      replicationFactor: t.replicationFactor,
    }));
  }

  /** Describes the named topics (every topic when names is absent or empty). */
  async describeTopics(
    names: readonly string[] = [],
    options: AdminCallOptions = {},
  ): Promise<TopicDescription[]> {
    if (names.length > ADMIN_LIMITS.describeNamesMax) {
      throw new TributaryError('INVALID_REQUEST', `at most ${ADMIN_LIMITS.describeNamesMax} names`);
    }
    const response = await this.connection.admin(
      'DescribeTopics',
      { names: [...names] },
      this.callOptions(options),
    );
    return response.topics.map(topicDescription);
  }

  async describeCluster(options: AdminCallOptions = {}): Promise<ClusterDescription> {
    const response = await this.connection.admin('DescribeCluster', {}, this.callOptions(options));
    return {
      clusterId: response.clusterId,
      controllerId: leaderOrNull(response.controllerId),
      brokers: response.brokers.map((b) => ({
        id: b.brokerId,
        address: b.address,
        fenced: b.fenced,
        epoch: b.brokerEpoch,
        rack: b.rack === '' ? null : b.rack,
      })),
    };
  }

  /**
   * Asks every configured controller at once and prefers the leader's answer. Fails only when no
   * controller answers (with the last error seen). Through brokers: the active controller's answer.
   */
  async describeQuorum(options: AdminCallOptions = {}): Promise<QuorumDescription> {
    this.requireOpen();
    if (this.route === 'brokers') {
      return quorumDescription(await this.connection.admin('DescribeQuorum', {}, this.callOptions(options)));
    }
    const { deadlineMs, signal } = this.callOptions(options);
    const attempt = signal === undefined ? { deadlineMs } : { deadlineMs, signal };
    const settled = await Promise.allSettled(
      this.controllers.map((address) => unary(this.quorumClient(address), 'DescribeQuorum', {}, attempt)),
    );
    const answers: DescribeQuorumResponse__Output[] = [];
    let lastError: TributaryError | undefined;
    for (const outcome of settled) {
      if (outcome.status === 'fulfilled') answers.push(outcome.value);
      else lastError = asTributaryError(outcome.reason);
    }
    const preferred = preferredQuorumAnswer(answers);
    if (preferred !== undefined) return quorumDescription(preferred);
    assert(lastError !== undefined, 'no quorum answer and no error');
    throw new TributaryError(lastError.code, `DescribeQuorum: no controller answered: ${lastError.message}`, {
      cause: lastError,
    });
  }

  /**
   * Adds controller `id` (listening at `address`, started with --join) as a voter: the active controller
   * replicates the log to it as an observer, promotes it once caught up, and answers once the promotion
   * committed (REQUEST_TIMED_OUT if it could not catch up; it then stays an observer and a retry resumes).
   * One membership change at a time (RECONFIGURATION_IN_PROGRESS). Resolves to the voters afterwards.
   * Needs the controllers: brokers do not forward membership changes (INVALID_REQUEST).
   */
  async addVoter(
    id: number,
    address: string,
    options: AdminCallOptions = {},
  ): Promise<QuorumVoterDescription[]> {
    requireVoterId(id);
    const response = await this.connection.admin(
      'AddVoter',
      { voterId: id, address },
      this.membershipCallOptions(options),
    );
    return response.voters.map(quorumVoterDescription);
  }

  /**
   * Removes controller `id` from the quorum (voter or observer); answers once the removal committed. The
   * active controller may remove itself: it steps down afterwards. Resolves to the voters afterwards.
   */
  async removeVoter(id: number, options: AdminCallOptions = {}): Promise<QuorumVoterDescription[]> {
    requireVoterId(id);
    const response = await this.connection.admin(
      'RemoveVoter',
      { voterId: id },
      this.membershipCallOptions(options),
    );
    return response.voters.map(quorumVoterDescription);
  }

  /**
   * Membership changes wait for a catch-up (up to a minute): a longer default deadline than other calls,
   * and one attempt may take all of it (a retry while the first attempt still runs would race it).
   */
  private membershipCallOptions(options: AdminCallOptions): {
    deadlineMs: number;
    signal?: AbortSignal;
    attemptTimeoutMs: number;
  } {
    const callOptions = this.callOptions({ deadlineMs: MEMBERSHIP_CHANGE_DEADLINE_MS, ...options });
    return { ...callOptions, attemptTimeoutMs: callOptions.deadlineMs };
  }

  /** Every consumer group, from every broker's answer merged. */
  async listGroups(options: AdminCallOptions = {}): Promise<GroupListing[]> {
    return this.requireGroups().listGroups(this.groupCallOptions(options));
  }

  /** A group's state, members and assignments, and per partition its committed offset, log end and lag. */
  async describeGroup(groupId: string, options: AdminCallOptions = {}): Promise<GroupDescription> {
    return this.requireGroups().describeGroup(groupId, this.groupCallOptions(options));
  }

  /**
   * Sets a group's committed offsets of `topic` (every partition, or `partitions`) to the earliest or
   * latest offsets or a given offset; resolves to the offsets written. Fails with GROUP_NOT_EMPTY while
   * the group has active members.
   */
  async resetGroupOffsets(
    groupId: string,
    topic: string,
    target: { readonly to: OffsetResetTarget },
    partitions?: readonly number[],
    options: AdminCallOptions = {},
  ): Promise<TopicPartitionOffset[]> {
    return this.requireGroups().resetGroupOffsets(
      groupId,
      topic,
      target,
      partitions,
      this.groupCallOptions(options),
    );
  }

  /** Deletes committed offsets of an empty group (all, or the named partitions'); resolves to how many. */
  async deleteGroupOffsets(
    groupId: string,
    topics: readonly TopicPartitionList[] = [],
    options: AdminCallOptions = {},
  ): Promise<number> {
    return this.requireGroups().deleteGroupOffsets(groupId, topics, this.groupCallOptions(options));
  }

  /**
   * Starts moving partitions to target replica lists (KIP-455). Resolves once the moves are started (not
   * finished), with one outcome per target: a refused target carries its error instead of failing the call.
   */
  async alterPartitionReassignments(
    targets: readonly ReassignmentTargetSpec[],
    options: AlterReassignmentsOptions = {},
  ): Promise<ReassignmentOutcome[]> {
    requireValidTargets(targets);
    const response = await this.connection.admin(
      'AlterPartitionReassignments',
      {
        targets: targets.map((t) => ({
          topic: t.topic,
          partition: t.partition,
          replicas: [...t.replicas],
          cancel: false,
        })),
        throttleBytesPerSec: requireThrottle(options.throttleBytesPerSec),
        removeThrottle: options.removeThrottle ?? false,
        validateOnly: options.validateOnly ?? false,
      },
      this.callOptions(options),
    );
    return response.results.map(reassignmentOutcome);
  }

  /** Cancels running reassignments: each partition goes back to its original replicas. */
  async cancelPartitionReassignments(
    partitions: readonly TopicPartitionRef[],
    options: AdminCallOptions = {},
  ): Promise<ReassignmentOutcome[]> {
    requireValidPartitions(partitions);
    const response = await this.connection.admin(
      'AlterPartitionReassignments',
      {
        targets: partitions.map((p) => ({
          topic: p.topic,
          partition: p.partition,
          replicas: [],
          cancel: true,
        })),
        throttleBytesPerSec: 0,
        removeThrottle: false,
        validateOnly: false,
      },
      this.callOptions(options),
    );
    return response.results.map(reassignmentOutcome);
  }

  /** The running reassignments (of the named topics, or all) and the replication throttle. */
  async listPartitionReassignments(
    topics: readonly string[] = [],
    options: AdminCallOptions = {},
  ): Promise<ReassignmentListing> {
    const response = await this.connection.admin(
      'ListPartitionReassignments',
      { topics: [...topics] },
      this.callOptions(options),
    );
    return {
      reassignments: response.reassignments.map(ongoingReassignment),
      throttleBytesPerSec: response.throttleBytesPerSec > 0 ? response.throttleBytesPerSec : null,
    };
  }

  /** Preferred leader election for the named partitions (or every partition); one outcome each. */
  async electLeaders(
    partitions: readonly TopicPartitionRef[] = [],
    options: AdminCallOptions = {},
  ): Promise<ElectionOutcome[]> {
    requireValidPartitions(partitions);
    const response = await this.connection.admin(
      'ElectLeaders',
      { partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition })) },
      this.callOptions(options),
    );
    return response.results.map(electionOutcome);
  }

  /** Drains a broker (or, with cancel, takes it back); resolves with the reassignments started. */
  async decommissionBroker(
    brokerId: number,
    options: DecommissionOptions = {},
  ): Promise<OngoingReassignmentDescription[]> {
    if (!Number.isSafeInteger(brokerId) || brokerId < 0 || brokerId > 0xffff_ffff) {
      throw new TributaryError('INVALID_REQUEST', `bad broker id ${brokerId}`);
    }
    const response = await this.connection.admin(
      'DecommissionBroker',
      {
        brokerId,
        throttleBytesPerSec: requireThrottle(options.throttleBytesPerSec),
        cancel: options.cancel ?? false,
      },
      this.callOptions(options),
    );
    return response.reassignments.map(ongoingReassignment);
  }

  /**
   * Each partition's log extent and size and its replicas' log end offsets, asked of the partition's
   * leader broker (from the client's metadata). Per-partition failures are entries with an error.
   */
  async describeReplicas(
    partitions: readonly TopicPartitionRef[],
    options: AdminCallOptions = {},
  ): Promise<PartitionReplicasDescription[]> {
    this.requireOpen();
    if (this.brokers === undefined) {
      throw new TributaryError(
        'INVALID_REQUEST',
        'describeReplicas needs the brokers: use TributaryClient.admin()',
      );
    }
    return describeReplicasFromLeaders(this.brokers, partitions, this.callOptions(options).deadlineMs);
  }

  /**
   * Deletes every record below `offset` (-1: the high watermark) in each partition, on its leader (Kafka's
   * deleteRecords): answered with the partition's new log start once its in-sync replicas have moved theirs.
   * Per-partition failures (OFFSET_OUT_OF_RANGE past the high watermark, POLICY_VIOLATION, ...) are entries.
   */
  async deleteRecords(
    partitions: readonly RecordsToDelete[],
    options: AdminCallOptions = {},
  ): Promise<DeletedRecords[]> {
    this.requireOpen();
    if (this.brokers === undefined) {
      throw new TributaryError(
        'INVALID_REQUEST',
        'deleteRecords needs the brokers: use TributaryClient.admin()',
      );
    }
    return deleteRecordsOnLeaders(this.brokers, partitions, this.callOptions(options).deadlineMs);
  }

  /**
   * The producers each partition's leader remembers (Kafka's describeProducers, KIP-664): epochs, last
   * sequence and timestamp, the coordinator epoch of the last marker and the open transaction's start
   * offset, the way to find a hanging transaction's producer. Needs Read on the topic where ACLs are
   * enforced. Per-partition failures (UNKNOWN_TOPIC_OR_PARTITION, TOPIC_AUTHORIZATION_FAILED, ...) are
   * entries; a leader that moved is found again after a metadata refresh.
   */
  async describeProducers(
    partitions: readonly TopicPartitionRef[],
    options: AdminCallOptions = {},
  ): Promise<PartitionProducersDescription[]> {
    this.requireOpen();
    if (this.brokers === undefined) {
      throw new TributaryError(
        'INVALID_REQUEST',
        'describeProducers needs the brokers: use TributaryClient.admin()',
      );
    }
    return describeProducersOnLeaders(this.brokers, partitions, this.callOptions(options).deadlineMs);
  }

  /** Every transaction the brokers' coordinators know, filtered by state, producer id and age (Kafka's). */
  async listTransactions(
    filters: ListTransactionsOptions = {},
    options: AdminCallOptions = {},
  ): Promise<TransactionListing[]> {
    return this.requireTransactions().listTransactions(filters, this.groupCallOptions(options));
  }

  /** Each transactional id's state, producer, timeout, start time and partitions, from its coordinator. */
  async describeTransactions(
    transactionalIds: readonly string[],
    options: AdminCallOptions = {},
  ): Promise<TransactionDescription[]> {
    return this.requireTransactions().describeTransactions(transactionalIds, this.groupCallOptions(options));
  }

  /**
   * Aborts a hanging transaction on one partition (Kafka's abortTransaction): an ABORT marker for the
   * producer written by the partition's leader. Needs ClusterAction where ACLs are enforced.
   */
  async abortTransaction(spec: AbortTransactionSpec, options: AdminCallOptions = {}): Promise<void> {
    return this.requireTransactions().abortTransaction(spec, this.groupCallOptions(options));
  }

  /** Creates ACLs (Kafka's createAcls): one outcome per binding, a refused one carrying its error. */
  async createAcls(
    bindings: readonly NewAclBinding[],
    options: AdminCallOptions = {},
  ): Promise<AclCreationOutcome[]> {
    this.requireOpen();
    return createAcls(this.connection, bindings, this.callOptions(options));
  }

  /** The ACLs a filter matches (an absent field matches anything; `{}` lists every ACL). */
  async describeAcls(filter: AclBindingFilterSpec = {}, options: AdminCallOptions = {}): Promise<AclEntry[]> {
    this.requireOpen();
    return describeAcls(this.connection, filter, this.callOptions(options));
  }

  /** Deletes the ACLs each filter matches; one outcome per filter with what it removed. */
  async deleteAcls(
    filters: readonly AclBindingFilterSpec[],
    options: AdminCallOptions = {},
  ): Promise<AclDeletionOutcome[]> {
    this.requireOpen();
    return deleteAcls(this.connection, filters, this.callOptions(options));
  }

  /**
   * Creates or replaces SCRAM credentials and deletes others in one request (Kafka's
   * alterUserScramCredentials): passwords are salted and hashed here, never sent. One outcome per user.
   */
  async alterScramCredentials(
    changes: {
      readonly upsertions?: readonly ScramCredentialSpec[];
      readonly deletions?: readonly ScramCredentialRef[];
    },
    options: AdminCallOptions = {},
  ): Promise<ScramUserOutcome[]> {
    this.requireOpen();
    return alterScramCredentials(this.connection, changes, this.callOptions(options));
  }

  /** Creates or replaces one SCRAM credential; fails with the controller's error for it. */
  async upsertScramCredential(spec: ScramCredentialSpec, options: AdminCallOptions = {}): Promise<void> {
    requireScramSuccess(await this.alterScramCredentials({ upsertions: [spec] }, options));
  }

  /** Deletes one SCRAM credential; RESOURCE_NOT_FOUND when the user has none for that mechanism. */
  async deleteScramCredential(ref: ScramCredentialRef, options: AdminCallOptions = {}): Promise<void> {
    requireScramSuccess(await this.alterScramCredentials({ deletions: [ref] }, options));
  }

  /** The named users' SCRAM mechanisms and iterations (every user when none is named); never secrets. */
  async describeScramCredentials(
    users: readonly string[] = [],
    options: AdminCallOptions = {},
  ): Promise<ScramUserDescription[]> {
    this.requireOpen();
    return describeScramCredentials(this.connection, users, this.callOptions(options));
  }

  /** Sets and removes client quotas (Kafka's alterClientQuotas); one outcome per entity. */
  async alterClientQuotas(
    alterations: readonly ClientQuotaAlteration[],
    options: AdminCallOptions & { readonly validateOnly?: boolean } = {},
  ): Promise<ClientQuotaAlterationOutcome[]> {
    this.requireOpen();
    return alterClientQuotas(this.connection, alterations, {
      ...this.callOptions(options),
      validateOnly: options.validateOnly ?? false,
    });
  }

  /**
   * The quotas of the entities every component matches (no component: every entity); with strict, only
   * entities with no part besides the filtered ones (Kafka's describeClientQuotas).
   */
  async describeClientQuotas(
    components: readonly ClientQuotaFilterComponent[] = [],
    options: AdminCallOptions & { readonly strict?: boolean } = {},
  ): Promise<ClientQuotaDescription[]> {
    this.requireOpen();
    return describeClientQuotas(this.connection, components, {
      ...this.callOptions(options),
      strict: options.strict ?? false,
    });
  }

  /** Closes every controller channel; later calls fail with SHUTTING_DOWN. Idempotent. */
  close(): void {
    this.closedFlag = true;
    this.connection.close();
    this.transactions?.close();
    for (const client of this.quorumClients.values()) client.close();
    this.quorumClients.clear();
  }

  private callOptions(options: AdminCallOptions): { deadlineMs: number; signal?: AbortSignal } {
    const deadlineMs = options.deadlineMs ?? this.defaultDeadlineMs;
    if (!(Number.isFinite(deadlineMs) && deadlineMs > 0)) {
      throw new TributaryError('INVALID_REQUEST', `deadlineMs must be positive, got ${deadlineMs}`);
    }
    return options.signal === undefined ? { deadlineMs } : { deadlineMs, signal: options.signal };
  }

  private requireGroups(): GroupAdmin {
    this.requireOpen();
    if (this.groups === undefined) {
      throw new TributaryError(
        'INVALID_REQUEST',
        'group methods need the brokers: use TributaryClient.admin()',
      );
    }
    return this.groups;
  }

  private requireTransactions(): TransactionAdmin {
    this.requireOpen();
    if (this.transactions === undefined) {
      throw new TributaryError(
        'INVALID_REQUEST',
        'transaction methods need the brokers: use TributaryClient.admin()',
      );
    }
    return this.transactions;
  }

  private groupCallOptions(options: AdminCallOptions): { deadlineMs: number } {
    return { deadlineMs: this.callOptions(options).deadlineMs };
  }

  private requireOpen(): void {
    if (this.closedFlag) throw new TributaryError('SHUTTING_DOWN', 'the admin client is closed');
  }

  private requireTopic(topic: TopicInfo__Output | null, name: string): TopicInfo__Output {
    if (topic === null) {
      throw new TributaryError('UNKNOWN', `the controller answered without a topic for ${name}`);
    }
    return topic;
  }

  private quorumClient(address: string): ControllerAdminClient {
    let client = this.quorumClients.get(address);
    if (client === undefined) {
      client = createControllerAdminClient(address, {
        credentials: this.credentials,
        ...(this.auth === undefined ? {} : { auth: this.auth }),
      });
      this.quorumClients.set(address, client);
    }
    return client;
  }
}
