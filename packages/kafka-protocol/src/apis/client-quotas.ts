/**
 * Client quota administration (KIP-546): DescribeClientQuotas (48) and AlterClientQuotas (49), v0–1
 * (v1 flexible). An entity is a list of (type, name) parts, type `user` or `client-id`, a null name the
 * default (Kafka's `<default>`). Describe filters match exact (0), default (1) or any specified (2) names.
 */
import { defineApi } from '../api.js';
import { field, nullable, struct } from '../schema.js';
import { array, bool, float64, int8, int16, int32, string } from '../wire-type.js';

const entityPart = struct({
  entityType: field(string, '0+'),
  entityName: nullable(string, '0+', '0+'),
});

export const DescribeClientQuotas = defineApi({
  key: 48,
  name: 'DescribeClientQuotas',
  versions: '0-1',
  flexible: '1+',
  request: {
    components: field(
      array(
        struct({
          entityType: field(string, '0+'),
          matchType: field(int8, '0+'),
          match: nullable(string, '0+', '0+'),
        }),
      ),
      '0+',
    ),
    strict: field(bool, '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    errorCode: field(int16, '0+'),
    errorMessage: nullable(string, '0+', '0+'),
    // null when the request failed as a whole.
    entries: nullable(
      array(
        struct({
          entity: field(array(entityPart), '0+'),
          values: field(array(struct({ key: field(string, '0+'), value: field(float64, '0+') })), '0+'),
        }),
      ),
      '0+',
      '0+',
    ),
  },
});

export const AlterClientQuotas = defineApi({
  key: 49,
  name: 'AlterClientQuotas',
  versions: '0-1',
  flexible: '1+',
  request: {
    entries: field(
      array(
        struct({
          entity: field(array(entityPart), '0+'),
          ops: field(
            array(
              struct({
                key: field(string, '0+'),
                value: field(float64, '0+'),
                remove: field(bool, '0+'),
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
    entries: field(
      array(
        struct({
          errorCode: field(int16, '0+'),
          errorMessage: nullable(string, '0+', '0+'),
          entity: field(array(entityPart), '0+'),
        }),
      ),
      '0+',
    ),
  },
});
