/**
 * Real Kafka clients against a real 3-controller + 3-broker cluster through the brokers' Kafka listeners
 * (issue 12 "How it is shown", DESIGN §9): kcat (librdkafka 2.0) as producer, consumer and group member,
 * KafkaJS 2.2.4, @platformatic/kafka 1.x, and KafkaJS's DeleteRecords. The cases live in ./cases/ and share
 * one cluster, so that the suite pays for one cluster start instead of five; each case uses its own topics
 * and groups, and the one that SIGKILLs a broker runs last and restarts it.
 */
import { afterAll, beforeAll } from 'vitest';
import { type Cluster, startCluster } from '../cluster.js';
import { kafkaJsCases } from './cases/kafkajs.js';
import { kafkaJsDeleteRecordsCases } from './cases/kafkajs-delete-records.js';
import { kcatCases } from './cases/kcat.js';
import { kcatGroupCases } from './cases/kcat-groups.js';
import { platformaticCases } from './cases/platformatic.js';
import { GROUP_BROKER_ARGS } from './shared.js';
import { kcatPath } from './tools.js';

let cluster: Cluster | undefined;

beforeAll(async () => {
  kcatPath();
  cluster = await startCluster({ brokers: 3, kafka: true, brokerArgs: GROUP_BROKER_ARGS });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

function shared(): Cluster {
  if (cluster === undefined) throw new Error('the shared cluster did not start');
  return cluster;
}

kcatCases(shared);
kcatGroupCases(shared);
platformaticCases(shared);
kafkaJsDeleteRecordsCases(shared);
// Last: it SIGKILLs a partition leader (and restarts it).
kafkaJsCases(shared);
