/**
 * DescribeCluster (key 60), versions 0–1; flexible in every version (KIP-700: the cluster-level part
 * of Metadata, including the cluster's authorized operations that Metadata v11 dropped). v1 adds the
 * endpoint type (KIP-919): 1 describes brokers, 2 controllers.
 */
import { defineApi } from '../api.js';
import { field, nullable, struct } from '../schema.js';
import { array, bool, int8, int16, int32, string } from '../wire-type.js';

/** KIP-919's endpoint type "brokers", the meaning of every request older than v1. */
const ENDPOINT_TYPE_BROKERS = 1;
/** Kafka's "authorized operations not requested" value of the 32-bit bitfield (KIP-430). */
const AUTHORIZED_OPERATIONS_OMITTED = -2_147_483_648;

const describeClusterBroker = struct({
  brokerId: field(int32, '0+'),
  host: field(string, '0+'),
  port: field(int32, '0+'),
  rack: nullable(string, '0+', '0+'),
});

export const DescribeCluster = defineApi({
  key: 60,
  name: 'DescribeCluster',
  versions: '0-1',
  flexible: '0+',
  request: {
    includeClusterAuthorizedOperations: field(bool, '0+'),
    endpointType: field(int8, '1+', { default: ENDPOINT_TYPE_BROKERS }),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    errorCode: field(int16, '0+'),
    errorMessage: nullable(string, '0+', '0+'),
    endpointType: field(int8, '1+', { default: ENDPOINT_TYPE_BROKERS }),
    clusterId: field(string, '0+'),
    controllerId: field(int32, '0+', { default: -1 }),
    brokers: field(array(describeClusterBroker), '0+'),
    clusterAuthorizedOperations: field(int32, '0+', { default: AUTHORIZED_OPERATIONS_OMITTED }),
  },
});
