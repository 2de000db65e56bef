/**
 * Partition reassignment (Kafka's KIP-455): moving a partition's replicas to a target list while it
 * keeps serving. A running move keeps `replicas` = target ++ (original − target) with `addingReplicas`
 * (target − original, catching up as followers) and `removingReplicas` (original − target). It
 * completes in the command whose ISR makes every target replica in sync: replicas become the target,
 * the removed replicas leave the ISR, and leadership moves into the target if it was outside it.
 *
 * The state transitions here are pure functions of a PartitionState; `partitionChange` turns the
 * difference between two states into ONE PartitionChange record, since every record bumps the
 * partition epoch and a completion must not cost the leader a second fenced ISR update.
 */
import {
  assert,
  type BrokerId,
  type ErrorCode,
  LIMITS,
  leaderEpoch,
  partitionEpoch,
  TributaryError,
} from '@tributary/core';
import {
  type ConfigRecord,
  isReassigning,
  type MetadataImage,
  type MetadataRecord,
  NO_LEADER,
  type PartitionChangeRecord,
  type PartitionState,
  REPLICATION_THROTTLE_CONFIG,
  targetReplicas,
} from '@tributary/metadata';
import type { ControlResult } from './context.js';

export interface ReassignmentTarget {
  readonly topic: string;
  readonly partition: number;
  /** The target replica list, preferred leader first; null cancels the running reassignment. */
  readonly replicas: readonly BrokerId[] | null;
}

export interface AlterReassignmentsRequest {
  readonly targets: readonly ReassignmentTarget[];
  /** > 0 sets the replication throttle (bytes/s per broker); 0 leaves it as it is. */
  readonly throttleBytesPerSec: number;
  readonly removeThrottle: boolean;
  /** Decide everything and answer as if done, but write nothing. */
  readonly validateOnly: boolean;
}

export interface ReassignmentItemError {
  readonly code: ErrorCode;
  readonly message: string;
}

export interface ReassignmentItemResult {
  readonly topic: string;
  readonly partition: number;
  /** null when the target was accepted (or changed nothing). */
  readonly error: ReassignmentItemError | null;
  /** The partition once this command's records apply; null when it does not exist. */
  readonly state: PartitionState | null;
}

export interface AlterReassignmentsResponse {
  /** One per target, in request order. */
  readonly results: readonly ReassignmentItemResult[];
}

/** The replicas before the running reassignment (replicas − adding); the replicas when none runs. */
export function originalReplicas(state: PartitionState): readonly BrokerId[] {
  const adding = state.addingReplicas;
  return adding === undefined ? state.replicas : state.replicas.filter((id) => !adding.includes(id));
}

/**
 * The state a (new) target gives, from the ORIGINAL replicas: a target given while another runs
 * replaces it (KIP-455). Replicas the replaced move was adding and the new one does not keep leave
 * the ISR; leadership is re-chosen when it was on one of them. Completes at once when every target
 * replica is already in sync (a shrink, a reorder). Throws (a refusal) when no in-sync replica is left.
 */
export function reassignedState(
  image: MetadataImage,
  state: PartitionState,
  target: readonly BrokerId[],
): PartitionState {
  assert(target.length > 0 && new Set(target).size === target.length, 'a target is non-empty, no duplicates');
  const original = originalReplicas(state);
  const replicas = [...target, ...original.filter((id) => !target.includes(id))];
  const adding = target.filter((id) => !original.includes(id));
  const removing = original.filter((id) => !target.includes(id));
  const moved = withReplicas(image, state, { replicas, adding, removing });
  assert(
    targetReplicas(moved).every((id, i) => id === target[i]),
    'the running target is the requested one',
  );
  return completedIfCaughtUp(image, moved);
}

/**
 * Cancels the running reassignment: back to the original replicas. Refused (a TributaryError) when no
 * original replica is in the ISR any more: the data is then only on replicas the cancel would drop.
 */
export function cancelledState(image: MetadataImage, state: PartitionState): PartitionState {
  assert(isReassigning(state), 'only a running reassignment is cancelled');
  return withReplicas(image, state, { replicas: originalReplicas(state), adding: [], removing: [] });
}

