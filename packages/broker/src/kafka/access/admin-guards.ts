/**
 * Authorization of the admin APIs, Kafka's rules (KafkaApis, ControllerApis): CreateTopics needs Create
 * on the cluster or the topic (and DescribeConfigs on the topic to see its configs in the answer),
 * DeleteTopics Delete per topic (named or by id), CreatePartitions Alter per topic; DescribeConfigs,
 * AlterConfigs and IncrementalAlterConfigs DescribeConfigs/AlterConfigs on the topic, or on the cluster
 * for a broker's resources, per resource. The ACL, SCRAM and quota APIs are the cluster's: Alter/Describe
 * on the cluster (AlterConfigs/DescribeConfigs for quotas), refused whole.
 */
import {
  AlterClientQuotas,
  AlterConfigs,
  AlterUserScramCredentials,
  CreateAcls,
  CreatePartitions,
  CreateTopics,
  DeleteAcls,
  DeleteTopics,
  DescribeAcls,
  DescribeClientQuotas,
  DescribeConfigs,
  DescribeUserScramCredentials,
  IncrementalAlterConfigs,
  type RequestOf,
  type ResponseInputOf,
} from '@tributary/kafka-protocol';
import { CLUSTER_RESOURCE_NAME, type RequestOperation } from '@tributary/security';
import { NIL_UUID } from '../handlers/metadata.js';
import {
  checkerOf,
  clusterRefusal,
  guardApi,
  type KafkaApiAccess,
  type KafkaGuardContext,
  type KafkaGuardOutcome,
  perPart,
  type Refusal,
  refusalOf,
  split,
  topicCreationRefusal,
  visible,
  wholeRequest,
} from './kafka-guard.js';

type DeleteTopicsResult = ResponseInputOf<typeof DeleteTopics>['responses'][number];
type CreateTopicsResult = ResponseInputOf<typeof CreateTopics>['topics'][number];

/** Kafka's ConfigResource types. */
const CONFIG_RESOURCE_TOPIC = 2;
const CONFIG_RESOURCE_BROKER = 4;
const CONFIG_RESOURCE_BROKER_LOGGER = 8;
/** DeleteTopics names topics by name or id from v6 (KIP-516). */
const DELETE_TOPICS_FIRST_ID_VERSION = 6;

export const createTopicsAccess: KafkaApiAccess = guardApi(CreateTopics, (request, context) => {
  const outcome: KafkaGuardOutcome<
    RequestOf<typeof CreateTopics>,
    ResponseInputOf<typeof CreateTopics>
  > = perPart({
    request,
    split: split(request.topics, (topic) => topicCreationRefusal(context, topic.name)),
    refuse: (topic, refusal): CreateTopicsResult => ({
      name: topic.name,
      topicId: NIL_UUID,
      errorCode: refusal.code,
      errorMessage: refusal.message,
      numPartitions: -1,
      replicationFactor: -1,
      configs: null,
    }),
    narrow: (topics) => ({ ...request, topics }),
    merge: (response, refused) => ({ ...response, topics: [...response.topics, ...refused] }),
    answer: (topics) => ({ throttleTimeMs: 0, topics }),
  });
  if ('answer' in outcome) return outcome;
  const finish = outcome.finish;
  // KIP-525: a created topic's configs are shown only to a caller who may DescribeConfigs it.
  return {
    request: outcome.request,
    finish: (response) => {
      const merged = finish === undefined ? response : finish(response);
      return { ...merged, topics: merged.topics.map((topic) => withoutHiddenConfigs(context, topic)) };
    },
  };
});

function withoutHiddenConfigs(context: KafkaGuardContext, topic: CreateTopicsResult): CreateTopicsResult {
  if (topic.configs === null) return topic;
  const denied = refusalOf(context, 'DescribeConfigs', 'Topic', topic.name);
  return denied === null ? topic : { ...topic, configs: null, topicConfigErrorCode: denied.code };
}

/**
 * DeleteTopics: a topic named by an id this broker does not know is left to the handler
 * (UNKNOWN_TOPIC_ID); one named by id whose name the caller may not Describe is refused without its name.
 */
