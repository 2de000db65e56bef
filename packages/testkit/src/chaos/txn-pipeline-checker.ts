/**
 * The read-process-write pipeline's exactly-once check (KIP-98/KIP-447's promise, issue 14): read with
 * read_committed after healing, the output topic holds, for every committed input record below the group's
 * committed offset on the input topic, exactly one output; none for inputs at or above it (the offsets and
 * the outputs commit together); none for anything that is not a committed input (an aborted input processed
 * is G1a through the pipeline). The pipeline drains before the final read, so inputs left unprocessed are an
 * anomaly too.
 */
import type { OffsetValue } from './history.js';
import type { TxnAnomaly, TxnChecker } from './txn-checkers.js';
import { describeTxn, type PartitionContents, tpKey } from './txn-history.js';
import { writesByValue } from './txn-index.js';

const NO_RECORDS: readonly OffsetValue[] = [];

/** input "partition@offset" → its value, for every committed input record. */
function committedInputs(
  committed: PartitionContents,
  topic: string,
  partitions: number,
): Map<string, { partition: number; offset: number; value: string }> {
  const inputs = new Map<string, { partition: number; offset: number; value: string }>();
  for (let partition = 0; partition < partitions; partition++) {
    for (const record of committed.get(tpKey(topic, partition)) ?? NO_RECORDS) {
      inputs.set(`${partition}@${record.offset}`, { partition, ...record });
    }
  }
  return inputs;
}

export const checkExactlyOnce: TxnChecker = (history) => {
  const pipeline = history.pipeline;
  const final = history.finalRead;
  const groupOffsets = history.finalGroupOffsets;
  if (pipeline === undefined || final === undefined || groupOffsets === undefined) return [];
  const inputPartitions = history.topics.get(pipeline.inputTopic) ?? 0;
  const outputPartitions = history.topics.get(pipeline.outputTopic) ?? 0;
  const inputs = committedInputs(final.committed, pipeline.inputTopic, inputPartitions);
  const writes = writesByValue(history);
  const committedOffset = (partition: number): number => Math.max(0, groupOffsets.get(partition) ?? 0);
  const anomalies: TxnAnomaly[] = [];
  const outputsOf = new Map<string, string[]>();
  for (let partition = 0; partition < outputPartitions; partition++) {
    for (const record of final.committed.get(tpKey(pipeline.outputTopic, partition)) ?? NO_RECORDS) {
      const at = `${tpKey(pipeline.outputTopic, partition)}@${record.offset}`;
      const of = writes.get(record.value);
      const input = of?.write.input;
      if (of === undefined || input === undefined) {
        anomalies.push({
          kind: 'eos-foreign',
          message: `output ${record.value} at ${at} was not written by the pipeline`,
          records: [],
        });
        continue;
      }
      const key = `${input.partition}@${input.offset}`;
      const source = inputs.get(key);
      if (source === undefined || source.value !== input.value) {
        const found = source === undefined ? 'no committed record' : source.value;
        anomalies.push({
          kind: 'eos-foreign',
          message: `output ${record.value} at ${at} processed ${input.value} from ${tpKey(pipeline.inputTopic, input.partition)}@${input.offset}, where the committed input has ${found}`,
          records: [describeTxn(of.txn)],
        });
        continue;
      }
      if (input.offset >= committedOffset(input.partition)) {
        anomalies.push({
          kind: 'eos-offset-mismatch',
          message: `output ${record.value} at ${at} is committed but the group's offset on ${tpKey(pipeline.inputTopic, input.partition)} is ${committedOffset(input.partition)} <= its input's ${input.offset}`,
          records: [describeTxn(of.txn)],
        });
      }
      outputsOf.set(key, [...(outputsOf.get(key) ?? []), `${record.value} at ${at}`]);
    }
  }
  const unprocessed = new Map<number, number>();
  for (const [key, input] of inputs) {
    const outputs = outputsOf.get(key) ?? [];
    const consumed = input.offset < committedOffset(input.partition);
    const tp = `${tpKey(pipeline.inputTopic, input.partition)}@${input.offset}`;
    if (!consumed) {
      unprocessed.set(input.partition, (unprocessed.get(input.partition) ?? 0) + 1);
    } else if (outputs.length === 0) {
      anomalies.push({
        kind: 'eos-lost',
        message: `input ${input.value} (${tp}) is below the group's committed offset ${committedOffset(input.partition)} but has no output`,
        records: [],
      });
    } else if (outputs.length > 1) {
      anomalies.push({
        kind: 'eos-duplicate',
        message: `input ${input.value} (${tp}) has ${outputs.length} committed outputs`,
        records: outputs,
      });
    }
  }
  for (const [partition, count] of unprocessed) {
    anomalies.push({
      kind: 'eos-incomplete',
      message: `${count} committed inputs of ${tpKey(pipeline.inputTopic, partition)} at or above the group's offset ${committedOffset(partition)} were never processed`,
      records: [],
    });
  }
  return anomalies;
};
