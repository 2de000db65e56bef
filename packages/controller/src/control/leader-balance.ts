/**
 * Preferred leader election (Kafka's ElectLeaders with PREFERRED) and automatic leader balance (Kafka's
 * auto.leader.rebalance.enable). A partition's preferred leader is its first replica (preferredLeader);
 * leadership drifts away from it when a broker is fenced or restarts, and these commands move it back,
 * cleanly (the preferred leader must be unfenced and in the ISR), with a new leader epoch.
 */
import { assert, type BrokerId, type ErrorCode, TributaryError } from '@tributary/core';
import {
  isReassigning,
  type MetadataImage,
  type NO_LEADER,
  type PartitionChangeRecord,
  type PartitionState,
} from '@tributary/metadata';
import type { ControlResult } from './context.js';
import { electPreferredLeader, preferredLeader } from './elections.js';

/** Partitions one ElectLeaders request may name. */
export const ELECT_LEADERS_PARTITIONS_MAX = 10_000;
/**
 * Leader changes one command writes (one Raft entry) when every partition is asked for or when the
 * balance timer runs: bounds the entry's size and the burst of leadership moves brokers see at once.
 */
export const PREFERRED_ELECTIONS_PER_COMMAND_MAX = 1_000;

export interface TopicPartitionName {
  readonly topic: string;
  readonly partition: number;
}

export interface ElectPreferredLeadersRequest {
  /** The partitions to elect for, each at most once; 'all' for every partition of every topic. */
  readonly partitions: readonly TopicPartitionName[] | 'all';
  /** With 'all': elect at most this many (default PREFERRED_ELECTIONS_PER_COMMAND_MAX). */
  readonly electionsMax?: number;
}

export interface ElectionResult {
  readonly topic: string;
  readonly partition: number;
  /** null when leadership moves to the preferred leader. */
  readonly errorCode: ErrorCode | null;
  readonly message: string;
  /** The leader once this command's records apply. */
  readonly leader: BrokerId | typeof NO_LEADER;
}

export interface ElectPreferredLeadersResponse {
  /**
   * Per named partition, in request order. With 'all', as Kafka does, only the partitions that needed an
   * election: those elected and those whose preferred leader is not available (not ELECTION_NOT_NEEDED).
   */
  readonly results: readonly ElectionResult[];
  /** With 'all': more partitions wanted an election than electionsMax allowed; run again for the rest. */
  readonly more: boolean;
}

/**
 * Decides a preferred leader election for each partition asked for. Per-item outcomes, never a failure
 * of the whole request for one bad item: ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE and
 * UNKNOWN_TOPIC_OR_PARTITION are results. A partition named twice is a malformed request.
 */
export function electPreferredLeaders(
  image: MetadataImage,
  request: ElectPreferredLeadersRequest,
): ControlResult<ElectPreferredLeadersResponse> {
  if (request.partitions === 'all') return electAll(image, request.electionsMax);
  const { partitions } = request;
  if (partitions.length > ELECT_LEADERS_PARTITIONS_MAX) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `${partitions.length} partitions named; at most ${ELECT_LEADERS_PARTITIONS_MAX} per request`,
    );
  }
  const seen = new Set<string>();
  const records: PartitionChangeRecord[] = [];
  const results: ElectionResult[] = [];
  for (const { topic, partition } of partitions) {
    const key = `${topic}\u0000${partition}`;
    if (seen.has(key)) {
      throw new TributaryError('INVALID_REQUEST', `partition ${topic}/${partition} is named twice`);
    }
    seen.add(key);
    const topicImage = image.topicByName(topic);
    const state = topicImage?.partitions.get(partition);
    if (state === undefined) {
      results.push({
        topic,
        partition,
        errorCode: 'UNKNOWN_TOPIC_OR_PARTITION',
        message:
          topicImage === undefined
            ? `topic "${topic}" does not exist`
            : `topic "${topic}" has no partition ${partition}`,
        leader: -1,
      });
      continue;
    }
    const result = electionResult(image, topic, state);
    results.push(result.result);
    if (result.record !== undefined) records.push(result.record);
  }
  return { records, response: { results, more: false } };
}

function electAll(
  image: MetadataImage,
  electionsMax = PREFERRED_ELECTIONS_PER_COMMAND_MAX,
): ControlResult<ElectPreferredLeadersResponse> {
  assert(Number.isSafeInteger(electionsMax) && electionsMax > 0, 'electionsMax must be a positive integer');
  const records: PartitionChangeRecord[] = [];
  const results: ElectionResult[] = [];
  let more = false;
  for (const topic of image.topicsById.values()) {
    for (const state of topic.partitions.values()) {
      if (state.leader === preferredLeader(state)) continue;
      if (records.length === electionsMax) {
        more = true;
        break;
      }
      const result = electionResult(image, topic.name, state);
      results.push(result.result);
      if (result.record !== undefined) records.push(result.record);
    }
    if (more) break;
  }
  return { records, response: { results, more } };
}

