/**
 * ControllerAdmin.AlterPartitionReassignments, ListPartitionReassignments and DecommissionBroker.
 * The two commands are decided by the active controller (control/reassignment.ts, decommission.ts) and
 * answered once committed; a standby answers NOT_CONTROLLER with the leader hint (runCommand). The
 * list is served by any controller from its committed image.
 */
import { assert, brokerId, LIMITS, TributaryError, WIRE_LIMITS } from '@tributary/core';
import { isReassigning, type MetadataImage } from '@tributary/metadata';
import {
  type AlterPartitionReassignmentsResponse,
  type ControllerAdminHandlers,
  type DecommissionBrokerResponse,
  handleUnary,
  type ListPartitionReassignmentsResponse,
  type OngoingReassignment,
  type ReassignmentResult,
  requireCountAtMost,
  requireIntInRange,
  requireSafeUint,
} from '@tributary/protocol';
import {
  DECOMMISSION_PARTITIONS_PER_COMMAND,
  type DecommissionMove,
  decommissionBroker,
} from '../control/decommission.js';
import {
  alterPartitionReassignments,
  type ReassignmentItemResult,
  type ReassignmentTarget,
} from '../control/reassignment.js';
import type { ControllerAdminOptions } from './controller-admin.js';
import { partitionInfo, sortedTopics } from './convert.js';
import { requireTopicName } from './request-checks.js';

type HandleOptions = { readonly onUnexpectedError: (error: unknown) => void };

/**
 * Targets one AlterPartitionReassignments request may carry: one PartitionChange each, so one Raft
 * entry stays well below RECORDS_PER_ENTRY_MAX and a few MiB.
 */
export const REASSIGNMENT_TARGETS_PER_REQUEST_MAX = WIRE_LIMITS.partitionsPerRequestMax;

/** Broker ids a target lists before the request is refused whole (a full replica set must fit). */
const TARGET_REPLICAS_MAX = WIRE_LIMITS.replicasPerTargetMax;
assert(TARGET_REPLICAS_MAX >= LIMITS.replicationFactorMax, 'a target can list a full replica set');

export function createReassignmentHandlers(
  options: ControllerAdminOptions,
  handleOptions: HandleOptions,
): Pick<
  ControllerAdminHandlers,
  'AlterPartitionReassignments' | 'ListPartitionReassignments' | 'DecommissionBroker'
> {
  const { quorum } = options;
  return {
    AlterPartitionReassignments: handleUnary(
      async (request): Promise<AlterPartitionReassignmentsResponse> => {
        requireCountAtMost(request.targets, 'targets', REASSIGNMENT_TARGETS_PER_REQUEST_MAX);
        const targets = request.targets.map((target, i): ReassignmentTarget => {
          const field = `targets[${i}]`;
          requireCountAtMost(target.replicas, `${field}.replicas`, TARGET_REPLICAS_MAX);
          return {
            topic: requireTopicName(target.topic, `${field}.topic`),
            partition: requireIntInRange(target.partition, `${field}.partition`, {
              max: LIMITS.partitionsPerTopicMax - 1,
            }),
            replicas: target.cancel
              ? null
              : target.replicas.map((id) => brokerId(requireIntInRange(id, `${field}.replicas`))),
          };
        });
        const throttleBytesPerSec = requireThrottle(request.throttleBytesPerSec);
        if (throttleBytesPerSec > 0 && request.removeThrottle) {
          throw new TributaryError(
            'INVALID_REQUEST',
            'throttle_bytes_per_sec and remove_throttle: set a throttle or remove it, not both',
          );
        }
        const { response } = await quorum.runCommand((latest) =>
          alterPartitionReassignments(latest, {
            targets,
            throttleBytesPerSec,
            removeThrottle: request.removeThrottle,
            validateOnly: request.validateOnly,
          }),
        );
        return { results: response.results.map(resultToWire) };
      },
      handleOptions,
    ),

    ListPartitionReassignments: handleUnary(async (request): Promise<ListPartitionReassignmentsResponse> => {
      requireCountAtMost(request.topics, 'topics', LIMITS.topicsPerRequestMax);
      const image = quorum.committed;
      const names = request.topics.map((name, i) => requireTopicName(name, `topics[${i}]`));
      for (const name of names) {
        if (image.topicByName(name) === undefined) {
          throw new TributaryError('UNKNOWN_TOPIC', `topic ${name} does not exist`);
        }
      }
      return {
        reassignments: ongoingReassignments(image, names.length === 0 ? null : new Set(names)),
        throttleBytesPerSec: image.replicationThrottle() ?? 0,
      };
    }, handleOptions),

    DecommissionBroker: handleUnary(async (request): Promise<DecommissionBrokerResponse> => {
      const id = brokerId(requireIntInRange(request.brokerId, 'broker_id'));
      const throttleBytesPerSec = requireThrottle(request.throttleBytesPerSec);
      const decide = (latest: MetadataImage) =>
        decommissionBroker(latest, { brokerId: id, throttleBytesPerSec, cancel: request.cancel });
      const first = await quorum.runCommand(decide);
      const moves: DecommissionMove[] = [...first.response.moves];
      // More partitions than one command moves: repeat, each command against the image the last one
      // left. Bounded: every round but the last moves DECOMMISSION_PARTITIONS_PER_COMMAND partitions
      // off the broker for good (a later round no longer sees them).
      const roundsMax = Math.ceil(first.response.remaining / DECOMMISSION_PARTITIONS_PER_COMMAND) + 1;
      let remaining = first.response.remaining;
      for (let round = 0; round < roundsMax && remaining > 0; round++) {
        const next = await quorum.runCommand(decide);
        moves.push(...next.response.moves);
        remaining = next.response.remaining;
      }
      if (remaining > 0) {
        throw new TributaryError(
          'INVALID_REQUEST',
          `broker ${id}: ${remaining} partitions are still to be moved; run the decommission again`,
        );
      }
      return {
        reassignments: moves.map((move) => ({ topic: move.topic, partition: partitionInfo(move.state) })),
      };
    }, handleOptions),
  };
}

/** Running reassignments in topic-name then partition order, optionally only of some topics. */
export function ongoingReassignments(
  image: MetadataImage,
  topics: ReadonlySet<string> | null,
): OngoingReassignment[] {
  const ongoing: OngoingReassignment[] = [];
  for (const topic of sortedTopics(image)) {
    if (topics !== null && !topics.has(topic.name)) continue;
    const states = [...topic.partitions.values()].filter(isReassigning);
    states.sort((a, b) => a.partition - b.partition);
    for (const state of states) ongoing.push({ topic: topic.name, partition: partitionInfo(state) });
  }
  return ongoing;
}

function resultToWire(result: ReassignmentItemResult): ReassignmentResult {
  return {
    topic: result.topic,
    partition: result.partition,
    errorCode: result.error?.code ?? '',
    errorMessage: result.error?.message ?? '',
    partitionInfo: result.state === null ? null : partitionInfo(result.state),
  };
}

function requireThrottle(value: number): number {
  return requireSafeUint(value, 'throttle_bytes_per_sec');
}
