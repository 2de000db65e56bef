/**
 * Broker decommission: marks a broker as drained (BROKER_DECOMMISSIONED_CONFIG, so placement skips it)
 * and reassigns every partition that has it in its target, replacing it in place by the placeable
 * broker holding the fewest replicas. The moves then run as ordinary reassignments (reassignment.ts).
 *
 * A broker may hold more partitions than one Raft entry should carry, so one command moves at most
 * `partitionsMax` of them and reports how many remain; the caller runs it again until none do. Each
 * command is self-consistent: it recomputes what is left from the image, so a repeat never moves a
 * partition twice. The first command checks that EVERY partition has somewhere to go before writing
 * anything, so a drain that cannot finish is refused whole.
 */
import { assert, type BrokerId, TributaryError } from '@tributary/core';
import {
  BROKER_DECOMMISSIONED_CONFIG,
  type ConfigRecord,
  type MetadataImage,
  type MetadataRecord,
  type PartitionState,
  targetReplicas,
} from '@tributary/metadata';
import type { ControlResult } from './context.js';
import { applied, partitionChange, partitionKey, reassignedState, throttleRecords } from './reassignment.js';

/**
 * Partitions one decommission command moves: 10,000 PartitionChange records of at most a few hundred
 * bytes each stay far below RECORDS_PER_ENTRY_MAX and the 4 MiB Raft append limit.
 */
export const DECOMMISSION_PARTITIONS_PER_COMMAND = 10_000;

export interface DecommissionBrokerRequest {
  readonly brokerId: BrokerId;
  /** > 0 sets the replication throttle (bytes/s per broker); 0 leaves it as it is. */
  readonly throttleBytesPerSec: number;
  /** Takes the broker back: removes the config only (moves already made or running stay). */
  readonly cancel: boolean;
  /** At most this many partitions move in this command (default DECOMMISSION_PARTITIONS_PER_COMMAND). */
  readonly partitionsMax?: number;
}

export interface DecommissionMove {
  readonly topic: string;
  /** The partition once this command's records apply. */
  readonly state: PartitionState;
}

export interface DecommissionBrokerResponse {
  /** The reassignments this command started or retargeted. */
  readonly moves: readonly DecommissionMove[];
  /** Partitions that still have the broker in their target after this command. */
  readonly remaining: number;
}

export function decommissionBroker(
  image: MetadataImage,
  request: DecommissionBrokerRequest,
): ControlResult<DecommissionBrokerResponse> {
  const { brokerId } = request;
  if (image.broker(brokerId) === undefined) {
    throw new TributaryError('UNKNOWN_BROKER', `broker ${brokerId} is not registered`);
  }
  const marked = image.isDecommissioned(brokerId);
  if (request.cancel) {
    return {
      records: marked ? [decommissionedConfig(brokerId, null)] : [],
      response: { moves: [], remaining: 0 },
    };
  }
  const records: MetadataRecord[] = marked ? [] : [decommissionedConfig(brokerId, 'true')];
  records.push(
    ...throttleRecords(image, {
      throttleBytesPerSec: request.throttleBytesPerSec,
      removeThrottle: false,
      endedSome: false,
      stillReassigning: () => true,
    }),
  );
  const pending = image.partitionsWithReplica(brokerId).filter((s) => targetReplicas(s).includes(brokerId));
  const targets = planTargets(image, brokerId, pending);
  const limit = request.partitionsMax ?? DECOMMISSION_PARTITIONS_PER_COMMAND;
  assert(limit > 0, 'a decommission command moves at least one partition');
  const moves: DecommissionMove[] = [];
  for (const [i, state] of pending.slice(0, limit).entries()) {
    const target = targets[i];
    assert(target !== undefined, 'a target per pending partition');
    const move = moveOff(image, state, target);
    records.push(move.record);
    moves.push({ topic: topicName(image, state), state: move.state });
  }
  return { records, response: { moves, remaining: pending.length - moves.length } };
}

/**
 * A new target per partition, in order: the broker replaced in place by the placeable broker (not
 * already in the partition) holding the fewest replicas, counted as moves are planned so they spread;
 * on the broker's rack when one there qualifies, so a rack-aware spread stays rack-aware. Ties go to
 * the lowest id. Throws when a partition has nowhere to go.
 */
function planTargets(
  image: MetadataImage,
  brokerId: BrokerId,
  pending: readonly PartitionState[],
): (readonly BrokerId[])[] {
  const counts = new Map<BrokerId, number>();
  for (const id of image.placeableBrokerIds()) {
    if (id !== brokerId) counts.set(id, image.partitionsWithReplica(id).length);
  }
  const rack = image.broker(brokerId)?.rack ?? null;
  return pending.map((state) => {
    const candidates = [...counts.keys()].filter((id) => !state.replicas.includes(id));
    const sameRack = candidates.filter((id) => rack !== null && image.broker(id)?.rack === rack);
    const chosen = fewest(sameRack.length > 0 ? sameRack : candidates, counts);
    if (chosen === undefined) {
      throw new TributaryError(
        'INVALID_REPLICA_ASSIGNMENT',
        `${topicName(image, state)}/${state.partition}: no placeable broker outside its replicas ` +
          `[${state.replicas.join(', ')}] can take broker ${brokerId}'s replica`,
      );
    }
    counts.set(chosen, (counts.get(chosen) ?? 0) + 1);
    const target = targetReplicas(state).map((id) => (id === brokerId ? chosen : id));
    assert(!target.includes(brokerId) && new Set(target).size === target.length, 'a valid new target');
    return target;
  });
}

function fewest(
  candidates: readonly BrokerId[],
  counts: ReadonlyMap<BrokerId, number>,
): BrokerId | undefined {
  let best: BrokerId | undefined;
  for (const id of candidates) {
    const count = counts.get(id) ?? 0;
    const bestCount = best === undefined ? Number.POSITIVE_INFINITY : (counts.get(best) ?? 0);
    if (count < bestCount || (count === bestCount && best !== undefined && id < best)) best = id;
  }
  return best;
}

function moveOff(
  image: MetadataImage,
  state: PartitionState,
  target: readonly BrokerId[],
): { record: NonNullable<ReturnType<typeof partitionChange>>; state: PartitionState } {
  let after: PartitionState;
  try {
    after = reassignedState(image, state, target);
  } catch (error) {
    if (!(error instanceof TributaryError)) throw error;
    throw new TributaryError(error.code, `${topicName(image, state)}/${state.partition}: ${error.message}`);
  }
  const record = partitionChange(state, after);
  assert(record !== null, () => `moving ${partitionKey(state)} changes it`);
  return { record, state: applied(state, after) };
}

function topicName(image: MetadataImage, state: PartitionState): string {
  const topic = image.topicById(state.topicId);
  assert(topic !== undefined, () => `partition ${partitionKey(state)} has a topic`);
  return topic.name;
}

function decommissionedConfig(brokerId: BrokerId, value: string | null): ConfigRecord {
  return {
    type: 'Config',
    resourceType: 'broker',
    resourceName: String(brokerId),
    name: BROKER_DECOMMISSIONED_CONFIG,
    value,
  };
}
