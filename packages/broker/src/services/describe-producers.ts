/**
 * Broker.DescribeProducers (Kafka's DescribeProducers, KIP-664) at the broker's two front doors, the gRPC
 * Broker service and the Kafka listener: the request is validated (bounded topics and partitions, none
 * named twice: INVALID_REQUEST naming the field), then each partition is answered by the replica manager
 * from its log's producer state (replica/describe-producers.ts). Authorization (Read on the topic) is the
 * guards' (GRPC_METHOD_ACCESS, KAFKA_API_ACCESS), before this runs.
 */
import type {
  DescribeProducersPartitionResult__Output,
  DescribeProducersRequest__Output,
} from '@tributary/protocol';
import type { TopicPartition } from '../replica/describe-replicas.js';
import { validateDescribeProducersRequest } from './validate.js';

/** What DescribeProducers needs of the replica manager. */
export interface ProducerDescriber {
  /** One answer per wanted partition, in order. */
  describeProducers(wanted: readonly TopicPartition[]): DescribeProducersPartitionResult__Output[];
}

/** The wanted partitions of a request, topic by topic in the order named. */
export function wantedPartitions(request: DescribeProducersRequest__Output): TopicPartition[] {
  return request.topics.flatMap((topic) =>
    topic.partitions.map(({ partition }) => ({ topic: topic.name, partition })),
  );
}

export function answerDescribeProducers(
  request: DescribeProducersRequest__Output,
  describer: ProducerDescriber | undefined,
): { results: DescribeProducersPartitionResult__Output[] } {
  validateDescribeProducersRequest(request);
  const wanted = wantedPartitions(request);
  if (describer === undefined) {
    // A broker wired without a replica manager that can describe (test doubles) hosts no partition.
    return {
      results: wanted.map(({ topic, partition }) => ({
        topic,
        partition,
        errorCode: 'UNKNOWN_TOPIC_OR_PARTITION',
        errorMessage: `${topic}-${partition} is not hosted here`,
        activeProducers: [],
      })),
    };
  }
  return { results: describer.describeProducers(wanted) };
}
