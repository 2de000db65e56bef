/**
 * Configuration administration: DescribeConfigs (32), AlterConfigs (33, replaces a resource's whole
 * config) and IncrementalAlterConfigs (44, KIP-339: set/delete/append/subtract per key).
 */
import { defineApi } from '../api.js';
import { field, nullable, struct } from '../schema.js';
import { array, bool, int8, int16, int32, string } from '../wire-type.js';

const describedConfig = struct({
  name: field(string, '0+'),
  value: nullable(string, '0+', '0+'),
  readOnly: field(bool, '0+'),
  isDefault: field(bool, '0'),
  // Kafka: the meaningful v0 value depends on the resource (a broker's is 4); -1 is a placeholder.
  configSource: field(int8, '1+', { default: -1 }),
  isSensitive: field(bool, '0+'),
  synonyms: field(
    array(
      struct({
        name: field(string, '1+'),
        value: nullable(string, '1+', '1+'),
        source: field(int8, '1+'),
      }),
    ),
    '1+',
  ),
  configType: field(int8, '3+', { default: 0 }),
  documentation: nullable(string, '3+', '3+'),
});

/**
 * DescribeConfigs: v1 synonyms and config sources (v0's IsDefault goes), v2 may be throttled, v3
 * types and documentation (KIP-569), v4 flexible.
 */
export const DescribeConfigs = defineApi({
  key: 32,
  name: 'DescribeConfigs',
  versions: '0-4',
  flexible: '4+',
  request: {
    resources: field(
      array(
        struct({
          resourceType: field(int8, '0+'),
          resourceName: field(string, '0+'),
          // null: every key of the resource.
          configurationKeys: nullable(array(string), '0+', '0+'),
        }),
      ),
      '0+',
    ),
    includeSynonyms: field(bool, '1+', { default: false }),
    includeDocumentation: field(bool, '3+', { default: false }),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    results: field(
      array(
        struct({
          errorCode: field(int16, '0+'),
          errorMessage: nullable(string, '0+', '0+'),
          resourceType: field(int8, '0+'),
          resourceName: field(string, '0+'),
          configs: field(array(describedConfig), '0+'),
        }),
      ),
      '0+',
    ),
  },
});

/** The per-resource answer of both alter APIs. */
const alterConfigsResourceResponse = struct({
  errorCode: field(int16, '0+'),
  errorMessage: nullable(string, '0+', '0+'),
  resourceType: field(int8, '0+'),
  resourceName: field(string, '0+'),
});

/** AlterConfigs: v1 may be throttled, v2 flexible. */
export const AlterConfigs = defineApi({
  key: 33,
  name: 'AlterConfigs',
  versions: '0-2',
  flexible: '2+',
  request: {
    resources: field(
      array(
        struct({
          resourceType: field(int8, '0+'),
          resourceName: field(string, '0+'),
          configs: field(
            array(
              struct({
                name: field(string, '0+'),
                value: nullable(string, '0+', '0+'),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
    validateOnly: field(bool, '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    responses: field(array(alterConfigsResourceResponse), '0+'),
  },
});

/** IncrementalAlterConfigs: v1 flexible. ConfigOperation: 0 set, 1 delete, 2 append, 3 subtract. */
export const IncrementalAlterConfigs = defineApi({
  key: 44,
  name: 'IncrementalAlterConfigs',
  versions: '0-1',
  flexible: '1+',
  request: {
    resources: field(
      array(
        struct({
          resourceType: field(int8, '0+'),
          resourceName: field(string, '0+'),
          configs: field(
            array(
              struct({
                name: field(string, '0+'),
                configOperation: field(int8, '0+'),
                value: nullable(string, '0+', '0+'),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
    validateOnly: field(bool, '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    responses: field(array(alterConfigsResourceResponse), '0+'),
  },
});
