import { describe, expect, it } from 'vitest';
import { kcatProduceArgs, kcatProperties } from './kcat-run.js';

describe('kcat producer arguments', () => {
  it('reads the file itself, stops after the record count and sets only acks, idempotence and batching', () => {
    const args = kcatProduceArgs({
      bootstrap: ['127.0.0.1:9094', '127.0.0.1:9095'],
      topic: 'kafka-r1',
      inputFile: '/tmp/values.txt',
      records: 1_000_000,
      librdkafka: { idempotent: true, batchRecords: 4_854 },
    });
    expect(args.join(' ')).toBe(
      '-P -b 127.0.0.1:9094,127.0.0.1:9095 -t kafka-r1 -l /tmp/values.txt -c 1000000 -m 10 ' +
        '-X acks=all -X enable.idempotence=true -X batch.num.messages=4854',
    );
  });

  it("leaves librdkafka's defaults when idempotence is off and batching is not set", () => {
    expect(kcatProperties({ idempotent: false, batchRecords: 0 })).toEqual({ acks: 'all' });
  });
});
