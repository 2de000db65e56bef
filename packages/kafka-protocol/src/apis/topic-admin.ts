/**
 * Topic administration: CreateTopics (19), DeleteTopics (20) and CreatePartitions (37). A broker
 * forwards these to the active controller (DESIGN §7, §9).
 */
import { defineApi } from '../api.js';
import { field, nullable, struct, tagged } from '../schema.js';
import { array, bool, int8, int16, int32, string, uuid } from '../wire-type.js';

/** Kafka's default CreateTopics timeout when a client leaves it out. */
const CREATE_TOPICS_TIMEOUT_MS_DEFAULT = 60_000;

const creatableTopic = struct({
  name: field(string, '0+'),
  // -1 (v4+, KIP-464) means the broker default, or that assignments are given.
  numPartitions: field(int32, '0+'),
  replicationFactor: field(int16, '0+'),
  assignments: field(
    array(
      struct({
        partitionIndex: field(int32, '0+'),
        brokerIds: field(array(int32), '0+'),
      }),
    ),
    '0+',
  ),
  configs: field(
    array(
      struct({
        name: field(string, '0+'),
        value: nullable(string, '0+', '0+'),
      }),
    ),
    '0+',
  ),
});

const creatableTopicResult = struct({
  name: field(string, '0+'),
  topicId: field(uuid, '7+'),
  errorCode: field(int16, '0+'),
  errorMessage: nullable(string, '1+', '1+'),
  // KIP-525: set when the topic was created but its configs could not be described.
  topicConfigErrorCode: tagged(int16, '5+', 0),
  numPartitions: field(int32, '5+', { default: -1 }),
  replicationFactor: field(int16, '5+', { default: -1 }),
  configs: nullable(
    array(
      struct({
        name: field(string, '5+'),
        value: nullable(string, '5+', '5+'),
        readOnly: field(bool, '5+'),
        configSource: field(int8, '5+', { default: -1 }),
        isSensitive: field(bool, '5+'),
      }),
    ),
    '5+',
    '5+',
  ),
});

/**
 * CreateTopics: v1 ValidateOnly, v2 throttle time, v4 optional partition count and replication factor
 * (KIP-464), v5 flexible and configs in the answer (KIP-525), v6 may be throttled (KIP-599), v7 topic
 * ids in the answer (KIP-516).
 */
export const CreateTopics = defineApi({
  key: 19,
  name: 'CreateTopics',
  versions: '0-7',
  flexible: '5+',
  request: {
    topics: field(array(creatableTopic), '0+'),
    timeoutMs: field(int32, '0+', { default: CREATE_TOPICS_TIMEOUT_MS_DEFAULT }),
    validateOnly: field(bool, '1+', { default: false }),
  },
  response: {
    throttleTimeMs: field(int32, '2+'),
    topics: field(array(creatableTopicResult), '0+'),
  },
});

/**
 * DeleteTopics: v4 flexible, v5 error messages (KIP-599), v6 names topics by name or id (KIP-516):
 * the request's TopicNames become Topics, whose Name may be null when TopicId is given.
 */
export const DeleteTopics = defineApi({
  key: 20,
  name: 'DeleteTopics',
  versions: '0-6',
  flexible: '4+',
  request: {
    topics: field(
      array(
        struct({
          name: nullable(string, '6+', '6+'),
          topicId: field(uuid, '6+'),
        }),
      ),
      '6+',
    ),
    topicNames: field(array(string), '0-5'),
    timeoutMs: field(int32, '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '1+'),
    responses: field(
      array(
        struct({
          name: nullable(string, '0+', '6+'),
          topicId: field(uuid, '6+'),
          errorCode: field(int16, '0+'),
          errorMessage: nullable(string, '5+', '5+'),
        }),
      ),
      '0+',
    ),
  },
});

/** CreatePartitions: v2 flexible, v3 may be throttled (KIP-599). */
export const CreatePartitions = defineApi({
  key: 37,
  name: 'CreatePartitions',
  versions: '0-3',
  flexible: '2+',
  request: {
    topics: field(
      array(
        struct({
          name: field(string, '0+'),
          count: field(int32, '0+'),
          // null: the controller places the new partitions itself.
          assignments: nullable(array(struct({ brokerIds: field(array(int32), '0+') })), '0+', '0+'),
        }),
      ),
      '0+',
    ),
    timeoutMs: field(int32, '0+'),
    validateOnly: field(bool, '0+'),
  },
  response: {
    throttleTimeMs: field(int32, '0+'),
    results: field(
      array(
        struct({
          name: field(string, '0+'),
          errorCode: field(int16, '0+'),
          errorMessage: nullable(string, '0+', '0+'),
        }),
      ),
      '0+',
    ),
  },
});
