/**
 * Wire checks of DescribeProducers (61) v0, flexible in its only version. No client we test against
 * (KafkaJS, kcat / librdkafka, @platformatic/kafka) sends DescribeProducers, so there are no captured
 * bytes: every body here is spelled out field by field from the protocol guide's layout
 * (DescribeProducers Request (Version: 0) => [topics] TAG_BUFFER; topics => name [partition_indexes]
 * TAG_BUFFER; the response as in its guide entry), with Kafka's compact types and tag buffers, and the
 * whole frame (request header v2, response header v1) is checked once.
 */
import { describe, expect, it } from 'vitest';
import type { ResponseOf } from '../api.js';
import {
  decodeRequestFrame,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
} from '../frame.js';
import * as w from '../testing/wire-bytes.js';
import { expectRequestWire, expectResponseWire } from '../testing/wire-check.js';
import { KAFKA_APIS } from './index.js';
import { DescribeProducers } from './transaction-admin.js';

const { NO_TAGS } = w;

const REQUEST = { topics: [{ name: 'orders', partitionIndexes: [0, 2] }] };

const RESPONSE: ResponseOf<typeof DescribeProducers> = {
  throttleTimeMs: 0,
  topics: [
    {
      name: 'orders',
      partitions: [
        {
          partitionIndex: 0,
          errorCode: 0,
          errorMessage: null,
          activeProducers: [
            {
              producerId: 4_000,
              producerEpoch: 2,
              lastSequence: 9,
              lastTimestamp: 1_700_000_000_000,
              coordinatorEpoch: 3,
              currentTxnStartOffset: 120,
            },
            {
              producerId: 4_001,
              producerEpoch: 0,
              lastSequence: -1,
              lastTimestamp: -1,
              coordinatorEpoch: -1,
              currentTxnStartOffset: -1,
            },
          ],
        },
        { partitionIndex: 2, errorCode: 6, errorMessage: 'not the leader', activeProducers: [] },
      ],
    },
  ],
};

const REQUEST_WIRE = w.concat(
  w.compactArray(w.concat(w.compactString('orders'), w.compactArray(w.int32(0), w.int32(2)), NO_TAGS)),
  NO_TAGS,
);

const RESPONSE_WIRE = w.concat(
  w.int32(0),
  w.compactArray(
    w.concat(
      w.compactString('orders'),
      w.compactArray(
        w.concat(
          w.int32(0),
          w.int16(0),
          w.compactString(null),
          w.compactArray(
            w.concat(
              ...[w.int64(4_000), w.int32(2), w.int32(9), w.int64(1_700_000_000_000)],
              ...[w.int32(3), w.int64(120), NO_TAGS],
            ),
            w.concat(
              ...[w.int64(4_001), w.int32(0), w.int32(-1), w.int64(-1)],
              ...[w.int32(-1), w.int64(-1), NO_TAGS],
            ),
          ),
          NO_TAGS,
        ),
        w.concat(w.int32(2), w.int16(6), w.compactString('not the leader'), w.compactArray(), NO_TAGS),
      ),
      NO_TAGS,
    ),
  ),
  NO_TAGS,
);

describe('DescribeProducers (key 61, v0, flexible)', () => {
  it('is in the registry as key 61, v0 only, flexible from v0', () => {
    const api = KAFKA_APIS.get(61);
    expect(api?.name).toBe('DescribeProducers');
    expect(api?.versions).toEqual({ min: 0, max: 0 });
    expect(api?.flexibleVersions).toEqual({ min: 0, max: Number.POSITIVE_INFINITY });
  });

  it('v0 request: [topics => name [partition_indexes]]', () => {
    expectRequestWire(DescribeProducers, 0, REQUEST, REQUEST_WIRE);
  });

  it('v0 response: throttle_time_ms [topics => name [partitions => partition_index error_code error_message [active_producers]]]', () => {
    expectResponseWire(DescribeProducers, 0, RESPONSE, RESPONSE_WIRE);
  });

  it('round-trips whole frames: request header v2 (tagged), response header v1', () => {
    const frame = encodeRequestFrame(DescribeProducers, 0, { correlationId: 7, clientId: 'adm' }, REQUEST);
    const header = w.concat(w.int16(61), w.int16(0), w.int32(7), w.string('adm'), NO_TAGS);
    expect(frame.subarray(4).toString('hex')).toBe(w.concat(header, REQUEST_WIRE).toString('hex'));
    const decoded = decodeRequestFrame(frame.subarray(4), KAFKA_APIS);
    expect(decoded.kind === 'request' ? decoded.body : decoded.kind).toEqual(REQUEST);

    const response = Buffer.concat(encodeResponseFrame(DescribeProducers, 0, 7, RESPONSE));
    expect(response.subarray(4).toString('hex')).toBe(
      w.concat(w.int32(7), NO_TAGS, RESPONSE_WIRE).toString('hex'),
    );
    expect(decodeResponseFrame(DescribeProducers, 0, response.subarray(4)).body).toEqual(RESPONSE);
  });

  it('refuses a version it does not implement (v1) as unsupported, not as a half-read body', () => {
    const frame = encodeRequestFrame(DescribeProducers, 0, { correlationId: 1, clientId: null }, REQUEST);
    frame.writeInt16BE(1, 6);
    expect(decodeRequestFrame(frame.subarray(4), KAFKA_APIS).kind).toBe('unsupported');
  });
});