/**
 * Completes the running reassignment when every target replica is in the ISR: replicas := target,
 * ISR := ISR ∩ target, and if the leader is outside the target, the first in-sync unfenced target
 * replica leads (with a new leader epoch). Otherwise returns `state` itself.
 */
export function completedIfCaughtUp(image: MetadataImage, state: PartitionState): PartitionState {
  if (!isReassigning(state)) return state;
  const target = targetReplicas(state);
  if (!target.every((id) => state.isr.includes(id))) return state;
  const done = withReplicas(image, state, { replicas: target, adding: [], removing: [] });
  assert(!isReassigning(done) && done.isr.length > 0, 'a completed reassignment leaves in-sync replicas');
  return done;
}

/**
 * The state with new replicas and reassignment sets: the ISR keeps only members still in `replicas`,
 * and when the leader is no longer in the ISR (or nobody leads) the first in-sync unfenced replica in
 * the new replica order leads with the next leader epoch.
 */
function withReplicas(
  image: MetadataImage,
  state: PartitionState,
  next: { replicas: readonly BrokerId[]; adding: readonly BrokerId[]; removing: readonly BrokerId[] },
): PartitionState {
  const isr = state.isr.filter((id) => next.replicas.includes(id));
  if (isr.length === 0) {
    throw new TributaryError(
      'INVALID_REPLICA_ASSIGNMENT',
      `no in-sync replica (ISR [${state.isr.join(', ')}]) would remain in [${next.replicas.join(', ')}]: ` +
        'they are the only replicas known to hold every committed record',
    );
  }
  const keepsLeader = state.leader !== NO_LEADER && isr.includes(state.leader);
  const leader = keepsLeader ? state.leader : firstUnfenced(image, next.replicas, isr);
  const { addingReplicas: _adding, removingReplicas: _removing, ...rest } = state;
  const after: PartitionState = {
    ...rest,
    replicas: next.replicas,
    isr: sameSequence(isr, state.isr) ? state.isr : isr,
    leader,
    leaderEpoch: leader === state.leader ? state.leaderEpoch : leaderEpoch(state.leaderEpoch + 1),
    ...(next.adding.length > 0 ? { addingReplicas: next.adding } : {}),
    ...(next.removing.length > 0 ? { removingReplicas: next.removing } : {}),
  };
  checkMove(after);
  return after;
}

/**
 * What every state this module makes keeps (replay asserts most of it again; failing here names the
 * decision rather than the record): adding and removing are disjoint parts of the replicas, the target
 * is the replicas minus removing and non-empty, the ISR is a non-empty part of the replicas, and the
 * leader, when there is one, is in the ISR.
 */
function checkMove(state: PartitionState): void {
  const where = partitionKey(state);
  const adding = state.addingReplicas ?? [];
  const removing = state.removingReplicas ?? [];
  assert(new Set(state.replicas).size === state.replicas.length, () => `${where}: duplicate replicas`);
  assert(
    [...adding, ...removing].every((id) => state.replicas.includes(id)),
    () => `${where}: adding [${adding}] / removing [${removing}] outside replicas [${state.replicas}]`,
  );
  assert(!adding.some((id) => removing.includes(id)), () => `${where}: a replica both added and removed`);
  assert(targetReplicas(state).length > 0, () => `${where}: an empty target`);
  assert(
    state.isr.length > 0 && state.isr.every((id) => state.replicas.includes(id)),
    () => `${where}: ISR [${state.isr}] is empty or outside replicas [${state.replicas}]`,
  );
  assert(
    state.leader === NO_LEADER || state.isr.includes(state.leader),
    () => `${where}: leader ${state.leader} outside the ISR [${state.isr}]`,
  );
}

function firstUnfenced(
  image: MetadataImage,
  replicas: readonly BrokerId[],
  isr: readonly BrokerId[],
): BrokerId | typeof NO_LEADER {
  for (const id of replicas) {
    const broker = image.broker(id);
    if (isr.includes(id) && broker !== undefined && !broker.fenced) return id;
  }
  return NO_LEADER;
}

