/**
 * An in-process fake GroupCoordinator (protos/tributary/v1/group.proto) on 127.0.0.1:0, for CLIENT unit
 * tests: it checks the group consumer's and group admin's logic (join, reconcile, commit, re-find,
 * rejoin), not the broker's coordinator. Its policy is deliberately simple: every partition of the
 * subscribed topics goes round-robin over the members (sorted by id) that subscribe to its topic, and
 * a partition is handed to its new owner only after the previous owner stopped reporting it (KIP-848's
 * incremental hand-over). No session timeouts, no persistence; `fence()` and `inject()` make errors.
 */
import * as grpc from '@grpc/grpc-js';
import {
  addBrokerService,
  addGroupCoordinatorService,
  type BrokerClient,
  type BrokerHandlers,
  bindServer,
  createBrokerClient,
  createServer,
  type GroupCoordinatorHandlers,
  type GroupHeartbeatRequest__Output,
  type GroupHeartbeatResponse,
  handleUnary,
  type OffsetCommitRequest__Output,
  type OffsetCommitResponse,
  shutdownServer,
  type UnaryMethodName,
  type UnaryRequest,
  type UnaryResponse,
  unary,
} from '@tributary/protocol';

export type FakeCoordinatorMethod =
  | 'FindCoordinator'
  | 'GroupHeartbeat'
  | 'OffsetCommit'
  | 'OffsetFetch'
  | 'ListGroups'
  | 'DescribeGroup'
  | 'DeleteGroupOffsets';

export interface FakeGroupMember {
  readonly memberId: string;
  clientId: string;
  epoch: number;
  subscribed: string[];
  /** What the member last reported owning, as "topic:partition" keys. */
  owned: Set<string>;
  /** What the coordinator last handed out. */
  assigned: Set<string>;
  heartbeats: number;
  /** Set by fence(): the next heartbeat answers FENCED_MEMBER_EPOCH and removes the member. */
  fenced: boolean;
}

export interface FakeGroup {
  readonly groupId: string;
  epoch: number;
  readonly members: Map<string, FakeGroupMember>;
  /** Committed offsets by "topic:partition". */
  readonly offsets: Map<string, number>;
}

export interface FakeCoordinatorRequest {
  readonly server: number;
  readonly method: FakeCoordinatorMethod;
  readonly request: unknown;
}

export interface FakeCoordinator {
  readonly addresses: readonly string[];
  readonly groups: Map<string, FakeGroup>;
  readonly requests: FakeCoordinatorRequest[];
  /** Which server coordinates every group; the others answer NOT_COORDINATOR. */
  coordinator: number;
  /** Servers that answer no call at all, as a SIGSTOPped broker (the caller's deadline ends the call). */
  readonly paused: Set<number>;
  /** The next call of `method` (on any server) answers `errorCode`, `times` times. */
  inject(method: FakeCoordinatorMethod, errorCode: string, times?: number): void;
  fence(groupId: string, memberId: string): void;
  committed(groupId: string, topic: string, partition: number): number | undefined;
  stop(): Promise<void>;
}

export interface FakeCoordinatorOptions {
  /** Partition count per topic (the cluster's topics, as in startFakeCluster). */
  readonly topics: Readonly<Record<string, number>>;
  /** Servers to start (default 1); server 0 coordinates at first. */
  readonly servers?: number;
  /** What heartbeats answer as heartbeat_interval_ms (default 50). */
  readonly heartbeatIntervalMs?: number;
  /**
   * A fake broker's address: each coordinator server then also serves the Broker service by forwarding
   * to it, so a client bootstrapped with the coordinator's addresses (as the CLI is) reaches both. The
   * Metadata answer names the fake brokers, so fetches go to them directly.
   */
  readonly forwardBrokerTo?: string;
}

const tpKey = (topic: string, partition: number): string => `${topic}:${partition}`;

