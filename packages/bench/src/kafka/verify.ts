/**
 * Checks that a produce run is real without trusting the tool that produced it: each partition's leader is
 * asked for its earliest and latest offsets over gRPC ListOffsets, and the leader's own segment files are
 * read batch by batch. Both counts, per partition and in total, must equal what the tool was told to send.
 */
import { unary } from '@tributary/protocol';
import type { BrokerProcess, Cluster } from '@tributary/testkit';
import { describeTopic } from '../cluster-helpers.js';
import { addScans, EMPTY_SCAN, type LogScan, partitionDir, scanPartitionDir } from './log-scan.js';

const LIST_OFFSETS_DEADLINE_MS = 10_000;
/** ListOffsets timestamps (Kafka's): the high watermark and the log start. */
const LATEST = -1;
const EARLIEST = -2;

export interface PartitionCount {
  readonly partition: number;
  readonly leader: number;
  /** Latest minus earliest offset, as the leader answers ListOffsets. */
  readonly listOffsetsRecords: number;
  /** Records in the leader's segment files. */
  readonly logRecords: number;
  readonly batches: number;
}

export interface ProduceCheck {
  readonly expected: number;
  readonly partitions: PartitionCount[];
  readonly listOffsetsRecords: number;
  /** The batches in the leaders' logs (records, batches, bytes, idempotent ones). */
  readonly log: LogScan;
  /** Empty when every count matches. */
  readonly problems: string[];
}

async function listOffsets(
  broker: BrokerProcess,
  topic: string,
  partitions: readonly number[],
  timestamp: number,
): Promise<Map<number, number>> {
  const response = await unary(
    broker.brokerClient(),
    'ListOffsets',
    { topics: [{ name: topic, partitions: partitions.map((partition) => ({ partition, timestamp })) }] },
    { deadlineMs: LIST_OFFSETS_DEADLINE_MS },
  );
  const offsets = new Map<number, number>();
  for (const result of response.results) {
    if (result.errorCode !== '') {
      throw new Error(
        `ListOffsets ${topic}/${result.partition} on broker ${broker.nodeId}: ${result.errorCode}`,
      );
    }
    offsets.set(result.partition, result.offset);
  }
  return offsets;
}

/** Counts the topic's records per partition on its leaders and compares them with `expected`. */
export async function checkProduced(
  cluster: Cluster,
  topic: string,
  expected: number,
): Promise<ProduceCheck> {
  const described = await describeTopic(cluster, topic);
  const byLeader = new Map<number, number[]>();
  for (const p of described.partitions)
    byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), p.partition]);
  const problems: string[] = [];
  const partitions: PartitionCount[] = [];
  let log = EMPTY_SCAN;
  for (const [leader, owned] of byLeader) {
    if (leader < 0) {
      problems.push(`partitions ${owned.join(',')} have no leader`);
      continue;
    }
    const broker = cluster.broker(leader);
    const latest = await listOffsets(broker, topic, owned, LATEST);
    const earliest = await listOffsets(broker, topic, owned, EARLIEST);
    for (const partition of owned) {
      const scan = await scanPartitionDir(partitionDir(broker.dataDir, topic, partition));
      log = addScans(log, scan);
      const listed = (latest.get(partition) ?? Number.NaN) - (earliest.get(partition) ?? Number.NaN);
      if (listed !== scan.records) {
        problems.push(
          `${topic}/${partition}: ListOffsets says ${listed} records, the leader's log holds ${scan.records}`,
        );
      }
      partitions.push({
        partition,
        leader,
        listOffsetsRecords: listed,
        logRecords: scan.records,
        batches: scan.batches,
      });
    }
  }
  partitions.sort((a, b) => a.partition - b.partition);
  const listOffsetsRecords = partitions.reduce((sum, p) => sum + p.listOffsetsRecords, 0);
  if (listOffsetsRecords !== expected)
    problems.push(`${topic}: ListOffsets counts ${listOffsetsRecords} records, sent ${expected}`);
  if (log.records !== expected)
    problems.push(`${topic}: the leaders' logs hold ${log.records} records, sent ${expected}`);
  return { expected, partitions, listOffsetsRecords, log, problems };
}
