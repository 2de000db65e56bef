/**
 * AlterPartition: a partition leader reports an ISR change (shrink for lagging followers, expand for
 * caught-up ones) based on the partition epoch it last saw (DESIGN §6). The controller accepts it only
 * from the current leader, in the current leader epoch, against the current partition epoch, so a
 * change decided on stale metadata is refused and the leader retries from newer metadata.
 */
import {
  assert,
  type BrokerEpoch,
  type BrokerId,
  type ErrorCode,
  type LeaderEpoch,
  type PartitionEpoch,
} from '@tributary/core';
import {
  isReassigning,
  type MetadataImage,
  type PartitionChangeRecord,
  type PartitionState,
} from '@tributary/metadata';
import { currentBroker } from './brokers.js';
import type { ControlResult } from './context.js';
import {
  anyReassigning,
  applied,
  completedIfCaughtUp,
  partitionChange,
  partitionKey,
  throttleRecords,
} from './reassignment.js';

export interface AlterPartitionItem {
  readonly topic: string;
  readonly partition: number;
  /** The leader epoch the leader is in; must be the current one. */
  readonly leaderEpoch: LeaderEpoch;
  /** The partition epoch the change is based on; must be the current one. */
  readonly partitionEpoch: PartitionEpoch;
  readonly newIsr: readonly BrokerId[];
}

export interface AlterPartitionRequest {
  readonly brokerId: BrokerId;
  readonly brokerEpoch: BrokerEpoch;
  readonly items: readonly AlterPartitionItem[];
}

export interface AlterPartitionItemError {
  readonly code: ErrorCode;
  readonly message: string;
}

export interface AlterPartitionItemResult {
  readonly topic: string;
  readonly partition: number;
  /** null when the change was accepted (or changed nothing). */
  readonly error: AlterPartitionItemError | null;
  /** The partition once this command's records apply; null when the topic or partition is unknown. */
  readonly state: PartitionState | null;
}

export interface AlterPartitionResponse {
  /** One per request item, in request order. */
  readonly results: readonly AlterPartitionItemResult[];
}

/**
 * Decides every item on its own: one item's error does not fail the others. A whole-request error
 * (unknown broker, stale broker epoch) throws. An accepted change is a PartitionChange with the new
 * ISR and the next partition epoch; the leader epoch stays, since the leader does not change. An ISR
 * equal (as a set) to the current one writes nothing: its order carries no meaning (leaders are chosen
 * in replica order), and a new partition epoch would only fence the leader's next change for nothing.
 */
export function alterPartition(
  image: MetadataImage,
  request: AlterPartitionRequest,
): ControlResult<AlterPartitionResponse> {
  currentBroker(image, request.brokerId, request.brokerEpoch);
  const records: PartitionChangeRecord[] = [];
  const changed = new Map<string, PartitionState>();
  const results: AlterPartitionItemResult[] = [];
  // Two changes to one partition in a request would both be based on the same partition epoch.
  const seen = new Set<string>();
  for (const item of request.items) {
    const key = `${item.topic}\u0000${item.partition}`;
    const duplicate = seen.has(key);
    seen.add(key);
    const decision = decideItem(image, request.brokerId, item, duplicate);
    if (decision.record !== null && decision.result.state !== null) {
      records.push(decision.record);
      changed.set(partitionKey(decision.result.state), decision.result.state);
    }
    results.push(decision.result);
  }
  assert(results.length === request.items.length, 'one result per item');
  // Completing the last running reassignment also lifts its replication throttle.
  const throttle = throttleRecords(image, {
    throttleBytesPerSec: 0,
    removeThrottle: false,
    endedSome: [...changed.values()].some((after) => {
      const before = image.partition(after.topicId, after.partition);
      return before !== undefined && isReassigning(before) && !isReassigning(after);
    }),
    stillReassigning: () => anyReassigning(image, changed),
  });
  return { records: [...records, ...throttle], response: { results } };
}

interface ItemDecision {
  readonly record: PartitionChangeRecord | null;
  readonly result: AlterPartitionItemResult;
}