function electionResult(
  image: MetadataImage,
  topic: string,
  state: PartitionState,
): { readonly result: ElectionResult; readonly record?: PartitionChangeRecord } {
  const { partition } = state;
  const election = electPreferredLeader(image, state);
  switch (election.outcome) {
    case 'elected':
      return {
        result: { topic, partition, errorCode: null, message: '', leader: election.leader },
        record: election.record,
      };
    case 'not-needed':
      return {
        result: {
          topic,
          partition,
          errorCode: 'ELECTION_NOT_NEEDED',
          message: `preferred leader ${election.leader} already leads`,
          leader: election.leader,
        },
      };
    case 'not-available':
      return {
        result: {
          topic,
          partition,
          errorCode: 'PREFERRED_LEADER_NOT_AVAILABLE',
          message: election.reason,
          leader: election.leader,
        },
      };
  }
}

export interface LeaderBalanceOptions {
  /**
   * Kafka's leader.imbalance.per.broker.percentage: a broker is imbalanced when more than this share
   * (in percent) of the partitions it is preferred leader of are led by another broker.
   */
  readonly imbalancePercentage: number;
  /** Leader changes one run may write (PREFERRED_ELECTIONS_PER_COMMAND_MAX in production). */
  readonly electionsMax: number;
}

export interface BrokerLeaderImbalance {
  readonly brokerId: BrokerId;
  /** Partitions (not reassigning) whose preferred leader it is. */
  readonly preferred: number;
  /** Of those, the ones another broker (or nobody) leads. */
  readonly notLed: number;
}

export interface LeaderBalanceResponse {
  /** The brokers above the threshold, by id. */
  readonly imbalanced: readonly BrokerLeaderImbalance[];
  /** Partitions whose leadership this run moves back. */
  readonly elected: number;
  /** Partitions of imbalanced brokers left as they are: the preferred leader is fenced or out of the ISR. */
  readonly notAvailable: number;
  /** Whether electionsMax stopped the run before every imbalanced broker's partitions were handled. */
  readonly capped: boolean;
}

/**
 * One run of the automatic leader balance. Per broker, of the partitions whose preferred leader it is,
 * the share led elsewhere; where that share is above the threshold (exactly at it is balanced enough),
 * the preferred leader is elected for each of those partitions where it is available, at most
 * electionsMax in all (brokers by id, partitions in image order; the next run continues). Reassigning
 * partitions are left out entirely, counted and moved alike: the reassignment decides their leader.
 * Brokers being decommissioned get no leaderships back.
 */
export function balanceLeaders(
  image: MetadataImage,
  options: LeaderBalanceOptions,
): ControlResult<LeaderBalanceResponse> {
  const { imbalancePercentage, electionsMax } = options;
  assert(imbalancePercentage >= 0 && imbalancePercentage <= 100, 'imbalancePercentage outside [0, 100]');
  assert(Number.isSafeInteger(electionsMax) && electionsMax > 0, 'electionsMax must be a positive integer');
  const preferredCounts = new Map<BrokerId, number>();
  const notLedBy = new Map<BrokerId, PartitionState[]>();
  for (const topic of image.topicsById.values()) {
    for (const state of topic.partitions.values()) {
      if (isReassigning(state)) continue;
      const preferred = preferredLeader(state);
      preferredCounts.set(preferred, (preferredCounts.get(preferred) ?? 0) + 1);
      if (state.leader === preferred) continue;
      const list = notLedBy.get(preferred);
      if (list === undefined) notLedBy.set(preferred, [state]);
      else list.push(state);
    }
  }
  const imbalanced: BrokerLeaderImbalance[] = [];
  const records: PartitionChangeRecord[] = [];
  let notAvailable = 0;
  let capped = false;
  for (const brokerId of [...notLedBy.keys()].sort((a, b) => a - b)) {
    // A broker being drained is not given leaderships back; its replicas are on their way elsewhere.
    if (image.isDecommissioned(brokerId)) continue;
    const states = notLedBy.get(brokerId) ?? [];
    const preferred = preferredCounts.get(brokerId) ?? 0;
    // Integer form of notLed / preferred > percentage / 100: no rounding at the threshold.
    if (states.length * 100 <= imbalancePercentage * preferred) continue;
    imbalanced.push({ brokerId, preferred, notLed: states.length });
    for (const state of states) {
      if (records.length === electionsMax) {
        capped = true;
        break;
      }
      const election = electPreferredLeader(image, state);
      if (election.outcome === 'elected') records.push(election.record);
      else notAvailable += 1;
    }
  }
  return { records, response: { imbalanced, elected: records.length, notAvailable, capped } };
}
