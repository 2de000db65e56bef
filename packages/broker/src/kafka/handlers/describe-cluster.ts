/**
 * DescribeCluster (KIP-700, used by Kafka's admin tools): the brokers Kafka clients can reach, the
 * cluster id, and this broker as the controller id (it forwards admin requests, as KRaft brokers do).
 * Controllers are not described (endpoint type 2, KIP-919): they speak no Kafka protocol.
 */
import { ERROR_CODES } from '@tributary/core';
import { DescribeCluster, parseVersions } from '@tributary/kafka-protocol';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import { type KafkaBrokerParts, kafkaBrokers } from '../parts.js';

const ENDPOINT_TYPE_BROKERS = 1;
const AUTHORIZED_OPERATIONS_OMITTED = -2_147_483_648;

export function describeClusterHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: DescribeCluster,
    advertised: parseVersions('0-1'),
    handle: (request) => {
      const base = {
        throttleTimeMs: 0,
        endpointType: request.endpointType,
        clusterId: parts.clusterId() ?? '',
        controllerId: parts.brokerId,
        clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      };
      if (request.endpointType !== ENDPOINT_TYPE_BROKERS) {
        return {
          ...base,
          errorCode: ERROR_CODES.INVALID_REQUEST.kafka,
          errorMessage: 'only brokers serve the Kafka protocol; describe them (endpoint type 1)',
          brokers: [],
        };
      }
      const brokers = kafkaBrokers(parts.metadata.currentImage()).map(({ nodeId, ...rest }) => ({
        brokerId: nodeId,
        ...rest,
      }));
      return { ...base, errorCode: 0, errorMessage: null, brokers };
    },
  });
}
