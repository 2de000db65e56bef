/**
 * The fake controller's scaling-out calls (issue 7): reassignments, leader election and decommission,
 * backed by FakeControllerState. A started move completes after `completeAfterLists` list calls, so
 * watch loops can be tested to their end. It tests the CLI's calls and output, not controller rules.
 */
import { TributaryError } from '@tributary/core';
import {
  type ControllerAdminHandlers,
  handleUnary,
  type OngoingReassignment,
  type PartitionInfo,
  type ReassignmentResult,
} from '@tributary/protocol';
import { type FakeControllerState, topicInfo } from './fake-controller.js';

type ScalingHandlers = Pick<
  ControllerAdminHandlers,
  'AlterPartitionReassignments' | 'ListPartitionReassignments' | 'ElectLeaders' | 'DecommissionBroker'
>;

const key = (topic: string, partition: number) => `${topic}-${partition}`;

/** The partition as the fake shows it now, or undefined when the topic or partition does not exist. */
function currentPartition(
  state: FakeControllerState,
  topic: string,
  partition: number,
): PartitionInfo | undefined {
  const fake = state.topics.get(topic);
  if (fake === undefined || partition >= fake.partitionCount) return undefined;
  return topicInfo(fake, state.partitionOverrides).partitions?.[partition];
}

function replicasOf(info: PartitionInfo): number[] {
  return [...(info.replicas ?? [])];
}

/** Starts a move: replicas become the union, with adding and removing set (as the real controller does). */
function startMove(
  state: FakeControllerState,
  topic: string,
  info: PartitionInfo,
  target: readonly number[],
) {
  const original = replicasOf(info);
  const adding = target.filter((id) => !original.includes(id));
  const removing = original.filter((id) => !target.includes(id));
  const moving: PartitionInfo = {
    ...info,
    replicas: [...original, ...adding],
    addingReplicas: adding,
    removingReplicas: removing,
  };
  state.partitionOverrides.set(key(topic, info.partition ?? 0), moving);
  state.reassignments.set(key(topic, info.partition ?? 0), {
    original,
    target: [...target],
    listsLeft: state.completeAfterLists,
  });
  return moving;
}

function finishMove(state: FakeControllerState, k: string, replicas: readonly number[], info: PartitionInfo) {
  state.partitionOverrides.set(k, {
    ...info,
    leader: replicas[0] ?? -1,
    replicas: [...replicas],
    isr: [...replicas],
    addingReplicas: [],
    removingReplicas: [],
  });
  state.reassignments.delete(k);
  // The controller removes the throttle when the last reassignment ends.
  if (state.reassignments.size === 0) state.throttleBytesPerSec = 0;
}

function refused(topic: string, partition: number, code: string, message: string): ReassignmentResult {
  return { topic, partition, errorCode: code, errorMessage: message };
}

function alterOne(
  state: FakeControllerState,
  target: { topic: string; partition: number; replicas: number[]; cancel: boolean },
  validateOnly: boolean,
): ReassignmentResult {
  const { topic, partition } = target;
  const info = currentPartition(state, topic, partition);
  if (info === undefined)
    return refused(topic, partition, 'UNKNOWN_TOPIC_OR_PARTITION', `no ${topic}-${partition}`);
  const running = state.reassignments.get(key(topic, partition));
  if (target.cancel) {
    if (running === undefined)
      return refused(topic, partition, 'NO_REASSIGNMENT_IN_PROGRESS', 'nothing to cancel');
    if (!validateOnly) finishMove(state, key(topic, partition), running.original, info);
    return {
      topic,
      partition,
      errorCode: '',
      partitionInfo: currentPartition(state, topic, partition) ?? info,
    };
  }
  const ids = target.replicas;
  if (ids.length === 0 || new Set(ids).size !== ids.length) {
    return refused(topic, partition, 'INVALID_REPLICA_ASSIGNMENT', 'empty or duplicate replicas');
  }
  const decommissioned = ids.find((id) => state.decommissioned.has(id));
  if (decommissioned !== undefined) {
    return refused(
      topic,
      partition,
      'INVALID_REPLICA_ASSIGNMENT',
      `broker ${decommissioned} is decommissioned`,
    );
  }
  if (running !== undefined) return refused(topic, partition, 'INVALID_REPLICA_ASSIGNMENT', 'already moving');
  const partitionInfo = validateOnly ? info : startMove(state, topic, info, ids);
  return { topic, partition, errorCode: '', partitionInfo };
}

