/**
 * The admin APIs through the real registry and handlers with an authorizer on: config resources per topic
 * or cluster, DeleteTopics by id without leaking a name, and the cluster's own APIs refused whole.
 */
import { ERROR_CODES, type ErrorCode } from '@tributary/core';
import {
  CreateAcls,
  DeleteTopics,
  DescribeConfigs,
  DescribeUserScramCredentials,
} from '@tributary/kafka-protocol';
import { describe, expect, it } from 'vitest';
import { kafkaRegistry } from '../server.js';
import {
  adminParts,
  brokerRecords,
  FakeController,
  FakeMetadata,
  topicRecords,
} from '../testing/admin-fakes.js';
import { ADMIN, ALICE, accessControl, askAs, TOPIC_A_ID, TOPIC_B_ID } from './testing.js';

const code = (name: ErrorCode): number => ERROR_CODES[name].kafka;
const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;

function setUp() {
  const metadata = new FakeMetadata([
    ...brokerRecords(1),
    ...topicRecords({ name: 'a', topicId: TOPIC_A_ID, partitions: 1, replicationFactor: 1 }),
    ...topicRecords({ name: 'b', topicId: TOPIC_B_ID, partitions: 1, replicationFactor: 1 }),
  ]);
  const controller = new FakeController(metadata);
  const registry = kafkaRegistry(adminParts(metadata, controller, { access: accessControl().access }));
  return { registry, controller };
}

describe('admin APIs', () => {
  it('DescribeConfigs: DescribeConfigs on the topic, or on the cluster for a broker', async () => {
    const { registry } = setUp();
    const response = await askAs(registry, ALICE, DescribeConfigs, 4, {
      resources: [
        { resourceType: TOPIC_RESOURCE, resourceName: 'a', configurationKeys: null },
        { resourceType: TOPIC_RESOURCE, resourceName: 'b', configurationKeys: null },
        { resourceType: BROKER_RESOURCE, resourceName: '1', configurationKeys: null },
      ],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    expect(response.results.map((r) => [r.resourceName, r.errorCode])).toEqual([
      ['a', 0],
      ['b', code('TOPIC_AUTHORIZATION_FAILED')],
      ['1', code('CLUSTER_AUTHORIZATION_FAILED')],
    ]);
  });

  it('DeleteTopics v6: Delete per topic; one named by id the caller may not Describe keeps its name', async () => {
    const { registry, controller } = setUp();
    const response = await askAs(registry, ALICE, DeleteTopics, 6, {
      topics: [{ name: null, topicId: TOPIC_B_ID }],
      topicNames: [],
      timeoutMs: 1000,
    });
    expect(response.responses).toEqual([
      expect.objectContaining({
        name: null,
        topicId: TOPIC_B_ID,
        errorCode: code('TOPIC_AUTHORIZATION_FAILED'),
      }),
    ]);
    expect(controller.callsOf('DeleteTopic')).toEqual([]);
  });

  it('the ACL and SCRAM APIs need their operation on the cluster; a super user passes', async () => {
    const { registry } = setUp();
    const creation = {
      resourceType: 2,
      resourceName: 'a',
      resourcePatternType: 3,
      principal: 'User:bob',
      host: '*',
      operation: 3,
      permissionType: 3,
    };
    const created = await askAs(registry, ALICE, CreateAcls, 3, { creations: [creation, creation] });
    expect(created.results.map((r) => r.errorCode)).toEqual([
      code('CLUSTER_AUTHORIZATION_FAILED'),
      code('CLUSTER_AUTHORIZATION_FAILED'),
    ]);
    const scram = await askAs(registry, ALICE, DescribeUserScramCredentials, 0, { users: null });
    expect(scram.errorCode).toBe(code('CLUSTER_AUTHORIZATION_FAILED'));
    const asAdmin = await askAs(registry, ADMIN, DescribeUserScramCredentials, 0, { users: null });
    expect(asAdmin.errorCode).not.toBe(code('CLUSTER_AUTHORIZATION_FAILED'));
  });
});
