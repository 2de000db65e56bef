/**
 * Micro-benchmark of MetadataDelta.apply() against image size: how many one-command deltas per second
 * can be applied to an image that already holds N topics. Run after a build:
 *
 *   node packages/metadata/dist/bench/delta-bench.js [topicCounts=1000,10000,50000] [runs=5] [brokers=30]
 *
 * Two workloads, each applied to the same base image (so N stays fixed while measuring):
 *   create-topic   one delta = Topic + 3 Partition records (what CreateTopic writes), then apply()
 *   fence          one delta = PartitionChange of one partition, apply(), then partitionsWithIsrMember()
 *                  on the new image (what the controller does on a fence/heartbeat path)
 *
 * This is a shell around the pure package, so it reads the wall clock; the figure printed per workload is
 * the median of `runs` runs, each lasting about RUN_MS.
 */
import { brokerEpoch, brokerId, leaderEpoch, partitionEpoch } from '@tributary/core';
import { MetadataDelta } from '../delta.js';
import { MetadataImage } from '../image.js';
import type { MetadataRecord } from '../records.js';

const RUN_MS = 300;
const MIN_APPLIES_PER_RUN = 20;
const PARTITIONS_PER_TOPIC = 3;

function topicRecords(index: number, brokers: number): MetadataRecord[] {
  const topicId = `bench-topic-id-${index}`;
  const records: MetadataRecord[] = [{ type: 'Topic', topicId, name: `bench-${index}` }];
  for (let partition = 0; partition < PARTITIONS_PER_TOPIC; partition++) {
    const replicas = [0, 1, 2].map((r) => brokerId(((index + partition + r) % brokers) + 1));
    records.push({
      type: 'Partition',
      topicId,
      partition,
      replicas,
      isr: replicas,
      leader: replicas[0] ?? brokerId(1),
      leaderEpoch: leaderEpoch(0),
      partitionEpoch: partitionEpoch(0),
    });
  }
  return records;
}

function baseImage(topics: number, brokers: number): MetadataImage {
  const delta = new MetadataDelta(MetadataImage.EMPTY);
  for (let id = 1; id <= brokers; id++) {
    delta.replay(
      {
        type: 'RegisterBroker',
        brokerId: brokerId(id),
        brokerEpoch: brokerEpoch(id),
        incarnationId: `inc-${id}`,
        address: `host${id}:9092`,
        rack: null,
        fenced: false,
      },
      0,
    );
  }
  for (let index = 0; index < topics; index++) {
    for (const record of topicRecords(index, brokers)) delta.replay(record, 0);
  }
  return delta.apply();
}

/** Applies/s of one run: `step(i)` builds and applies the i-th delta. */
function measure(step: (i: number) => void): number {
  const start = performance.now();
  let applies = 0;
  let elapsedMs = 0;
  while (elapsedMs < RUN_MS || applies < MIN_APPLIES_PER_RUN) {
    step(applies);
    applies++;
    elapsedMs = performance.now() - start;
  }
  return (applies * 1_000) / elapsedMs;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function createTopicStep(base: MetadataImage, topics: number, brokers: number): (i: number) => void {
  return (i) => {
    const delta = new MetadataDelta(base);
    for (const record of topicRecords(topics + i, brokers)) delta.replay(record, base.offset + 1);
    delta.apply();
  };
}

function fenceStep(base: MetadataImage, topics: number): (i: number) => void {
  return (i) => {
    const topicId = `bench-topic-id-${i % topics}`;
    const state = base.partition(topicId, 0);
    if (state === undefined) throw new Error(`bench: missing ${topicId}/0`);
    const delta = new MetadataDelta(base);
    delta.replay(
      {
        type: 'PartitionChange',
        topicId,
        partition: 0,
        leaderEpoch: state.leaderEpoch,
        partitionEpoch: partitionEpoch(state.partitionEpoch + 1),
      },
      base.offset + 1,
    );
    delta.apply().partitionsWithIsrMember(brokerId(1));
  };
}

function main(argv: readonly string[]): void {
  const counts = (argv[0] ?? '1000,10000,50000').split(',').map(Number);
  const runs = Number(argv[1] ?? '5');
  const brokers = Number(argv[2] ?? '30');
  process.stdout.write(
    `delta-bench: ${brokers} brokers, ${PARTITIONS_PER_TOPIC} partitions/topic, median of ${runs} runs\n`,
  );
  for (const topics of counts) {
    const base = baseImage(topics, brokers);
    base.partitionsWithIsrMember(brokerId(1)); // as on a live controller, the base's index is built
    const create = median(
      Array.from({ length: runs }, () => measure(createTopicStep(base, topics, brokers))),
    );
    const fence = median(Array.from({ length: runs }, () => measure(fenceStep(base, topics))));
    process.stdout.write(
      `topics=${String(topics).padStart(6)}  create-topic applies/s=${create.toFixed(0).padStart(8)}` +
        `  fence apply+index/s=${fence.toFixed(0).padStart(8)}\n`,
    );
  }
}

main(process.argv.slice(2));
