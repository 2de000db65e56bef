/**
 * Wire checks of the admin APIs (CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs,
 * AlterConfigs, IncrementalAlterConfigs), spelled out from the protocol guide's BNF at classic and
 * flexible versions, plus the decode-strictness cases particular to them.
 */
import { describe, expect, it } from 'vitest';
import { decodeRequestBytes, decodeResponseBytes } from '../api.js';
import { KafkaProtocolError, type KafkaProtocolErrorCode } from '../errors.js';
import * as w from '../testing/wire-bytes.js';
import { expectRequestWire, expectResponseWire } from '../testing/wire-check.js';
import { AlterConfigs, DescribeConfigs, IncrementalAlterConfigs } from './configs.js';
import { CreatePartitions, CreateTopics, DeleteTopics } from './topic-admin.js';

const { NO_TAGS } = w;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const TOPIC_ID = '3f2a6c1e-7b4d-4e8a-9c0f-1d2e3f405162';

function protocolError(run: () => unknown): KafkaProtocolErrorCode {
  try {
    run();
  } catch (error) {
    if (error instanceof KafkaProtocolError) return error.code;
    throw error;
  }
  throw new Error('decoding succeeded');
}

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
    expect(protocolError(() => decodeResponseBytes(CreateTopics, 5, unordered))).toBe('BAD_TAG');
    const oversized = topic(w.tagBuffer([0, w.concat(w.int16(29), w.int8(0))]));
    expect(protocolError(() => decodeResponseBytes(CreateTopics, 5, oversized))).toBe('TRAILING_BYTES');
    expect(protocolError(() => decodeRequestBytes(CreateTopics, 0, w.concat(w.NULL_ARRAY, w.int32(0))))).toBe(
      'BAD_VALUE',
    );
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
    expect(protocolError(() => decodeResponseBytes(DeleteTopics, 5, nullName))).toBe('BAD_VALUE');
    expect(
      protocolError(() => decodeRequestBytes(DeleteTopics, 0, w.concat(w.array(w.string(null)), w.int32(0)))),
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

describe('DescribeConfigs', () => {
  /** A described config with the defaults of the fields a version lacks. */
  const config = {
    name: 'cleanup.policy',
    value: 'delete',
    readOnly: false,
    isDefault: false,
    configSource: -1,
    isSensitive: false,
    synonyms: [],
    configType: 0,
    documentation: null,
  };

  it('v0: IsDefault between ReadOnly and IsSensitive', () => {
    expectRequestWire(
      DescribeConfigs,
      0,
      {
        resources: [{ resourceType: 2, resourceName: 't', configurationKeys: null }],
        includeSynonyms: false,
        includeDocumentation: false,
      },
      w.array(w.concat(w.int8(2), w.string('t'), w.NULL_ARRAY)),
    );
    expectResponseWire(
      DescribeConfigs,
      0,
      {
        throttleTimeMs: 0,
        results: [
          {
            errorCode: 0,
            errorMessage: null,
            resourceType: 2,
            resourceName: 't',
            configs: [{ ...config, isDefault: true }],
          },
        ],
      },
      w.concat(
        w.int32(0),
        w.array(
          w.concat(
            w.int16(0),
            w.string(null),
            w.int8(2),
            w.string('t'),
            w.array(
              w.concat(
                w.string('cleanup.policy'),
                w.string('delete'),
                w.bool(false),
                w.bool(true),
                w.bool(false),
              ),
            ),
          ),
        ),
      ),
    );
  });

  it('v1: ConfigSource replaces IsDefault; synonyms follow IsSensitive', () => {
    expectRequestWire(
      DescribeConfigs,
      1,
      {
        resources: [{ resourceType: 4, resourceName: '1', configurationKeys: ['log.retention.ms'] }],
        includeSynonyms: true,
        includeDocumentation: false,
      },
      w.concat(
        w.array(w.concat(w.int8(4), w.string('1'), w.array(w.string('log.retention.ms')))),
        w.bool(true),
      ),
    );
    expectResponseWire(
      DescribeConfigs,
      1,
      {
        throttleTimeMs: 0,
        results: [
          {
            errorCode: 0,
            errorMessage: null,
            resourceType: 2,
            resourceName: 't',
            configs: [
              {
                ...config,
                configSource: 5,
                synonyms: [{ name: 'log.cleanup.policy', value: 'delete', source: 5 }],
              },
            ],
          },
        ],
      },
      w.concat(
        w.int32(0),
        w.array(
          w.concat(
            w.int16(0),
            w.string(null),
            w.int8(2),
            w.string('t'),
            w.array(
              w.concat(
                w.string('cleanup.policy'),
                w.string('delete'),
                w.bool(false),
                w.int8(5),
                w.bool(false),
                w.array(w.concat(w.string('log.cleanup.policy'), w.string('delete'), w.int8(5))),
              ),
            ),
          ),
        ),
      ),
    );
  });

  it('v4 (flexible): types and documentation', () => {
    expectRequestWire(
      DescribeConfigs,
      4,
      {
        resources: [{ resourceType: 2, resourceName: 't', configurationKeys: null }],
        includeSynonyms: true,
        includeDocumentation: true,
      },
      w.concat(
        w.compactArray(w.concat(w.int8(2), w.compactString('t'), w.COMPACT_NULL_ARRAY, NO_TAGS)),
        w.bool(true),
        w.bool(true),
        NO_TAGS,
      ),
    );
    expectResponseWire(
      DescribeConfigs,
      4,
      {
        throttleTimeMs: 0,
        results: [
          {
            errorCode: 0,
            errorMessage: null,
            resourceType: 2,
            resourceName: 't',
            configs: [
              {
                ...config,
                configSource: 1,
                synonyms: [{ name: 'cleanup.policy', value: 'delete', source: 1 }],
                configType: 7,
                documentation: 'doc',
              },
            ],
          },
        ],
      },
      w.concat(
        w.int32(0),
        w.compactArray(
          w.concat(
            w.int16(0),
            w.compactString(null),
            w.int8(2),
            w.compactString('t'),
            w.compactArray(
              w.concat(
                w.compactString('cleanup.policy'),
                w.compactString('delete'),
                w.bool(false),
                w.int8(1),
                w.bool(false),
                w.compactArray(
                  w.concat(w.compactString('cleanup.policy'), w.compactString('delete'), w.int8(1), NO_TAGS),
                ),
                w.int8(7),
                w.compactString('doc'),
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
});

describe('AlterConfigs', () => {
  it('v0: [Resources] ValidateOnly; ThrottleTimeMs [Responses]', () => {
    expectRequestWire(
      AlterConfigs,
      0,
      {
        resources: [
          {
            resourceType: 2,
            resourceName: 't',
            configs: [
              { name: 'retention.ms', value: '1000' },
              { name: 'x', value: null },
            ],
          },
        ],
        validateOnly: false,
      },
      w.concat(
        w.array(
          w.concat(
            w.int8(2),
            w.string('t'),
            w.array(
              w.concat(w.string('retention.ms'), w.string('1000')),
              w.concat(w.string('x'), w.string(null)),
            ),
          ),
        ),
        w.bool(false),
      ),
    );
    expectResponseWire(
      AlterConfigs,
      0,
      {
        throttleTimeMs: 0,
        responses: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 't' }],
      },
      w.concat(w.int32(0), w.array(w.concat(w.int16(0), w.string(null), w.int8(2), w.string('t')))),
    );
  });

  it('v2 (flexible)', () => {
    expectRequestWire(
      AlterConfigs,
      2,
      {
        resources: [{ resourceType: 4, resourceName: '1', configs: [{ name: 'x', value: 'y' }] }],
        validateOnly: true,
      },
      w.concat(
        w.compactArray(
          w.concat(
            w.int8(4),
            w.compactString('1'),
            w.compactArray(w.concat(w.compactString('x'), w.compactString('y'), NO_TAGS)),
            NO_TAGS,
          ),
        ),
        w.bool(true),
        NO_TAGS,
      ),
    );
    expectResponseWire(
      AlterConfigs,
      2,
      {
        throttleTimeMs: 0,
        responses: [{ errorCode: 40, errorMessage: 'no', resourceType: 4, resourceName: '1' }],
      },
      w.concat(
        w.int32(0),
        w.compactArray(
          w.concat(w.int16(40), w.compactString('no'), w.int8(4), w.compactString('1'), NO_TAGS),
        ),
        NO_TAGS,
      ),
    );
  });
});

describe('IncrementalAlterConfigs', () => {
  it('v0: ConfigOperation between Name and Value', () => {
    expectRequestWire(
      IncrementalAlterConfigs,
      0,
      {
        resources: [
          {
            resourceType: 2,
            resourceName: 't',
            configs: [
              { name: 'retention.ms', configOperation: 0, value: '1000' },
              { name: 'cleanup.policy', configOperation: 1, value: null },
            ],
          },
        ],
        validateOnly: true,
      },
      w.concat(
        w.array(
          w.concat(
            w.int8(2),
            w.string('t'),
            w.array(
              w.concat(w.string('retention.ms'), w.int8(0), w.string('1000')),
              w.concat(w.string('cleanup.policy'), w.int8(1), w.string(null)),
            ),
          ),
        ),
        w.bool(true),
      ),
    );
    expectResponseWire(
      IncrementalAlterConfigs,
      0,
      {
        throttleTimeMs: 0,
        responses: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 't' }],
      },
      w.concat(w.int32(0), w.array(w.concat(w.int16(0), w.string(null), w.int8(2), w.string('t')))),
    );
  });

  it('v1 (flexible)', () => {
    expectRequestWire(
      IncrementalAlterConfigs,
      1,
      {
        resources: [
          { resourceType: 2, resourceName: 't', configs: [{ name: 'a', configOperation: 2, value: 'b' }] },
        ],
        validateOnly: false,
      },
      w.concat(
        w.compactArray(
          w.concat(
            w.int8(2),
            w.compactString('t'),
            w.compactArray(w.concat(w.compactString('a'), w.int8(2), w.compactString('b'), NO_TAGS)),
            NO_TAGS,
          ),
        ),
        w.bool(false),
        NO_TAGS,
      ),
    );
    expectResponseWire(
      IncrementalAlterConfigs,
      1,
      {
        throttleTimeMs: 1,
        responses: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 't' }],
      },
      w.concat(
        w.int32(1),
        w.compactArray(w.concat(w.int16(0), w.compactString(null), w.int8(2), w.compactString('t'), NO_TAGS)),
        NO_TAGS,
      ),
    );
  });
});
