/**
 * `trib cluster status`: one terminal overview of the cluster — the controller quorum (leader, term,
 * commit index, each voter's lag: DescribeQuorum to every controller, or with brokers alone the active
 * controller's view relayed by a broker), the brokers (DescribeCluster) and the partitions that need
 * attention (ListTopics + DescribeTopics): under-replicated (ISR smaller than the replica set) and
 * offline (no leader).
 */
import { LIMITS } from '@tributary/core';
import {
  type ControllerConnection,
  createControllerAdminClient,
  type PartitionInfo__Output,
  type TopicInfo__Output,
  unary,
} from '@tributary/protocol';
import { type CommandContext, callOptions, clientOptions, withAdminConnection } from '../context.js';
import { cell, formatTable, jsonLine, list } from '../format.js';
import { type ClusterSummary, formatBrokersTable, summarizeCluster } from './brokers.js';
import {
  formatQuorumTable,
  type QuorumAnswer,
  type QuorumSummary,
  summarizeQuorum,
  summarizeRelayedQuorum,
} from './quorum.js';

/** A quorum question should be quick: a controller slower than this is shown as unreachable. */
const STATUS_QUORUM_CALL_TIMEOUT_MS_MAX = 1_500;
/** Problem partitions listed per kind (the counts are always exact). */
export const CLUSTER_STATUS_PARTITIONS_LISTED_MAX = 100;

export interface PartitionProblem {
  readonly topic: string;
  readonly partition: number;
  readonly leader: number | null;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export interface ClusterStatus {
  readonly quorum: QuorumSummary | null;
  readonly cluster: ClusterSummary;
  readonly topicCount: number;
  readonly partitionCount: number;
  readonly underReplicatedCount: number;
  readonly offlineCount: number;
  /** At most CLUSTER_STATUS_PARTITIONS_LISTED_MAX of each. */
  readonly underReplicated: readonly PartitionProblem[];
  readonly offline: readonly PartitionProblem[];
  /** A leader, every broker unfenced, no under-replicated or offline partition. */
  readonly healthy: boolean;
}

function problem(topic: string, info: PartitionInfo__Output): PartitionProblem {
  return {
    topic,
    partition: info.partition,
    leader: info.leader < 0 ? null : info.leader,
    replicas: info.replicas,
    isr: info.isr,
  };
}

export function summarizeStatus(
  quorum: QuorumSummary | null,
  cluster: ClusterSummary,
  topics: readonly TopicInfo__Output[],
): ClusterStatus {
  let partitionCount = 0;
  const underReplicated: PartitionProblem[] = [];
  const offline: PartitionProblem[] = [];
  let underReplicatedCount = 0;
  let offlineCount = 0;
  for (const topic of [...topics].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const info of [...topic.partitions].sort((a, b) => a.partition - b.partition)) {
      partitionCount += 1;
      if (info.leader < 0) {
        offlineCount += 1;
        if (offline.length < CLUSTER_STATUS_PARTITIONS_LISTED_MAX) offline.push(problem(topic.name, info));
      }
      if (info.isr.length < info.replicas.length) {
        underReplicatedCount += 1;
        if (underReplicated.length < CLUSTER_STATUS_PARTITIONS_LISTED_MAX) {
          underReplicated.push(problem(topic.name, info));
        }
      }
    }
  }
  const healthy =
    quorum?.leaderId !== null &&
    quorum !== null &&
    cluster.brokers.every((broker) => !broker.fenced) &&
    underReplicatedCount === 0 &&
    offlineCount === 0;
  return {
    quorum,
    cluster,
    topicCount: topics.length,
    partitionCount,
    underReplicatedCount,
    offlineCount,
    underReplicated,
    offline,
    healthy,
  };
}

function problemRows(problems: readonly PartitionProblem[]): string[][] {
  return problems.map((p) => [p.topic, String(p.partition), cell(p.leader), list(p.replicas), list(p.isr)]);
}

