/**
 * FindCoordinator (key 10), v0–4: which broker coordinates a group, named by its Kafka address. The
 * coordinator of group G is the leader of its `__consumer_offsets` partition (created on the first
 * request, as Kafka does); the answer names that broker's Kafka listener from this broker's metadata
 * image, so the id is always one Metadata lists (kafka-clients.md: coordinator ids must be brokers in
 * Metadata). v4 (KIP-699) batches keys, each answered on its own.
 *
 * Transactional ids (key type 1) are located by the transaction coordinator (the leader of the id's
 * `__transaction_state` partition, created on first use), and named the same way.
 */
import { ERROR_CODES, brokerId as toBrokerId } from '@tributary/core';
import {
  FindCoordinator,
  parseVersions,
  type RequestOf,
  type ResponseInputOf,
} from '@tributary/kafka-protocol';
import { CLASSIC_GROUP_LIMITS } from '../../group/limits.js';
import { validateGroupId } from '../../group/validate.js';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import { kafkaErrorMessage } from '../kafka-errors.js';
import { hostAndPort, type KafkaBrokerParts } from '../parts.js';
import { failureOf, type GroupFailure, NO_COORDINATOR_MESSAGE } from './groups-common.js';

type FindCoordinatorRequest = RequestOf<typeof FindCoordinator>;
type FindCoordinatorResponse = ResponseInputOf<typeof FindCoordinator>;

const KEY_TYPE_GROUP = 0;
const KEY_TYPE_TRANSACTION = 1;
/** The first version that batches keys (KIP-699). */
const FIRST_BATCHED_VERSION = 4;

/** One key's answer: the coordinator's Kafka address, or an error with Kafka's "no node" (-1, '', -1). */
interface CoordinatorAnswer {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly errorCode: number;
  readonly errorMessage: string;
}

/**
 * The codes FindCoordinator passes on; any other failure (the internal topic cannot be created yet, a
 * controller election, a timeout) is COORDINATOR_NOT_AVAILABLE with its message, as Kafka answers while
 * `__consumer_offsets` cannot be used: retriable, so clients ask again.
 */
const PASSED_ON = new Set<string>([
  'INVALID_GROUP_ID',
  'INVALID_REQUEST',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'NOT_COORDINATOR',
]);

export function findCoordinatorHandler(parts: KafkaBrokerParts): RegisteredHandler {
  return registerHandler({
    api: FindCoordinator,
    advertised: parseVersions('0-4'),
    handle: (request, context) => findCoordinator(parts, request, context.header.apiVersion),
  });
}

function failed(code: number, message: string): CoordinatorAnswer {
  return { nodeId: -1, host: '', port: -1, errorCode: code, errorMessage: message };
}

function failedWith(failure: GroupFailure): CoordinatorAnswer {
  const code = PASSED_ON.has(failure.code) ? failure.code : 'COORDINATOR_NOT_AVAILABLE';
  return failed(ERROR_CODES[code].kafka, failure.message);
}

type Locate = () => Promise<{ readonly nodeId: number }>;

function groupCoordinatorOf(parts: KafkaBrokerParts, groupId: string): Locate | null {
  const coordinator = parts.groupCoordinator;
  return coordinator === null ? null : () => coordinator.findCoordinator(validateGroupId(groupId));
}

function transactionCoordinatorOf(parts: KafkaBrokerParts, transactionalId: string): Locate | null {
  const coordinator = parts.transactions ?? null;
  return coordinator === null ? null : () => coordinator.findCoordinator(transactionalId);
}

/** The coordinator of one key, located through its coordinator and named from the image. */
async function locateCoordinator(
  parts: KafkaBrokerParts,
  key: string,
  keyType: number,
): Promise<CoordinatorAnswer> {
  if (keyType !== KEY_TYPE_GROUP && keyType !== KEY_TYPE_TRANSACTION) {
    return failed(
      ERROR_CODES.INVALID_REQUEST.kafka,
      `key type ${keyType} is not a group (0) or transaction (1)`,
    );
  }
  const find =
    keyType === KEY_TYPE_GROUP ? groupCoordinatorOf(parts, key) : transactionCoordinatorOf(parts, key);
  if (find === null) return failed(ERROR_CODES.COORDINATOR_NOT_AVAILABLE.kafka, NO_COORDINATOR_MESSAGE);
  let nodeId: number;
  try {
    nodeId = (await find()).nodeId;
  } catch (error) {
    return failedWith(failureOf(error));
  }
  // The coordinator answers with the leader's gRPC address; Kafka clients need its Kafka listener, and
  // only an unfenced broker with one is in Metadata.
  const broker = parts.metadata.currentImage().broker(toBrokerId(nodeId));
  if (broker === undefined || broker.fenced || broker.kafkaAddress === undefined) {
    const why = broker === undefined || broker.fenced ? 'is not available' : 'has no Kafka listener';
    return failed(
      ERROR_CODES.COORDINATOR_NOT_AVAILABLE.kafka,
      `the coordinator of ${keyType === KEY_TYPE_GROUP ? 'group' : 'transactional id'} ${key} is broker ${nodeId}, which ${why}`,
    );
  }
  return { nodeId, ...hostAndPort(broker.kafkaAddress), errorCode: 0, errorMessage: '' };
}

async function findCoordinator(
  parts: KafkaBrokerParts,
  request: FindCoordinatorRequest,
  version: number,
): Promise<FindCoordinatorResponse> {
  if (version < FIRST_BATCHED_VERSION) {
    const answer = await locateCoordinator(parts, request.key, request.keyType);
    return {
      throttleTimeMs: 0,
      errorCode: answer.errorCode,
      errorMessage: answer.errorCode === 0 ? null : kafkaErrorMessage(answer.errorMessage),
      nodeId: answer.nodeId,
      host: answer.host,
      port: answer.port,
      coordinators: [],
    };
  }
  const keys = request.coordinatorKeys;
  const tooMany = keys.length > CLASSIC_GROUP_LIMITS.groupsPerRequestMax;
  const answers = tooMany
    ? keys.map(() =>
        failed(
          ERROR_CODES.INVALID_REQUEST.kafka,
          `${keys.length} keys in one request; the limit is ${CLASSIC_GROUP_LIMITS.groupsPerRequestMax}`,
        ),
      )
    : await Promise.all(keys.map((key) => locateCoordinator(parts, key, request.keyType)));
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    nodeId: -1,
    host: '',
    port: -1,
    coordinators: keys.map((key, i) => {
      const answer = answers[i] ?? failed(ERROR_CODES.UNKNOWN.kafka, 'no answer');
      return {
        key,
        nodeId: answer.nodeId,
        host: answer.host,
        port: answer.port,
        errorCode: answer.errorCode,
        errorMessage: answer.errorCode === 0 ? null : kafkaErrorMessage(answer.errorMessage),
      };
    }),
  };
}
