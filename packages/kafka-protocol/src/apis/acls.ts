/**
 * ACL administration (KIP-140): CreateAcls (30), DescribeAcls (29) and DeleteAcls (31), versions 0–3.
 * v1 adds the resource pattern type (KIP-290: literal or prefixed; filters also any and match), v2 is
 * flexible (KIP-482), v3 adds the User resource type (KIP-554, for delegation tokens; the layout is v2's).
 * Codes (resource type, pattern type, operation, permission) are Kafka's numbers; the security package's
 * acl-names.ts maps them. A v0 request has no pattern type: it means literal (3), as Kafka reads it.
 */
import { defineApi } from '../api.js';
import { field, nullable, struct } from '../schema.js';
import { array, int8, int16, int32, string } from '../wire-type.js';

/** Kafka's PatternType.LITERAL, what versions without the field mean. */
const PATTERN_TYPE_LITERAL = 3;

const aclCreation = struct({
  resourceType: field(int8, '0+'),
  resourceName: field(string, '0+'),
  resourcePatternType: field(int8, '1+', { default: PATTERN_TYPE_LITERAL }),
  principal: field(string, '0+'),
  host: field(string, '0+'),
  operation: field(int8, '0+'),
  permissionType: field(int8, '0+'),
});

export const CreateAcls = defineApi({
  key: 30,
  name: 'CreateAcls',
  versions: '0-3',
  flexible: '2+',
  request: {
    creations: field(array(aclCreation), '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    results: field(
      array(
        struct({
          errorCode: field(int16, '0+'),
          errorMessage: nullable(string, '0+', '0+'),
        }),
      ),
      '0+',
    ),
  },
});

/** Kafka's AclBindingFilter: null names match any; codes 1 (ANY) match any type, operation, permission. */
const aclFilterFields = {
  resourceTypeFilter: field(int8, '0+'),
  resourceNameFilter: nullable(string, '0+', '0+'),
  patternTypeFilter: field(int8, '1+', { default: PATTERN_TYPE_LITERAL }),
  principalFilter: nullable(string, '0+', '0+'),
  hostFilter: nullable(string, '0+', '0+'),
  operation: field(int8, '0+'),
  permissionType: field(int8, '0+'),
} as const;

export const DescribeAcls = defineApi({
  key: 29,
  name: 'DescribeAcls',
  versions: '0-3',
  flexible: '2+',
  request: aclFilterFields,
  response: {
    throttleTimeMs: field(int32, '0+'),
    errorCode: field(int16, '0+'),
    errorMessage: nullable(string, '0+', '0+'),
    resources: field(
      array(
        struct({
          resourceType: field(int8, '0+'),
          resourceName: field(string, '0+'),
          patternType: field(int8, '1+', { default: PATTERN_TYPE_LITERAL }),
          acls: field(
            array(
              struct({
                principal: field(string, '0+'),
                host: field(string, '0+'),
                operation: field(int8, '0+'),
                permissionType: field(int8, '0+'),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
  },
});

export const DeleteAcls = defineApi({
  key: 31,
  name: 'DeleteAcls',
  versions: '0-3',
  flexible: '2+',
  request: {
    filters: field(array(struct(aclFilterFields)), '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    filterResults: field(
      array(
        struct({
          errorCode: field(int16, '0+'),
          errorMessage: nullable(string, '0+', '0+'),
          matchingAcls: field(
            array(
              struct({
                errorCode: field(int16, '0+'),
                errorMessage: nullable(string, '0+', '0+'),
                resourceType: field(int8, '0+'),
                resourceName: field(string, '0+'),
                patternType: field(int8, '1+', { default: PATTERN_TYPE_LITERAL }),
                principal: field(string, '0+'),
                host: field(string, '0+'),
                operation: field(int8, '0+'),
                permissionType: field(int8, '0+'),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
  },
});
