/**
 * The transactions scenario of `npm run kafka:capture-goldens` (issue 14): KafkaJS and @platformatic/kafka run
 * transactions (send, offsets sent in the transaction, commit, then send and abort) against the scripted
 * broker (scripted-broker.ts: Tributary's broker does not serve the transaction APIs yet), through the
 * recording proxy. @platformatic/kafka's DescribeTransactions and ListTransactions (its admin API functions on a
 * raw connection: its Admin class has no method for them) are captured the same way. Only the frames of the
 * transaction APIs, and of the Produce, FindCoordinator and InitProducerId requests a transactional producer
 * sends, are kept. WriteTxnMarkers is broker-to-broker: no client sends it (its golden bytes are the
 * hand-derived layouts in kafka-protocol's transactions.test.ts).
 */
import {
  Connection,
  type Consumer,
  describeTransactionsV0,
  listTransactionsV0,
  listTransactionsV1,
  type Message,
  Producer,
  stringSerializers,
} from '@platformatic/kafka';
import { decodeRequestFrame, KAFKA_APIS } from '@tributary/kafka-protocol';
import kafkajs from 'kafkajs';
import type { SecurityTarget } from './capture-security.js';
import type { CapturedExchange } from './recording-proxy.js';

/** Produce, FindCoordinator, InitProducerId as a transactional producer sends them, and the transaction APIs. */
export const TRANSACTION_API_KEYS: ReadonlySet<number> = new Set([0, 10, 22, 24, 25, 26, 28, 65, 66]);

const OUTPUT_TOPIC = 'golden-transactions';
const INPUT_TOPIC = 'golden-input';
const GROUP = 'golden-transactions-group';

function hostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

/** Names the step that failed (a client's own error rarely says which call it was). */
async function step<T>(what: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new Error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

export async function driveKafkaJsTransactions({ bootstrap }: SecurityTarget): Promise<void> {
  const kafka = new kafkajs.Kafka({
    clientId: 'golden',
    brokers: [bootstrap],
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const producer = kafka.producer({
    transactionalId: 'golden-kafkajs-tx',
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await step('connect', producer.connect());
  try {
    const committed = await step('transaction', producer.transaction());
    await step(
      'send',
      committed.send({
        topic: OUTPUT_TOPIC,
        messages: [
          { key: 'k1', value: 'v1' },
          { key: 'k2', value: 'v2' },
        ],
      }),
    );
    // AddOffsetsToTxn to the transaction coordinator, then TxnOffsetCommit to the group's coordinator.
    await step(
      'sendOffsets',
      committed.sendOffsets({
        consumerGroupId: GROUP,
        topics: [{ topic: INPUT_TOPIC, partitions: [{ partition: 0, offset: '42' }] }],
      }),
    );
    await step('commit', committed.commit());
    const aborted = await step('transaction', producer.transaction());
    await step('send', aborted.send({ topic: OUTPUT_TOPIC, messages: [{ key: 'k3', value: 'v3' }] }));
    await step('abort', aborted.abort());
  } finally {
    await producer.disconnect();
  }
}

export async function drivePlatformaticTransactions({ bootstrap }: SecurityTarget): Promise<void> {
  const producer = new Producer({
    clientId: 'golden',
    bootstrapBrokers: [bootstrap],
    serializers: stringSerializers,
    idempotent: true,
    transactionalId: 'golden-platformatic-tx',
  });
  try {
    const committed = await step('beginTransaction', producer.beginTransaction());
    await step('send', committed.send({ messages: [{ topic: OUTPUT_TOPIC, key: 'k1', value: 'v1' }] }));
    // addConsumer and addOffset read only the group and the consumed message's group membership; a stand-in
    // for a joined consumer and its message drives the client's real AddOffsetsToTxn and TxnOffsetCommit.
    await step('addConsumer', committed.addConsumer({ groupId: GROUP } as unknown as Consumer));
    const consumed = {
      topic: INPUT_TOPIC,
      partition: 0,
      offset: 41n,
      metadata: {
        consumer: { groupId: GROUP, generationId: 3, memberId: 'golden-member', coordinatorId: 0 },
      },
    };
    await step(
      'addOffset',
      committed.addOffset(consumed as unknown as Message<string, string, string, string>),
    );
    await step('commit', committed.commit());
    const aborted = await step('beginTransaction', producer.beginTransaction());
    await step('send', aborted.send({ messages: [{ topic: OUTPUT_TOPIC, key: 'k2', value: 'v2' }] }));
    await step('abort', aborted.abort());
  } finally {
    await producer.close();
  }

  const { host, port } = hostPort(bootstrap);
  const connection = new Connection('golden');
  try {
    await step('connect', Promise.resolve(connection.connect(host, port)));
    await step(
      'describeTransactionsV0',
      describeTransactionsV0.api.async(connection, ['golden-platformatic-tx']),
    );
    // The client's state names are its own constants (ONGOING), not Kafka's (Ongoing): a Kafka coordinator
    // answers them in UnknownStateFilters, as the script does.
    await step(
      'listTransactionsV0',
      listTransactionsV0.api.async(connection, ['ONGOING'], [4_000n], -1n, null),
    );
    await step('listTransactionsV1', listTransactionsV1.api.async(connection, [], [], 30_000n, null));
  } finally {
    await connection.close();
  }
}

/**
 * A name for each exchange worth keeping beside the first of its API and version: EndTxn's `commit` and
 * `abort`, FindCoordinator's `transaction` and `group` key types (v0 has no key type: a group), and
 * InitProducerId's `transactional` and `idempotent` forms (KafkaJS sends both: an idempotent one when it
 * connects, the transactional one when its first transaction begins).
 */
export function transactionVariants(exchanges: readonly CapturedExchange[]): Map<CapturedExchange, string> {
  const variants = new Map<CapturedExchange, string>();
  for (const exchange of exchanges) {
    if (exchange.apiKey !== 10 && exchange.apiKey !== 22 && exchange.apiKey !== 26) continue;
    const decoded = decodeRequestFrame(exchange.request.subarray(4), KAFKA_APIS);
    if (decoded.kind !== 'request') continue;
    const body = decoded.body as { committed?: boolean; keyType?: number; transactionalId?: string | null };
    if (exchange.apiKey === 26) variants.set(exchange, body.committed === true ? 'commit' : 'abort');
    else if (exchange.apiKey === 22)
      variants.set(exchange, body.transactionalId === null ? 'idempotent' : 'transactional');
    else variants.set(exchange, body.keyType === 1 ? 'transaction' : 'group');
  }
  return variants;
}