/**
 * The one PartitionChange that turns `before` into `after` (only the fields that differ, the next
 * partition epoch), or null when they are the same. An empty reassignment set clears the field.
 */
export function partitionChange(before: PartitionState, after: PartitionState): PartitionChangeRecord | null {
  assert(before.topicId === after.topicId && before.partition === after.partition, 'same partition');
  const leaderChanged = after.leader !== before.leader;
  assert(
    after.leaderEpoch === before.leaderEpoch + (leaderChanged ? 1 : 0),
    'the leader epoch grows by one exactly when the leader changes',
  );
  const fields: Pick<
    PartitionChangeRecord,
    'leader' | 'isr' | 'replicas' | 'addingReplicas' | 'removingReplicas'
  > = {
    ...(leaderChanged ? { leader: after.leader } : {}),
    ...(sameSequence(after.isr, before.isr) ? {} : { isr: after.isr }),
    ...(sameSequence(after.replicas, before.replicas) ? {} : { replicas: after.replicas }),
    ...changedSet('addingReplicas', before.addingReplicas, after.addingReplicas),
    ...changedSet('removingReplicas', before.removingReplicas, after.removingReplicas),
  };
  if (Object.keys(fields).length === 0) return null;
  return {
    type: 'PartitionChange',
    topicId: before.topicId,
    partition: before.partition,
    ...fields,
    leaderEpoch: after.leaderEpoch,
    partitionEpoch: partitionEpoch(before.partitionEpoch + 1),
  };
}

function changedSet<K extends 'addingReplicas' | 'removingReplicas'>(
  key: K,
  before: readonly BrokerId[] | undefined,
  after: readonly BrokerId[] | undefined,
): Partial<Record<K, readonly BrokerId[]>> {
  if (sameSequence(before ?? [], after ?? [])) return {};
  return { [key]: after ?? [] } as Partial<Record<K, readonly BrokerId[]>>;
}

/** The state a record makes of `before` (the partition epoch included). */
export function applied(before: PartitionState, after: PartitionState): PartitionState {
  return { ...after, partitionEpoch: partitionEpoch(before.partitionEpoch + 1) };
}