function listOngoing(state: FakeControllerState, topics: readonly string[]): OngoingReassignment[] {
  const listed: OngoingReassignment[] = [];
  for (const [k, move] of [...state.reassignments]) {
    const dash = k.lastIndexOf('-');
    const topic = k.slice(0, dash);
    const partition = Number(k.slice(dash + 1));
    if (topics.length > 0 && !topics.includes(topic)) continue;
    const info = currentPartition(state, topic, partition);
    if (info === undefined) continue;
    if (move.listsLeft === 0) {
      finishMove(state, k, move.target, info);
      continue;
    }
    if (move.listsLeft !== null) move.listsLeft -= 1;
    listed.push({ topic, partition: info });
  }
  return listed;
}

function electOne(state: FakeControllerState, topic: string, partition: number) {
  const info = currentPartition(state, topic, partition);
  if (info === undefined) {
    return {
      topic,
      partition,
      errorCode: 'UNKNOWN_TOPIC_OR_PARTITION',
      errorMessage: 'no such partition',
      leader: -1,
    };
  }
  const preferred = info.replicas?.[0] ?? -1;
  if (info.leader === preferred) {
    return {
      topic,
      partition,
      errorCode: 'ELECTION_NOT_NEEDED',
      errorMessage: 'already leads',
      leader: preferred,
    };
  }
  if (!(info.isr ?? []).includes(preferred)) {
    return {
      topic,
      partition,
      errorCode: 'PREFERRED_LEADER_NOT_AVAILABLE',
      errorMessage: `broker ${preferred} is not in the ISR`,
      leader: info.leader ?? -1,
    };
  }
  state.partitionOverrides.set(key(topic, partition), { ...info, leader: preferred });
  return { topic, partition, errorCode: '', leader: preferred };
}

/** Moves every replica on the broker to the first spare (extra) broker the partition lacks. */
function decommission(state: FakeControllerState, brokerId: number): OngoingReassignment[] {
  state.decommissioned.add(brokerId);
  const spares = state.extraBrokers
    .map((b) => b.brokerId ?? -1)
    .filter((id) => !state.decommissioned.has(id));
  const started: OngoingReassignment[] = [];
  for (const fake of [...state.topics.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const info of topicInfo(fake, state.partitionOverrides).partitions ?? []) {
      const replicas = replicasOf(info);
      const partition = info.partition ?? 0;
      if (!replicas.includes(brokerId) || state.reassignments.has(key(fake.name, partition))) continue;
      const spare = spares.find((id) => !replicas.includes(id));
      if (spare === undefined) {
        throw new TributaryError(
          'INVALID_REPLICA_ASSIGNMENT',
          `no broker can take ${fake.name}-${partition}`,
        );
      }
      const target = replicas.map((id) => (id === brokerId ? spare : id));
      started.push({ topic: fake.name, partition: startMove(state, fake.name, info, target) });
    }
  }
  return started;
}

export function scalingHandlers(
  state: FakeControllerState,
  record: (method: string, request: unknown) => void,
): ScalingHandlers {
  return {
    AlterPartitionReassignments: handleUnary(async (request) => {
      record('AlterPartitionReassignments', request);
      const results = request.targets.map((t) => alterOne(state, t, request.validateOnly));
      if (!request.validateOnly) {
        if (request.removeThrottle) state.throttleBytesPerSec = 0;
        else if (request.throttleBytesPerSec > 0) state.throttleBytesPerSec = request.throttleBytesPerSec;
      }
      return { results };
    }),
    ListPartitionReassignments: handleUnary(async (request) => {
      record('ListPartitionReassignments', request);
      const reassignments = listOngoing(state, request.topics);
      return { reassignments, throttleBytesPerSec: state.throttleBytesPerSec };
    }),
    ElectLeaders: handleUnary(async (request) => {
      record('ElectLeaders', request);
      const refs =
        request.partitions.length > 0
          ? request.partitions
          : [...state.topics.values()].flatMap((t) =>
              Array.from({ length: t.partitionCount }, (_, partition) => ({ topic: t.name, partition })),
            );
      return { results: refs.map((r) => electOne(state, r.topic, r.partition)) };
    }),
    DecommissionBroker: handleUnary(async (request) => {
      record('DecommissionBroker', request);
      if (request.cancel) {
        state.decommissioned.delete(request.brokerId);
        return { reassignments: [] };
      }
      const reassignments = decommission(state, request.brokerId);
      if (request.throttleBytesPerSec > 0) state.throttleBytesPerSec = request.throttleBytesPerSec;
      return { reassignments };
    }),
  };
}