function splitKey(key: string): { topic: string; partition: number } {
  const at = key.lastIndexOf(':');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

function toLists(keys: Iterable<string>): { topic: string; partitions: number[] }[] {
  const byTopic = new Map<string, number[]>();
  for (const key of keys) {
    const { topic, partition } = splitKey(key);
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  }
  return [...byTopic]
    .sort()
    .map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
}

export async function startFakeCoordinator(options: FakeCoordinatorOptions): Promise<FakeCoordinator> {
  const injected: { method: FakeCoordinatorMethod; errorCode: string }[] = [];
  const servers: grpc.Server[] = [];
  const addresses: string[] = [];
  const fake: FakeCoordinator = {
    addresses,
    groups: new Map(),
    requests: [],
    coordinator: 0,
    paused: new Set(),
    inject(method, errorCode, times = 1) {
      for (let i = 0; i < times; i++) injected.push({ method, errorCode });
    },
    fence(groupId, memberId) {
      const member = fake.groups.get(groupId)?.members.get(memberId);
      if (member === undefined) throw new Error(`no member ${memberId} in ${groupId}`);
      member.fenced = true;
    },
    committed(groupId, topic, partition) {
      return fake.groups.get(groupId)?.offsets.get(tpKey(topic, partition));
    },
    async stop() {
      await Promise.all(servers.map((server) => shutdownServer(server, 100)));
      upstream?.close();
    },
  };
  const take = (method: FakeCoordinatorMethod): string | undefined => {
    const index = injected.findIndex((e) => e.method === method);
    if (index === -1) return undefined;
    return injected.splice(index, 1)[0]?.errorCode;
  };
  const upstream =
    options.forwardBrokerTo === undefined ? undefined : createBrokerClient(options.forwardBrokerTo);
  for (let index = 0; index < (options.servers ?? 1); index++) {
    const server = createServer();
    addGroupCoordinatorService(server, pausable(index, fake, handlers(index, fake, options, take)));
    if (upstream !== undefined) addBrokerService(server, forwardingBroker(upstream));
    const port = await bindServer(server, '127.0.0.1:0');
    addresses.push(`127.0.0.1:${port}`);
    servers.push(server);
  }
  return fake;
}

/** The handlers, each answering nothing while its server is in `fake.paused`. */
function pausable(
  index: number,
  fake: FakeCoordinator,
  all: GroupCoordinatorHandlers,
): GroupCoordinatorHandlers {
  const wrapped: Record<string, (call: unknown, callback: unknown) => void> = {};
  for (const [name, handler] of Object.entries(all)) {
    const serve = handler as (call: unknown, callback: unknown) => void;
    wrapped[name] = (call, callback) => {
      if (!fake.paused.has(index)) serve(call, callback);
    };
  }
  return wrapped as unknown as GroupCoordinatorHandlers;
}

function groupOf(fake: FakeCoordinator, groupId: string): FakeGroup {
  let group = fake.groups.get(groupId);
  if (group === undefined) {
    group = { groupId, epoch: 0, members: new Map(), offsets: new Map() };
    fake.groups.set(groupId, group);
  }
  return group;
}

/** Round-robin target: every subscribed partition to one subscribing member. */
function targetAssignment(
  group: FakeGroup,
  topics: Readonly<Record<string, number>>,
): Map<string, Set<string>> {
  const members = [...group.members.values()].sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
  const target = new Map(members.map((m) => [m.memberId, new Set<string>()]));
  const subscribed = [...new Set(members.flatMap((m) => m.subscribed))].sort();
  let next = 0;
  for (const topic of subscribed) {
    const takers = members.filter((m) => m.subscribed.includes(topic));
    for (let partition = 0; partition < (topics[topic] ?? 0); partition++) {
      const member = takers[next++ % takers.length];
      if (member !== undefined) target.get(member.memberId)?.add(tpKey(topic, partition));
    }
  }
  return target;
}

function heartbeat(
  fake: FakeCoordinator,
  options: FakeCoordinatorOptions,
  request: GroupHeartbeatRequest__Output,
): GroupHeartbeatResponse {
  const group = groupOf(fake, request.groupId);
  const interval = options.heartbeatIntervalMs ?? 50;
  let member = group.members.get(request.memberId);
  if (request.memberEpoch === -1) {
    group.members.delete(request.memberId);
    return { memberId: request.memberId, memberEpoch: -1, heartbeatIntervalMs: interval };
  }
  if (request.memberEpoch === 0) {
    member = {
      memberId: request.memberId,
      clientId: request.clientId,
      epoch: ++group.epoch,
      subscribed: [],
      owned: new Set(),
      assigned: new Set(),
      heartbeats: 0,
      fenced: false,
    };
    group.members.set(request.memberId, member);
  } else if (member === undefined) {
    return { errorCode: 'UNKNOWN_MEMBER_ID', errorMessage: `no member ${request.memberId}` };
  } else if (member.fenced || request.memberEpoch !== member.epoch) {
    group.members.delete(request.memberId);
    return { errorCode: 'FENCED_MEMBER_EPOCH', errorMessage: `epoch ${request.memberEpoch} is fenced` };
  }
  member.heartbeats++;
  member.subscribed = [...request.subscribedTopics];
  member.owned = new Set(request.ownedPartitions.flatMap((t) => t.partitions.map((p) => tpKey(t.topic, p))));
  const target = targetAssignment(group, options.topics).get(member.memberId) ?? new Set<string>();
  const ownedByOthers = new Set(
    [...group.members.values()].filter((m) => m !== member).flatMap((m) => [...m.owned]),
  );
  const assignment = new Set([...target].filter((key) => !ownedByOthers.has(key)));
  const changed =
    assignment.size !== member.assigned.size || [...assignment].some((key) => !member.assigned.has(key));
  if (changed) member.epoch = ++group.epoch;
  member.assigned = assignment;
  return {
    memberId: member.memberId,
    memberEpoch: member.epoch,
    heartbeatIntervalMs: interval,
    assignment: toLists(assignment),
  };
}

function commit(fake: FakeCoordinator, request: OffsetCommitRequest__Output): OffsetCommitResponse {
  const group = groupOf(fake, request.groupId);
  if (request.memberId === '' && request.memberEpoch === -1) {
    if (group.members.size > 0) {
      return { errorCode: 'GROUP_NOT_EMPTY', errorMessage: `${group.members.size} active members` };
    }
  } else {
    const member = group.members.get(request.memberId);
    if (member === undefined) return { errorCode: 'UNKNOWN_MEMBER_ID', errorMessage: request.memberId };
    if (request.memberEpoch < member.epoch) return { errorCode: 'STALE_MEMBER_EPOCH', errorMessage: 'stale' };
    if (request.memberEpoch > member.epoch)
      return { errorCode: 'FENCED_MEMBER_EPOCH', errorMessage: 'fenced' };
  }
  const results = request.topics.flatMap((t) =>
    t.partitions.map((p) => {
      group.offsets.set(tpKey(t.name, p.partition), p.offset);
      return { topic: t.name, partition: p.partition, errorCode: '' };
    }),
  );
  return { results };
}

function stateOf(group: FakeGroup): string {
  if (group.members.size === 0) return 'Empty';
  const settled = [...group.members.values()].every(
    (m) => m.owned.size === m.assigned.size && [...m.assigned].every((k) => m.owned.has(k)),
  );
  return settled ? 'Stable' : 'Reconciling';
}

function handlers(
  index: number,
  fake: FakeCoordinator,
  options: FakeCoordinatorOptions,
  take: (method: FakeCoordinatorMethod) => string | undefined,
): GroupCoordinatorHandlers {
  /** Records the call and says which error (injected or NOT_COORDINATOR) it answers, if any. */
  const gate = (
    method: FakeCoordinatorMethod,
    request: unknown,
  ): { errorCode: string; errorMessage: string } | undefined => {
    fake.requests.push({ server: index, method, request });
    const injected = take(method);
    if (injected !== undefined) return { errorCode: injected, errorMessage: 'injected' };
    if (method !== 'FindCoordinator' && index !== fake.coordinator) {
      return { errorCode: 'NOT_COORDINATOR', errorMessage: `server ${index} does not coordinate` };
    }
    return undefined;
  };
  return {
    FindCoordinator: handleUnary(async (request) => {
      const error = gate('FindCoordinator', request);
      if (error !== undefined) return error;
      return { nodeId: fake.coordinator + 1, address: fake.addresses[fake.coordinator] ?? '' };
    }),
    GroupHeartbeat: handleUnary(
      async (request) => gate('GroupHeartbeat', request) ?? heartbeat(fake, options, request),
    ),
    OffsetCommit: handleUnary(async (request) => gate('OffsetCommit', request) ?? commit(fake, request)),
    OffsetFetch: handleUnary(async (request) => {
      const error = gate('OffsetFetch', request);
      if (error !== undefined) return error;
      const group = groupOf(fake, request.groupId);
      const keys =
        request.topics.length === 0
          ? [...group.offsets.keys()]
          : request.topics.flatMap((t) => t.partitions.map((p) => tpKey(t.topic, p)));
      return {
        offsets: keys.map((key) => ({
          ...splitKey(key),
          offset: group.offsets.get(key) ?? -1,
          leaderEpoch: -1,
        })),
      };
    }),
    ListGroups: handleUnary(async (request) => {
      fake.requests.push({ server: index, method: 'ListGroups', request });
      const injected = take('ListGroups');
      if (injected !== undefined) return { errorCode: injected, errorMessage: 'injected' };
      // Each broker lists only the groups it coordinates; clients merge the answers.
      if (index !== fake.coordinator) return { groups: [] };
      return {
        groups: [...fake.groups.values()].map((g) => ({
          groupId: g.groupId,
          state: stateOf(g),
          members: g.members.size,
          coordinatorId: fake.coordinator + 1,
        })),
      };
    }),
    DescribeGroup: handleUnary(async (request) => {
      const error = gate('DescribeGroup', request);
      if (error !== undefined) return error;
      const group = fake.groups.get(request.groupId);
      if (group === undefined || (group.members.size === 0 && group.offsets.size === 0)) {
        return { errorCode: 'GROUP_ID_NOT_FOUND', errorMessage: `no group ${request.groupId}` };
      }
      return {
        groupId: group.groupId,
        state: stateOf(group),
        groupEpoch: group.epoch,
        assignor: 'round-robin',
        coordinatorId: fake.coordinator + 1,
        members: [...group.members.values()].map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          memberEpoch: m.epoch,
          subscribedTopics: m.subscribed,
          assignment: toLists(m.assigned),
          pendingRevocation: toLists([...m.owned].filter((k) => !m.assigned.has(k))),
        })),
        offsets: [...group.offsets].map(([key, offset]) => ({ ...splitKey(key), offset, leaderEpoch: -1 })),
      };
    }),
    DeleteGroupOffsets: handleUnary(async (request) => {
      const error = gate('DeleteGroupOffsets', request);
      if (error !== undefined) return error;
      const group = fake.groups.get(request.groupId);
      if (group === undefined) return { errorCode: 'GROUP_ID_NOT_FOUND', errorMessage: request.groupId };
      if (group.members.size > 0) return { errorCode: 'GROUP_NOT_EMPTY', errorMessage: 'active members' };
      const keys =
        request.topics.length === 0
          ? [...group.offsets.keys()]
          : request.topics.flatMap((t) => t.partitions.map((p) => tpKey(t.topic, p)));
      let deleted = 0;
      for (const key of keys) if (group.offsets.delete(key)) deleted++;
      if (group.offsets.size === 0 && group.members.size === 0) fake.groups.delete(group.groupId);
      return { deleted };
    }),
  };
}

