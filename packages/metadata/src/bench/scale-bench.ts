/**
 * The metadata path at scale, in one process (issue 15 item 4): T topics of P partitions (RF 3 on 3 brokers)
 * created one topic per delta as the controllers and brokers see them, and what one partition costs. Run after
 * a build, with --expose-gc so the heap figures are after a collection:
 *
 *   node --expose-gc packages/metadata/dist/bench/scale-bench.js [topics=100] [partitions=1000]
 *
 * Per partition, in CPU time (process.cpuUsage, less sensitive than the wall clock to other tenants):
 *   active     replay + apply of a topic's records onto the latest image, then encode them (what the active
 *              controller does per command; deciding them is about 1 µs more)
 *   standby    decode the records and replay + apply them (every other controller and every broker)
 * then the heap one image holds, with the per-broker ISR sets built as on a controller, and a snapshot of it:
 * bytes, and the CPU its encoding and decoding take.
 */
import { brokerEpoch, brokerId, leaderEpoch, partitionEpoch } from '@tributary/core';
import { decodeRecord, encodeRecord } from '../codec.js';
import { MetadataDelta } from '../delta.js';
import { MetadataImage } from '../image.js';
import type { MetadataRecord } from '../records.js';
import { decodeSnapshot, encodeSnapshot } from '../snapshot.js';

const BROKERS = [1, 2, 3].map(brokerId);

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Heap used after a collection when run with --expose-gc (else as it is). */
function heapBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

function topicRecords(index: number, partitions: number): MetadataRecord[] {
  const topicId = `scale-topic-id-${String(index).padStart(8, '0')}`;
  const records: MetadataRecord[] = [{ type: 'Topic', topicId, name: `scale-${index}` }];
  for (let partition = 0; partition < partitions; partition++) {
    const replicas = [0, 1, 2].map((r) => BROKERS[(partition + r) % BROKERS.length] ?? brokerId(1));
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

function withBrokers(): MetadataImage {
  const delta = new MetadataDelta(MetadataImage.EMPTY);
  for (const id of BROKERS) {
    delta.replay(
      {
        type: 'RegisterBroker',
        brokerId: id,
        brokerEpoch: brokerEpoch(id),
        incarnationId: `inc-${id}`,
        address: `host${id}:9092`,
        rack: null,
        fenced: false,
      },
      1,
    );
  }
  const image = delta.apply();
  for (const id of BROKERS) image.partitionsWithIsrMember(id); // built, as on a controller that fenced
  return image;
}

function main(argv: readonly string[]): void {
  const topics = Number(argv[0] ?? '100');
  const partitions = Number(argv[1] ?? '1000');
  const total = topics * partitions;
  const heapBefore = heapBytes();
  let active = withBrokers();
  let standby = withBrokers();
  let activeMs = 0;
  let standbyMs = 0;
  for (let t = 0; t < topics; t++) {
    const records = topicRecords(t, partitions);
    const offset = t + 2;
    let started = cpuMs();
    const delta = new MetadataDelta(active);
    for (const record of records) delta.replay(record, offset);
    active = delta.apply();
    const encoded = records.map(encodeRecord);
    activeMs += cpuMs() - started;
    started = cpuMs();
    const replay = new MetadataDelta(standby);
    for (const bytes of encoded) replay.replay(decodeRecord(bytes), offset);
    standby = replay.apply();
    standbyMs += cpuMs() - started;
  }
  active = withBrokers(); // drop the active image: the heap below is the standby's alone
  const heapAfter = heapBytes();
  let started = cpuMs();
  const snapshot = encodeSnapshot(standby);
  const encodeMs = cpuMs() - started;
  started = cpuMs();
  const decoded = decodeSnapshot(snapshot);
  const decodeMs = cpuMs() - started;
  const perPartition = (ms: number) => ((ms * 1000) / total).toFixed(1);
  process.stdout.write(
    [
      `scale-bench: ${topics} topics × ${partitions} partitions = ${decoded.partitionCount()}, RF 3 on 3 brokers`,
      `  active controller: ${perPartition(activeMs)} µs of CPU per partition (replay, apply, encode)`,
      `  standby / broker:  ${perPartition(standbyMs)} µs of CPU per partition (decode, replay, apply)`,
      `  image heap: ${((heapAfter - heapBefore) / total).toFixed(0)} B per partition (${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB)`,
      `  snapshot: ${(snapshot.length / total).toFixed(0)} B per partition (${(snapshot.length / 1e6).toFixed(1)} MB); encode ${encodeMs.toFixed(0)} ms, decode ${decodeMs.toFixed(0)} ms of CPU`,
      '',
    ].join('\n'),
  );
}

main(process.argv.slice(2));