export function formatStatus(status: ClusterStatus): string[] {
  const lines: string[] = [
    `cluster ${status.cluster.clusterId}: ${status.healthy ? 'healthy' : 'NEEDS ATTENTION'}`,
  ];
  lines.push('', 'QUORUM');
  if (status.quorum === null) lines.push('no controller answered DescribeQuorum');
  else lines.push(...formatQuorumTable(status.quorum));
  const fenced = status.cluster.brokers.filter((broker) => broker.fenced).length;
  lines.push(
    '',
    `BROKERS  ${status.cluster.brokers.length} registered, ${fenced} fenced, metadata offset ${status.cluster.metadataOffset}`,
    ...formatBrokersTable(status.cluster),
  );
  lines.push(
    '',
    `PARTITIONS  ${status.partitionCount} in ${status.topicCount} topics, ` +
      `${status.underReplicatedCount} under-replicated, ${status.offlineCount} offline`,
  );
  const headers = ['TOPIC', 'PARTITION', 'LEADER', 'REPLICAS', 'ISR'];
  const section = (title: string, problems: readonly PartitionProblem[], count: number): void => {
    if (count === 0) return;
    lines.push('', title, ...formatTable(headers, problemRows(problems)));
    if (count > problems.length) lines.push(`... and ${count - problems.length} more`);
  };
  section('OFFLINE (no leader)', status.offline, status.offlineCount);
  section('UNDER-REPLICATED (ISR < replicas)', status.underReplicated, status.underReplicatedCount);
  return lines;
}

/** DescribeQuorum to every controller at once; dead or slow ones count as unanswered, never as a failure. */
async function probeQuorum(context: CommandContext): Promise<QuorumSummary | null> {
  const deadlineMs = Math.min(context.options.timeoutMs, STATUS_QUORUM_CALL_TIMEOUT_MS_MAX);
  const clients = context.options.controllers.map((address) => ({
    address,
    client: createControllerAdminClient(address, clientOptions(context)),
  }));
  try {
    const answers: QuorumAnswer[] = await Promise.all(
      clients.map(({ address, client }) =>
        unary(client, 'describeQuorum', {}, { deadlineMs, signal: context.io.signal }).then(
          (response) => ({ address, response }),
          () => ({ address, response: null }),
        ),
      ),
    );
    return summarizeQuorum(answers, context.io.clock.wallMs());
  } finally {
    for (const { client } of clients) client.close();
  }
}

/** DescribeQuorum relayed by a broker to the active controller; null when it does not answer in time. */
async function relayedQuorum(
  context: CommandContext,
  connection: ControllerConnection,
): Promise<QuorumSummary | null> {
  const deadlineMs = Math.min(context.options.timeoutMs, STATUS_QUORUM_CALL_TIMEOUT_MS_MAX);
  try {
    const response = await connection.admin('describeQuorum', {}, { deadlineMs, signal: context.io.signal });
    return summarizeRelayedQuorum(response, context.io.clock.wallMs());
  } catch {
    return null;
  }
}

export async function clusterStatus(context: CommandContext): Promise<void> {
  const { quorum, cluster, topics } = await withAdminConnection(context, async (connection) => {
    // Given controllers are each asked (a dead one shows as unreachable); brokers relay the leader's view.
    const quorum = context.options.controllersGiven
      ? await probeQuorum(context)
      : await relayedQuorum(context, connection);
    const described = await connection.admin('describeCluster', {}, callOptions(context));
    const listed = await connection.admin('listTopics', {}, callOptions(context));
    const names = listed.topics.map((topic) => topic.name);
    const infos: TopicInfo__Output[] = [];
    // DescribeTopics takes a bounded number of names per request.
    for (let start = 0; start < names.length; start += LIMITS.topicsPerRequestMax) {
      const chunk = names.slice(start, start + LIMITS.topicsPerRequestMax);
      const response = await connection.admin('describeTopics', { names: chunk }, callOptions(context));
      infos.push(...response.topics);
    }
    return { quorum, cluster: summarizeCluster(described), topics: infos };
  });
  const status = summarizeStatus(quorum, cluster, topics);
  if (context.options.json) context.io.out(jsonLine(status));
  else for (const line of formatStatus(status)) context.io.out(line);
}