export const deleteTopicsAccess: KafkaApiAccess = guardApi(DeleteTopics, (request, context) => {
  const remove = checkerOf(context, 'Delete', 'Topic');
  const refused = (name: string | null, topicId: string, refusal: Refusal): DeleteTopicsResult => ({
    name,
    topicId,
    errorCode: refusal.code,
    errorMessage: refusal.message,
  });
  const answer = (responses: readonly DeleteTopicsResult[]) => ({ throttleTimeMs: 0, responses });
  const merge = (response: ResponseInputOf<typeof DeleteTopics>, more: readonly DeleteTopicsResult[]) => ({
    ...response,
    responses: [...response.responses, ...more],
  });
  if (context.version < DELETE_TOPICS_FIRST_ID_VERSION) {
    return perPart({
      request,
      split: split(request.topicNames, remove),
      refuse: (name, refusal) => refused(name, NIL_UUID, refusal),
      narrow: (topicNames) => ({ ...request, topicNames }),
      merge,
      answer,
    });
  }
  return perPart({
    request,
    split: split(request.topics, (topic) => {
      const name = topic.name ?? context.topicNameOfId(topic.topicId);
      return name === undefined ? null : remove(name);
    }),
    refuse: (topic, refusal) => {
      if (topic.name !== null) return refused(topic.name, topic.topicId, refusal);
      const name = context.topicNameOfId(topic.topicId) ?? '';
      return refused(visible(context, 'Describe', 'Topic', name) ? name : null, topic.topicId, refusal);
    },
    narrow: (topics) => ({ ...request, topics }),
    merge,
    answer,
  });
});

export const createPartitionsAccess: KafkaApiAccess = guardApi(CreatePartitions, (request, context) => {
  const alter = checkerOf(context, 'Alter', 'Topic');
  return perPart({
    request,
    split: split(request.topics, (topic) => alter(topic.name)),
    refuse: (topic, refusal) => ({
      name: topic.name,
      errorCode: refusal.code,
      errorMessage: refusal.message,
    }),
    narrow: (topics) => ({ ...request, topics }),
    merge: (response, refused) => ({ ...response, results: [...response.results, ...refused] }),
    answer: (results) => ({ throttleTimeMs: 0, results }),
  });
});

/**
 * What a config resource needs: `operation` on the topic, or on the cluster for a broker's configs and
 * loggers; another type is the handler's to refuse (INVALID_REQUEST).
 */
function configResourceChecker(
  context: KafkaGuardContext,
  operation: RequestOperation,
): (resource: { readonly resourceType: number; readonly resourceName: string }) => Refusal | null {
  const topic = checkerOf(context, operation, 'Topic');
  const cluster = checkerOf(context, operation, 'Cluster');
  return (resource) => {
    switch (resource.resourceType) {
      case CONFIG_RESOURCE_TOPIC:
        return topic(resource.resourceName);
      case CONFIG_RESOURCE_BROKER:
      case CONFIG_RESOURCE_BROKER_LOGGER:
        return cluster(CLUSTER_RESOURCE_NAME);
      default:
        return null;
    }
  };
}

export const describeConfigsAccess: KafkaApiAccess = guardApi(DescribeConfigs, (request, context) =>
  perPart({
    request,
    split: split(request.resources, configResourceChecker(context, 'DescribeConfigs')),
    refuse: (resource, refusal) => ({
      errorCode: refusal.code,
      errorMessage: refusal.message,
      resourceType: resource.resourceType,
      resourceName: resource.resourceName,
      configs: [],
    }),
    narrow: (resources) => ({ ...request, resources }),
    merge: (response, refused) => ({ ...response, results: [...response.results, ...refused] }),
    answer: (results) => ({ throttleTimeMs: 0, results }),
  }),
);

interface AlterResource {
  readonly resourceType: number;
  readonly resourceName: string;
}

