/**
 * Wire checks of the configuration APIs (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs),
 * spelled out from the protocol guide's BNF at classic and flexible versions, including DescribeConfigs
 * v0's IsDefault where later versions have ConfigSource.
 */
import { describe, it } from 'vitest';
import * as w from '../testing/wire-bytes.js';
import { expectRequestWire, expectResponseWire } from '../testing/wire-check.js';
import { AlterConfigs, DescribeConfigs, IncrementalAlterConfigs } from './configs.js';

const { NO_TAGS } = w;

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