/** Broker handlers that pass every call on to `upstream` unchanged. */
function forwardingBroker(upstream: BrokerClient): BrokerHandlers {
  const forward = <M extends UnaryMethodName<BrokerClient>>(method: M) =>
    handleUnary<UnaryRequest<BrokerClient, M>, UnaryResponse<BrokerClient, M>>((request) =>
      unary(upstream, method, request, { deadlineMs: 35_000 }),
    );
  return {
    // Not offered (UNIMPLEMENTED): producers fall back to Produce, which is forwarded.
    ProduceStream: (call) => {
      const details = 'ProduceStream is not forwarded';
      call.emit('error', { code: grpc.status.UNIMPLEMENTED, details, message: details });
    },
    // Not offered either: consumers fall back to Fetch, which is forwarded.
    FetchStream: (call) => {
      const details = 'FetchStream is not forwarded';
      call.emit('error', { code: grpc.status.UNIMPLEMENTED, details, message: details });
    },
    Produce: forward('Produce'),
    Fetch: forward('Fetch'),
    ListOffsets: forward('ListOffsets'),
    Metadata: forward('Metadata'),
    InitProducerId: forward('InitProducerId'),
    DescribeReplicas: forward('DescribeReplicas'),
    DeleteRecords: forward('DeleteRecords'),
    DescribeProducers: forward('DescribeProducers'),
  };
}