export function sameSequence(a: readonly BrokerId[], b: readonly BrokerId[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * The throttle record for a command, or none: sets `throttleBytesPerSec` when > 0, removes the key on
 * `removeThrottle` or when the command ended the last running reassignment (a throttle for moves that
 * no longer run would only slow the next unrelated catch-up). `stillReassigning` is only asked then.
 */
export function throttleRecords(
  image: MetadataImage,
  options: {
    readonly throttleBytesPerSec: number;
    readonly removeThrottle: boolean;
    readonly endedSome: boolean;
    readonly stillReassigning: () => boolean;
  },
): ConfigRecord[] {
  const current = image.configsOf('cluster', '').get(REPLICATION_THROTTLE_CONFIG);
  const remove =
    options.removeThrottle ||
    (options.endedSome && options.throttleBytesPerSec === 0 && !options.stillReassigning());
  const record = (value: string | null): ConfigRecord => ({
    type: 'Config',
    resourceType: 'cluster',
    resourceName: '',
    name: REPLICATION_THROTTLE_CONFIG,
    value,
  });
  if (options.throttleBytesPerSec > 0) {
    assert(!options.removeThrottle, 'setting and removing the throttle are exclusive');
    const value = String(options.throttleBytesPerSec);
    return value === current ? [] : [record(value)];
  }
  return remove && current !== undefined ? [record(null)] : [];
}

/** Whether any partition reassigns once `changed` (by "topicId/partition") replaces the image's states. */
export function anyReassigning(image: MetadataImage, changed: ReadonlyMap<string, PartitionState>): boolean {
  for (const state of changed.values()) if (isReassigning(state)) return true;
  for (const topic of image.topicsById.values()) {
    for (const state of topic.partitions.values()) {
      if (isReassigning(state) && !changed.has(partitionKey(state))) return true;
    }
  }
  return false;
}

export function partitionKey(state: Pick<PartitionState, 'topicId' | 'partition'>): string {
  return `${state.topicId}/${state.partition}`;
}

/**
 * AlterPartitionReassignments: each target is decided on its own against the image as earlier
 * targets of the same request leave it; one target's refusal does not fail the others.
 */
export function alterPartitionReassignments(
  image: MetadataImage,
  request: AlterReassignmentsRequest,
): ControlResult<AlterReassignmentsResponse> {
  const changed = new Map<string, PartitionState>();
  const records: MetadataRecord[] = [];
  const results: ReassignmentItemResult[] = [];
  const seen = new Set<string>();
  let endedSome = false;
  for (const target of request.targets) {
    const key = `${target.topic}\u0000${target.partition}`;
    const duplicate = seen.has(key);
    seen.add(key);
    const decision = decideTarget(image, target, duplicate);
    results.push(decision.result);
    if (decision.before === null || decision.result.state === null) continue;
    const record = partitionChange(decision.before, decision.result.state);
    if (record === null) continue;
    records.push(record);
    changed.set(partitionKey(decision.before), decision.result.state);
    endedSome ||= isReassigning(decision.before) && !isReassigning(decision.result.state);
  }
  records.push(
    ...throttleRecords(image, {
      throttleBytesPerSec: request.throttleBytesPerSec,
      removeThrottle: request.removeThrottle,
      endedSome,
      stillReassigning: () => anyReassigning(image, changed),
    }),
  );
  assert(results.length === request.targets.length, 'one result per target');
  return { records: request.validateOnly ? [] : records, response: { results } };
}

interface TargetDecision {
  /** The partition before the change; null when refused. */
  readonly before: PartitionState | null;
  readonly result: ReassignmentItemResult;
}

function decideTarget(image: MetadataImage, target: ReassignmentTarget, duplicate: boolean): TargetDecision {
  const { topic, partition } = target;
  const state = image.topicByName(topic)?.partitions.get(partition);
  const refuse = (code: ErrorCode, message: string): TargetDecision => ({
    before: null,
    result: { topic, partition, error: { code, message }, state: state ?? null },
  });
  if (state === undefined)
    return refuse('UNKNOWN_TOPIC_OR_PARTITION', `${topic}/${partition} does not exist`);
  if (duplicate)
    return refuse('INVALID_REQUEST', `${topic}/${partition} appears more than once in the request`);
  try {
    const after = nextState(image, state, target.replicas);
    const done = after === state ? state : applied(state, after);
    return { before: state, result: { topic, partition, error: null, state: done } };
  } catch (error) {
    if (error instanceof TributaryError) return refuse(error.code, `${topic}/${partition}: ${error.message}`);
    throw error;
  }
}

function nextState(
  image: MetadataImage,
  state: PartitionState,
  replicas: readonly BrokerId[] | null,
): PartitionState {
  if (replicas === null) {
    if (!isReassigning(state))
      throw new TributaryError('NO_REASSIGNMENT_IN_PROGRESS', 'no reassignment is running');
    return cancelledState(image, state);
  }
  const problem = targetProblem(image, state, replicas);
  if (problem !== null) throw new TributaryError('INVALID_REPLICA_ASSIGNMENT', problem);
  const after = reassignedState(image, state, replicas);
  return partitionChange(state, after) === null ? state : after;
}

/** What is wrong with a target replica list, or null. */
export function targetProblem(
  image: MetadataImage,
  state: PartitionState,
  replicas: readonly BrokerId[],
): string | null {
  if (replicas.length === 0) return 'the target replica list is empty';
  if (replicas.length > LIMITS.replicationFactorMax) {
    return `${replicas.length} target replicas exceed the limit of ${LIMITS.replicationFactorMax}`;
  }
  if (new Set(replicas).size !== replicas.length) return `the target [${replicas.join(', ')}] has duplicates`;
  const original = originalReplicas(state);
  for (const id of replicas) {
    if (image.broker(id) === undefined) return `broker ${id} is not registered`;
    // A broker already holding the partition may stay; a drained broker takes no new replica.
    if (!original.includes(id) && image.isDecommissioned(id)) return `broker ${id} is being decommissioned`;
  }
  return null;
}
