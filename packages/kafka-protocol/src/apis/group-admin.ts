/**
 * Group administration: DescribeGroups (15), ListGroups (16) and DeleteGroups (42), the APIs behind
 * `kafka-consumer-groups.sh` and `trib groups`.
 */
import { defineApi } from '../api.js';
import { field, nullable, struct } from '../schema.js';
import { array, bool, bytes, int16, int32, string } from '../wire-type.js';

/** Kafka's "authorized operations not requested" sentinel (Integer.MIN_VALUE). */
const AUTHORIZED_OPERATIONS_OMITTED = -2_147_483_648;

const describedGroupMember = struct({
  memberId: field(string, '0+'),
  groupInstanceId: nullable(string, '4+', '4+'),
  clientId: field(string, '0+'),
  clientHost: field(string, '0+'),
  // Kafka fills these two only while the group is Stable.
  memberMetadata: field(bytes, '0+'),
  memberAssignment: field(bytes, '0+'),
});

/** DescribeGroups: v3 authorized operations (KIP-430), v4 group instance ids, v5 flexible. */
export const DescribeGroups = defineApi({
  key: 15,
  name: 'DescribeGroups',
  versions: '0-5',
  flexible: '5+',
  request: {
    groups: field(array(string), '0+'),
    includeAuthorizedOperations: field(bool, '3+'),
  },
  response: {
    throttleTimeMs: field(int32, '1+'),
    groups: field(
      array(
        struct({
          errorCode: field(int16, '0+'),
          groupId: field(string, '0+'),
          groupState: field(string, '0+'),
          protocolType: field(string, '0+'),
          protocolData: field(string, '0+'),
          members: field(array(describedGroupMember), '0+'),
          authorizedOperations: field(int32, '3+', { default: AUTHORIZED_OPERATIONS_OMITTED }),
        }),
      ),
      '0+',
    ),
  },
});

/** ListGroups: v3 flexible, v4 filters by state and reports it (KIP-518). */
export const ListGroups = defineApi({
  key: 16,
  name: 'ListGroups',
  versions: '0-4',
  flexible: '3+',
  request: {
    statesFilter: field(array(string), '4+'),
  },
  response: {
    throttleTimeMs: field(int32, '1+'),
    errorCode: field(int16, '0+'),
    groups: field(
      array(
        struct({
          groupId: field(string, '0+'),
          protocolType: field(string, '0+'),
          groupState: field(string, '4+'),
        }),
      ),
      '0+',
    ),
  },
});

/** DeleteGroups: v2 flexible. Kafka spells the request field GroupsNames. */
export const DeleteGroups = defineApi({
  key: 42,
  name: 'DeleteGroups',
  versions: '0-2',
  flexible: '2+',
  request: {
    groupsNames: field(array(string), '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    results: field(
      array(
        struct({
          groupId: field(string, '0+'),
          errorCode: field(int16, '0+'),
        }),
      ),
      '0+',
    ),
  },
});
