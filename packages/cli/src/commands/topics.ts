/**
 * `trib topics create|list|describe|delete|add-partitions|alter-config`: topic admin through the active
 * controller, reached through the bootstrap brokers or, when given, the controllers directly.
 */
import { TributaryError, validateTopicName } from '@tributary/core';
import type { TopicInfo__Output, TopicListing__Output } from '@tributary/protocol';
import { type CommandContext, callOptions, withAdminConnection } from '../context.js';
import { cell, formatTable, jsonLine, list } from '../format.js';

export interface PartitionSummary {
  readonly partition: number;
  readonly leader: number | null;
  readonly leaderEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export interface TopicSummary {
  readonly name: string;
  readonly id: string;
  readonly partitions: readonly PartitionSummary[];
  readonly configs: Readonly<Record<string, string>>;
}

export function summarizeTopic(topic: TopicInfo__Output): TopicSummary {
  return {
    name: topic.name,
    id: topic.topicId,
    partitions: topic.partitions
      .map((partition) => ({
        partition: partition.partition,
        leader: partition.leader < 0 ? null : partition.leader,
        leaderEpoch: partition.leaderEpoch,
        replicas: partition.replicas,
        isr: partition.isr,
      }))
      .sort((a, b) => a.partition - b.partition),
    configs: Object.fromEntries(topic.configs.map((entry) => [entry.name, entry.value])),
  };
}

export function formatTopicDescription(topic: TopicSummary): string[] {
  const configs = Object.entries(topic.configs)
    .map(([name, value]) => `${name}=${value}`)
    .join(',');
  const header = `topic ${topic.name}  id ${topic.id}  partitions ${topic.partitions.length}  configs ${configs || '-'}`;
  const rows = topic.partitions.map((partition) => [
    String(partition.partition),
    cell(partition.leader),
    String(partition.leaderEpoch),
    list(partition.replicas),
    list(partition.isr),
  ]);
  return [header, ...formatTable(['PARTITION', 'LEADER', 'LEADER EPOCH', 'REPLICAS', 'ISR'], rows)];
}

export interface TopicListingSummary {
  readonly name: string;
  readonly id: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

export function summarizeListing(listing: TopicListing__Output): TopicListingSummary {
  return {
    name: listing.name,
    id: listing.topicId,
    partitions: listing.partitionCount,
    replicationFactor: listing.replicationFactor,
  };
}

export function formatTopicList(topics: readonly TopicListingSummary[]): string[] {
  const rows = topics.map((topic) => [
    topic.name,
    topic.id,
    String(topic.partitions),
    String(topic.replicationFactor),
  ]);
  return formatTable(['NAME', 'ID', 'PARTITIONS', 'REPLICATION FACTOR'], rows);
}

function printTopic(context: CommandContext, topic: TopicInfo__Output | null, summaryLine: string): void {
  if (topic === null) throw new TributaryError('UNKNOWN', 'the controller answered without the topic');
  const summary = summarizeTopic(topic);
  if (context.options.json) {
    context.io.out(jsonLine(summary));
    return;
  }
  context.io.out(summaryLine);
  for (const line of formatTopicDescription(summary)) context.io.out(line);
}

export interface TopicCreateOptions {
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs: readonly (readonly [string, string])[];
}

export async function topicsCreate(
  context: CommandContext,
  name: string,
  options: TopicCreateOptions,
): Promise<void> {
  validateTopicName(name);
  const request = {
    name,
    partitions: options.partitions,
    replicationFactor: options.replicationFactor,
    configs: options.configs.map(([configName, value]) => ({ name: configName, value })),
  };
  const response = await withAdminConnection(context, (connection) =>
    connection.admin('createTopic', request, callOptions(context)),
  );
  printTopic(context, response.topic, `created topic ${name}`);
}

export async function topicsList(context: CommandContext): Promise<void> {
  const response = await withAdminConnection(context, (connection) =>
    connection.admin('listTopics', {}, callOptions(context)),
  );
  const topics = response.topics.map(summarizeListing).sort((a, b) => a.name.localeCompare(b.name));
  if (context.options.json) context.io.out(jsonLine({ topics }));
  else for (const line of formatTopicList(topics)) context.io.out(line);
}

export async function topicsDescribe(context: CommandContext, name: string): Promise<void> {
  const response = await withAdminConnection(context, (connection) =>
    connection.admin('describeTopics', { names: [name] }, callOptions(context)),
  );
  const topic = response.topics.find((candidate) => candidate.name === name);
  if (topic === undefined) throw new TributaryError('UNKNOWN_TOPIC', `topic "${name}" does not exist`);
  printTopic(context, topic, `topic ${name}`);
}

export async function topicsDelete(context: CommandContext, name: string): Promise<void> {
  const response = await withAdminConnection(context, (connection) =>
    connection.admin('deleteTopic', { name }, callOptions(context)),
  );
  if (context.options.json) context.io.out(jsonLine({ name, id: response.topicId }));
  else context.io.out(`deleted topic ${name} (id ${response.topicId})`);
}

/** Printed after add-partitions: what changes for keyed records (as in Kafka). */
export const ADD_PARTITIONS_KEY_NOTE =
  'note: keyed records may now map to different partitions (the default partitioner hashes the key modulo the partition count); per-key order holds only among records written after this change';

export async function topicsAddPartitions(
  context: CommandContext,
  name: string,
  totalCount: number,
): Promise<void> {
  const response = await withAdminConnection(context, async (connection) => {
    // The count before, to tell the new partitions apart in the answer.
    const before = await connection.admin('describeTopics', { names: [name] }, callOptions(context));
    const previousCount = before.topics.find((t) => t.name === name)?.partitions.length ?? 0;
    const grown = await connection.admin('createPartitions', { name, totalCount }, callOptions(context));
    return { grown, previousCount };
  });
  const { grown, previousCount } = response;
  if (grown.topic === null) throw new TributaryError('UNKNOWN', 'the controller answered without the topic');
  const added = summarizeTopic(grown.topic).partitions.filter((p) => p.partition >= previousCount);
  if (context.options.json) {
    context.io.out(
      jsonLine({ ...summarizeTopic(grown.topic), newPartitions: added, note: ADD_PARTITIONS_KEY_NOTE }),
    );
    return;
  }
  printTopic(context, grown.topic, `topic ${name} now has ${totalCount} partitions`);
  for (const p of added) {
    context.io.out(
      `new partition ${p.partition}: replicas ${list(p.replicas)} (preferred leader ${cell(p.replicas[0])})`,
    );
  }
  context.io.out(ADD_PARTITIONS_KEY_NOTE);
}

export interface TopicAlterConfigOptions {
  readonly set: readonly (readonly [string, string])[];
  readonly remove: readonly string[];
  readonly validateOnly: boolean;
}

export async function topicsAlterConfig(
  context: CommandContext,
  name: string,
  options: TopicAlterConfigOptions,
): Promise<void> {
  validateTopicName(name);
  if (options.set.length === 0 && options.remove.length === 0) {
    throw new TributaryError('INVALID_CONFIG', 'nothing to change: give --set key=value or --delete key');
  }
  const request = {
    name,
    set: options.set.map(([configName, value]) => ({ name: configName, value })),
    remove: [...options.remove],
    validateOnly: options.validateOnly,
  };
  const response = await withAdminConnection(context, (connection) =>
    connection.admin('alterTopicConfigs', request, callOptions(context)),
  );
  const verb = options.validateOnly ? 'would change' : 'changed';
  printTopic(context, response.topic, `${verb} the configs of topic ${name}`);
}
