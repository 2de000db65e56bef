/**
 * Wire checks of the topic administration APIs (CreateTopics, DeleteTopics, CreatePartitions), spelled
 * out from the protocol guide's BNF at classic and flexible versions, plus the decode-strictness cases
 * particular to them (CreateTopics' tagged field, DeleteTopics' nullable names).
 */
import { describe, expect, it } from 'vitest';
import { decodeRequestBytes, decodeResponseBytes } from '../api.js';
import { decodeErrorCode } from '../testing/decode-error.js';
import * as w from '../testing/wire-bytes.js';
import { expectRequestWire, expectResponseWire } from '../testing/wire-check.js';
import { CreatePartitions, CreateTopics, DeleteTopics } from './topic-admin.js';

const { NO_TAGS } = w;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const TOPIC_ID = '3f2a6c1e-7b4d-4e8a-9c0f-1d2e3f405162';

describe('CreateTopics', () => {
  /** A result with the defaults of the fields v0–4 lack. */
  const classicResult = {
    topicId: ZERO_UUID,
    topicConfigErrorCode: 0,
    numPartitions: -1,
    replicationFactor: -1,
    configs: null,
  };

  it('v0: [Topics] TimeoutMs; [Topics: Name ErrorCode]', () => {
    expectRequestWire(
      CreateTopics,
      0,
      {
        topics: [
          {
            name: 't',
            numPartitions: -1,
            replicationFactor: -1,
            assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }],
            configs: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
        timeoutMs: 30_000,
        validateOnly: false,
      },
      w.concat(
        w.array(
          w.concat(
            w.string('t'),
            w.int32(-1),
            w.int16(-1),
            w.array(w.concat(w.int32(0), w.array(w.int32(1), w.int32(2)))),
            w.array(w.concat(w.string('cleanup.policy'), w.string('compact'))),
          ),
        ),
        w.int32(30_000),
      ),
    );
    expectResponseWire(
      CreateTopics,
      0,
      { throttleTimeMs: 0, topics: [{ name: 't', errorCode: 36, errorMessage: null, ...classicResult }] },
      w.array(w.concat(w.string('t'), w.int16(36))),
    );
  });

  it('v4: ValidateOnly after TimeoutMs; throttle time and error messages', () => {
    expectRequestWire(
      CreateTopics,
      4,
      {
        topics: [{ name: 't', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [] }],
        timeoutMs: 60_000,
        validateOnly: true,
      },
      w.concat(
        w.array(w.concat(w.string('t'), w.int32(3), w.int16(1), w.array(), w.array())),
        w.int32(60_000),
        w.bool(true),
      ),
    );
    expectResponseWire(
      CreateTopics,
      4,
      { throttleTimeMs: 0, topics: [{ name: 't', errorCode: 0, errorMessage: null, ...classicResult }] },
      w.concat(w.int32(0), w.array(w.concat(w.string('t'), w.int16(0), w.string(null)))),
    );
  });

  it('v5 (flexible): TopicConfigErrorCode travels as tag 0 when set', () => {
    expectResponseWire(
      CreateTopics,
      5,
      {
        throttleTimeMs: 0,
        topics: [{ ...classicResult, name: 't', errorCode: 0, errorMessage: null, topicConfigErrorCode: 29 }],
      },
      w.concat(
        w.int32(0),
        w.compactArray(
          w.concat(
            w.compactString('t'),
            w.int16(0),
            w.compactString(null),
            w.int32(-1),
            w.int16(-1),
            w.COMPACT_NULL_ARRAY,
            w.tagBuffer([0, w.int16(29)]),
          ),
        ),
        NO_TAGS,
      ),
    );
  });

  it('v7 (flexible): topic ids and configs in the answer', () => {
    expectRequestWire(
      CreateTopics,
      7,
      {
        topics: [{ name: 't', numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] }],
        timeoutMs: 60_000,
        validateOnly: false,
      },
      w.concat(
        w.compactArray(
          w.concat(
            w.compactString('t'),
            w.int32(-1),
            w.int16(-1),
            w.compactArray(),
            w.compactArray(),
            NO_TAGS,
          ),
        ),
        w.int32(60_000),
        w.bool(false),
        NO_TAGS,
      ),
    );
    expectResponseWire(
      CreateTopics,
      7,
      {
        throttleTimeMs: 0,
        topics: [
          {
            name: 't',
            topicId: TOPIC_ID,
            errorCode: 0,
            errorMessage: null,
            topicConfigErrorCode: 0,
            numPartitions: 3,
            replicationFactor: 3,
            configs: [
              {
                name: 'retention.ms',
                value: '604800000',
                readOnly: false,
                configSource: 5,
                isSensitive: false,
              },
            ],
          },
        ],
      },
      w.concat(
        w.int32(0),
        w.compactArray(
          w.concat(
            w.compactString('t'),
            w.uuid(TOPIC_ID),
            w.int16(0),
            w.compactString(null),
            w.int32(3),
            w.int16(3),
            w.compactArray(
              w.concat(
                w.compactString('retention.ms'),
                w.compactString('604800000'),
                w.bool(false),
                w.int8(5),
                w.bool(false),
                NO_TAGS,
              ),
            ),
            NO_TAGS,
          ),
        ),
        NO_TAGS,
      ),
    );
  });

  it('skips an unknown tag, and refuses tags out of order and a null topic list', () => {
    const topic = (tags: Buffer) =>
      w.concat(
        w.int32(0),
        w.compactArray(
          w.concat(
            w.compactString('t'),
            w.int16(0),
            w.compactString(null),
            w.int32(1),
            w.int16(1),
            w.COMPACT_NULL_ARRAY,
            tags,
          ),
        ),
        NO_TAGS,
      );
    const future = decodeResponseBytes(CreateTopics, 5, topic(w.tagBuffer([0, w.int16(29)], [9, w.int8(1)])));
    expect(future.topics[0]?.topicConfigErrorCode).toBe(29);
    const unordered = topic(w.tagBuffer([9, w.int8(1)], [0, w.int16(29)]));
    expect(decodeErrorCode(() => decodeResponseBytes(CreateTopics, 5, unordered))).toBe('BAD_TAG');
    const oversized = topic(w.tagBuffer([0, w.concat(w.int16(29), w.int8(0))]));
    expect(decodeErrorCode(() => decodeResponseBytes(CreateTopics, 5, oversized))).toBe('TRAILING_BYTES');
    expect(
      decodeErrorCode(() => decodeRequestBytes(CreateTopics, 0, w.concat(w.NULL_ARRAY, w.int32(0)))),
    ).toBe('BAD_VALUE');
  });
});
describe('DeleteTopics', () => {
  it('v0: [TopicNames] TimeoutMs; [Responses: Name ErrorCode]', () => {
    expectRequestWire(
      DeleteTopics,
      0,
      { topics: [], topicNames: ['a', 'b'], timeoutMs: 5_000 },
      w.concat(w.array(w.string('a'), w.string('b')), w.int32(5_000)),
    );
    expectResponseWire(
      DeleteTopics,
      0,
      { throttleTimeMs: 0, responses: [{ name: 'a', topicId: ZERO_UUID, errorCode: 3, errorMessage: null }] },
      w.array(w.concat(w.string('a'), w.int16(3))),
    );
  });

  it('v4 (flexible): compact names; v5 error messages', () => {
    expectRequestWire(
      DeleteTopics,
      4,
      { topics: [], topicNames: ['a'], timeoutMs: 5_000 },
      w.concat(w.compactArray(w.compactString('a')), w.int32(5_000), NO_TAGS),
    );
    expectResponseWire(
      DeleteTopics,
      5,
      {
        throttleTimeMs: 0,
        responses: [{ name: 'a', topicId: ZERO_UUID, errorCode: 73, errorMessage: 'off' }],
      },
      w.concat(
        w.int32(0),
        w.compactArray(w.concat(w.compactString('a'), w.int16(73), w.compactString('off'), NO_TAGS)),
        NO_TAGS,
      ),
    );
  });

  it('v6 (flexible, KIP-516): [Topics: Name? TopicId] before TimeoutMs', () => {
    expectRequestWire(
      DeleteTopics,
      6,
      {
        topics: [
          { name: null, topicId: TOPIC_ID },
          { name: 'b', topicId: ZERO_UUID },
        ],
        topicNames: [],
        timeoutMs: 5_000,
      },
      w.concat(
        w.compactArray(
          w.concat(w.compactString(null), w.uuid(TOPIC_ID), NO_TAGS),
          w.concat(w.compactString('b'), w.uuid(ZERO_UUID), NO_TAGS),
        ),
        w.int32(5_000),
        NO_TAGS,
      ),
    );
    expectResponseWire(
      DeleteTopics,
      6,
      {
        throttleTimeMs: 0,
        responses: [{ name: null, topicId: TOPIC_ID, errorCode: 100, errorMessage: 'unknown topic id' }],
      },
      w.concat(
        w.int32(0),
        w.compactArray(
          w.concat(
            w.compactString(null),
            w.uuid(TOPIC_ID),
            w.int16(100),
            w.compactString('unknown topic id'),
            NO_TAGS,
          ),
        ),
        NO_TAGS,
      ),
    );
  });

  it('refuses a null name before v6', () => {
    const nullName = w.concat(
      w.int32(0),
      w.compactArray(w.concat(w.compactString(null), w.int16(3), w.compactString(null), NO_TAGS)),
      NO_TAGS,
    );
    expect(decodeErrorCode(() => decodeResponseBytes(DeleteTopics, 5, nullName))).toBe('BAD_VALUE');
    expect(
      decodeErrorCode(() =>
        decodeRequestBytes(DeleteTopics, 0, w.concat(w.array(w.string(null)), w.int32(0))),
      ),
    ).toBe('BAD_VALUE');
  });
});
describe('CreatePartitions', () => {
  it('v0: [Topics: Name Count Assignments?] TimeoutMs ValidateOnly', () => {
    expectRequestWire(
      CreatePartitions,
      0,
      {
        topics: [
          { name: 't', count: 6, assignments: null },
          { name: 'u', count: 2, assignments: [{ brokerIds: [1, 2] }] },
        ],
        timeoutMs: 30_000,
        validateOnly: false,
      },
      w.concat(
        w.array(
          w.concat(w.string('t'), w.int32(6), w.NULL_ARRAY),
          w.concat(w.string('u'), w.int32(2), w.array(w.array(w.int32(1), w.int32(2)))),
        ),
        w.int32(30_000),
        w.bool(false),
      ),
    );
    expectResponseWire(
      CreatePartitions,
      0,
      { throttleTimeMs: 0, results: [{ name: 't', errorCode: 0, errorMessage: null }] },
      w.concat(w.int32(0), w.array(w.concat(w.string('t'), w.int16(0), w.string(null)))),
    );
  });

  it('v3 (flexible)', () => {
    expectRequestWire(
      CreatePartitions,
      3,
      {
        topics: [{ name: 't', count: 6, assignments: [{ brokerIds: [1] }] }],
        timeoutMs: 30_000,
        validateOnly: true,
      },
      w.concat(
        w.compactArray(
          w.concat(
            w.compactString('t'),
            w.int32(6),
            w.compactArray(w.concat(w.compactArray(w.int32(1)), NO_TAGS)),
            NO_TAGS,
          ),
        ),
        w.int32(30_000),
        w.bool(true),
        NO_TAGS,
      ),
    );
    expectResponseWire(
      CreatePartitions,
      3,
      { throttleTimeMs: 0, results: [{ name: 't', errorCode: 37, errorMessage: 'fewer' }] },
      w.concat(
        w.int32(0),
        w.compactArray(w.concat(w.compactString('t'), w.int16(37), w.compactString('fewer'), NO_TAGS)),
        NO_TAGS,
      ),
    );
  });
});