function alterRefused(resource: AlterResource, refusal: Refusal) {
  return {
    errorCode: refusal.code,
    errorMessage: refusal.message,
    resourceType: resource.resourceType,
    resourceName: resource.resourceName,
  };
}

export const alterConfigsAccess: KafkaApiAccess = guardApi(AlterConfigs, (request, context) =>
  perPart({
    request,
    split: split(request.resources, configResourceChecker(context, 'AlterConfigs')),
    refuse: alterRefused,
    narrow: (resources) => ({ ...request, resources }),
    merge: (response, refused) => ({ ...response, responses: [...response.responses, ...refused] }),
    answer: (responses) => ({ throttleTimeMs: 0, responses }),
  }),
);

export const incrementalAlterConfigsAccess: KafkaApiAccess = guardApi(
  IncrementalAlterConfigs,
  (request, context) =>
    perPart({
      request,
      split: split(request.resources, configResourceChecker(context, 'AlterConfigs')),
      refuse: alterRefused,
      narrow: (resources) => ({ ...request, resources }),
      merge: (response, refused) => ({ ...response, responses: [...response.responses, ...refused] }),
      answer: (responses) => ({ throttleTimeMs: 0, responses }),
    }),
);

export const createAclsAccess: KafkaApiAccess = guardApi(CreateAcls, (request, context) =>
  wholeRequest(request, clusterRefusal(context, 'Alter'), (refusal) => ({
    throttleTimeMs: 0,
    results: request.creations.map(() => ({ errorCode: refusal.code, errorMessage: refusal.message })),
  })),
);

export const deleteAclsAccess: KafkaApiAccess = guardApi(DeleteAcls, (request, context) =>
  wholeRequest(request, clusterRefusal(context, 'Alter'), (refusal) => ({
    throttleTimeMs: 0,
    filterResults: request.filters.map(() => ({
      errorCode: refusal.code,
      errorMessage: refusal.message,
      matchingAcls: [],
    })),
  })),
);

export const describeAclsAccess: KafkaApiAccess = guardApi(DescribeAcls, (request, context) =>
  wholeRequest(request, clusterRefusal(context, 'Describe'), (refusal) => ({
    throttleTimeMs: 0,
    errorCode: refusal.code,
    errorMessage: refusal.message,
    resources: [],
  })),
);

type ScramAlteration = RequestOf<typeof AlterUserScramCredentials>['deletions'][number];

export const alterUserScramCredentialsAccess: KafkaApiAccess = guardApi(
  AlterUserScramCredentials,
  (request, context) =>
    wholeRequest(request, clusterRefusal(context, 'Alter'), (refusal) => {
      const users = new Set(
        [...request.deletions, ...request.upsertions].map((user: Pick<ScramAlteration, 'name'>) => user.name),
      );
      return {
        throttleTimeMs: 0,
        results: [...users].map((user) => ({ user, errorCode: refusal.code, errorMessage: refusal.message })),
      };
    }),
);

export const describeUserScramCredentialsAccess: KafkaApiAccess = guardApi(
  DescribeUserScramCredentials,
  (request, context) =>
    wholeRequest(request, clusterRefusal(context, 'Describe'), (refusal) => ({
      throttleTimeMs: 0,
      errorCode: refusal.code,
      errorMessage: refusal.message,
      results: [],
    })),
);

export const alterClientQuotasAccess: KafkaApiAccess = guardApi(AlterClientQuotas, (request, context) =>
  wholeRequest(request, clusterRefusal(context, 'AlterConfigs'), (refusal) => ({
    throttleTimeMs: 0,
    entries: request.entries.map((entry) => ({
      errorCode: refusal.code,
      errorMessage: refusal.message,
      entity: entry.entity,
    })),
  })),
);

export const describeClientQuotasAccess: KafkaApiAccess = guardApi(DescribeClientQuotas, (request, context) =>
  wholeRequest(request, clusterRefusal(context, 'DescribeConfigs'), (refusal) => ({
    throttleTimeMs: 0,
    errorCode: refusal.code,
    errorMessage: refusal.message,
    entries: null,
  })),
);