function decideItem(
  image: MetadataImage,
  leader: BrokerId,
  item: AlterPartitionItem,
  duplicate: boolean,
): ItemDecision {
  const { topic, partition } = item;
  const topicImage = image.topicByName(topic);
  const state = topicImage?.partitions.get(partition);
  const refuse = (code: ErrorCode, message: string, current: PartitionState | null): ItemDecision => ({
    record: null,
    result: { topic, partition, error: { code, message }, state: current },
  });
  if (state === undefined) {
    return refuse('UNKNOWN_TOPIC_OR_PARTITION', `${topic}/${partition} does not exist`, null);
  }
  if (duplicate) {
    return refuse('INVALID_REQUEST', `${topic}/${partition} appears more than once in the request`, state);
  }
  const error = checkItem(image, leader, item, state);
  if (error !== null) return refuse(error.code, error.message, state);
  if (sameMembers(item.newIsr, state.isr)) {
    return { record: null, result: { topic, partition, error: null, state } };
  }
  // An expansion that brings the last target replica of a reassignment into sync completes it in the
  // same record (KIP-455): a second record would bump the partition epoch again for nothing.
  const after = completedIfCaughtUp(image, { ...state, isr: [...item.newIsr] });
  const record = partitionChange(state, after);
  assert(record !== null, 'a changed ISR is a change');
  return { record, result: { topic, partition, error: null, state: applied(state, after) } };
}

/** Why the item is refused, or null. Kafka's order: leadership, then leader epoch, then partition epoch. */
function checkItem(
  image: MetadataImage,
  leader: BrokerId,
  item: AlterPartitionItem,
  state: PartitionState,
): AlterPartitionItemError | null {
  const where = `${item.topic}/${item.partition}`;
  if (state.leader !== leader) {
    return {
      code: 'NOT_LEADER',
      message: `broker ${leader} does not lead ${where} (leader ${state.leader})`,
    };
  }
  if (item.leaderEpoch < state.leaderEpoch) {
    return {
      code: 'FENCED_LEADER_EPOCH',
      message: `${where}: leader epoch ${item.leaderEpoch} is older than ${state.leaderEpoch}`,
    };
  }
  if (item.leaderEpoch > state.leaderEpoch) {
    return {
      code: 'UNKNOWN_LEADER_EPOCH',
      message: `${where}: leader epoch ${item.leaderEpoch} is newer than ${state.leaderEpoch}`,
    };
  }
  if (item.partitionEpoch !== state.partitionEpoch) {
    return {
      code: 'STALE_PARTITION_EPOCH',
      message: `${where}: partition epoch ${item.partitionEpoch} is not the current ${state.partitionEpoch}`,
    };
  }
  const problem = isrProblem(image, leader, item.newIsr, state);
  return problem === null ? null : { code: 'INVALID_REQUEST', message: `${where}: ${problem}` };
}

/** What is wrong with a proposed ISR, or null. */
function isrProblem(
  image: MetadataImage,
  leader: BrokerId,
  newIsr: readonly BrokerId[],
  state: PartitionState,
): string | null {
  if (newIsr.length === 0) return 'the new ISR is empty';
  if (!newIsr.includes(leader)) return `the new ISR [${newIsr.join(', ')}] leaves out the leader ${leader}`;
  if (new Set(newIsr).size !== newIsr.length) return `the new ISR [${newIsr.join(', ')}] has duplicates`;
  for (const member of newIsr) {
    if (!state.replicas.includes(member)) {
      return `broker ${member} is not a replica (replicas [${state.replicas.join(', ')}])`;
    }
    // A fenced broker may have lost records or be behind the metadata log: it must not count as in sync.
    const registration = image.broker(member);
    if (registration === undefined) return `broker ${member} is not registered`;
    if (registration.fenced) return `broker ${member} is fenced`;
  }
  return null;
}

function sameMembers(a: readonly BrokerId[], b: readonly BrokerId[]): boolean {
  return a.length === b.length && a.every((member) => b.includes(member));
}
