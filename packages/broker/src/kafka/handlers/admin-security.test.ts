/**
 * The security admin APIs on the listener (CreateAcls, DescribeAcls, DeleteAcls, DescribeUserScramCredentials,
 * AlterUserScramCredentials, DescribeClientQuotas, AlterClientQuotas): what each forwards to the controller
 * (Kafka's codes as the controller's names) and how the controller's answer comes back in Kafka's shape.
 */
import { TributaryError } from '@tributary/core';
import {
  AlterClientQuotas,
  AlterUserScramCredentials,
  CreateAcls,
  DeleteAcls,
  DescribeAcls,
  DescribeClientQuotas,
  DescribeUserScramCredentials,
} from '@tributary/kafka-protocol';
import type { ControllerAdminClient, UnaryMethodName } from '@tributary/protocol';
import { describe, expect, it } from 'vitest';
import { type AdminConnection, AdminForwarder } from '../../services/admin-forwarding.js';
import { adminParts, exchange, FakeController, FakeMetadata } from '../testing/admin-fakes.js';
import { createAclsHandler, deleteAclsHandler, describeAclsHandler } from './admin-acls.js';
import {
  alterClientQuotasHandler,
  alterUserScramCredentialsHandler,
  describeClientQuotasHandler,
  describeUserScramCredentialsHandler,
} from './admin-scram-quotas.js';

type Method = UnaryMethodName<ControllerAdminClient>;

/** A controller that answers each method with a scripted value (or throws it) and records the requests. */
class ScriptedController implements AdminConnection {
  readonly requests: { method: string; request: unknown }[] = [];
  constructor(private readonly answers: Partial<Record<Method, unknown>>) {}
  async admin(method: Method, request: unknown): Promise<never> {
    this.requests.push({ method, request });
    const answer = this.answers[method];
    if (answer instanceof Error) throw answer;
    return answer as never;
  }
}

function partsFor(controller: ScriptedController) {
  const metadata = new FakeMetadata([]);
  return adminParts(metadata, new FakeController(metadata), {
    admin: new AdminForwarder({ connection: controller }),
  });
}

const aliceReadsOrders = {
  resourceType: 'Topic',
  resourceName: 'orders',
  patternType: 'Literal',
  principal: 'User:alice',
  host: '*',
  operation: 'Read',
  permission: 'Allow',
};
const prefixed = { ...aliceReadsOrders, resourceName: 'ord', patternType: 'Prefixed', operation: 'Write' };

describe('ACL APIs', () => {
  it('CreateAcls: Kafka codes become names; a code that names nothing is refused here', async () => {
    const controller = new ScriptedController({
      CreateAcls: {
        results: [
          { errorCode: '', errorMessage: '', id: 'a' },
          { errorCode: 'INVALID_REQUEST', errorMessage: 'bad host', id: '' },
        ],
      },
    });
    const binding = {
      resourceType: 2,
      resourceName: 'orders',
      resourcePatternType: 3,
      principal: 'User:alice',
      host: '*',
      operation: 3,
      permissionType: 3,
    };
    const answer = await exchange(createAclsHandler(partsFor(controller)), CreateAcls, 1, {
      creations: [binding, { ...binding, operation: 1 }, { ...binding, host: 'nope' }],
    });
    expect(controller.requests[0]?.request).toEqual({
      creations: [{ ...aliceReadsOrders }, { ...aliceReadsOrders, host: 'nope' }],
    });
    expect(answer.results).toEqual([
      { errorCode: 0, errorMessage: null },
      { errorCode: 42, errorMessage: 'operation 1 is not one an ACL can name' },
      { errorCode: 42, errorMessage: 'bad host' },
    ]);
  });

  it('DescribeAcls: ANY filters are empty; bindings grouped by resource; v0 leaves prefixed ACLs out', async () => {
    const controller = new ScriptedController({
      DescribeAcls: { acls: [aliceReadsOrders, prefixed, { ...aliceReadsOrders, principal: 'User:bob' }] },
    });
    const parts = partsFor(controller);
    const filter = {
      resourceTypeFilter: 1,
      resourceNameFilter: null,
      patternTypeFilter: 1,
      principalFilter: null,
      hostFilter: null,
      operation: 1,
      permissionType: 1,
    };
    const v1 = await exchange(describeAclsHandler(parts), DescribeAcls, 1, filter);
    expect(controller.requests[0]?.request).toEqual({
      filter: {
        resourceType: '',
        resourceName: '',
        patternType: '',
        principal: '',
        host: '',
        operation: '',
        permission: '',
      },
    });
    expect(v1.resources).toEqual([
      {
        resourceType: 2,
        resourceName: 'orders',
        patternType: 3,
        acls: [
          { principal: 'User:alice', host: '*', operation: 3, permissionType: 3 },
          { principal: 'User:bob', host: '*', operation: 3, permissionType: 3 },
        ],
      },
      {
        resourceType: 2,
        resourceName: 'ord',
        patternType: 4,
        acls: [{ principal: 'User:alice', host: '*', operation: 4, permissionType: 3 }],
      },
    ]);
    const v0 = await exchange(describeAclsHandler(parts), DescribeAcls, 0, filter);
    expect(v0.resources.map((r) => r.resourceName)).toEqual(['orders']);
    expect(controller.requests[1]?.request).toMatchObject({ filter: { patternType: 'Literal' } });
  });

  it('DescribeAcls: the controller refusing becomes the top-level error', async () => {
    const controller = new ScriptedController({
      DescribeAcls: new TributaryError('CLUSTER_AUTHORIZATION_FAILED', 'no'),
    });
    const filter = {
      resourceTypeFilter: 2,
      resourceNameFilter: 'orders',
      patternTypeFilter: 2,
      principalFilter: 'User:alice',
      hostFilter: '*',
      operation: 3,
      permissionType: 3,
    };
    const answer = await exchange(describeAclsHandler(partsFor(controller)), DescribeAcls, 3, filter);
    expect(answer).toMatchObject({ errorCode: 31, errorMessage: 'no', resources: [] });
  });

  it('DeleteAcls: per filter, the ACLs the controller removed', async () => {
    const controller = new ScriptedController({
      DeleteAcls: { results: [{ errorCode: '', errorMessage: '', deleted: [aliceReadsOrders] }] },
    });
    const filter = {
      resourceTypeFilter: 2,
      resourceNameFilter: 'orders',
      patternTypeFilter: 3,
      principalFilter: null,
      hostFilter: null,
      operation: 1,
      permissionType: 3,
    };
    const answer = await exchange(deleteAclsHandler(partsFor(controller)), DeleteAcls, 2, {
      filters: [filter, { ...filter, resourceTypeFilter: 0 }],
    });
    expect(controller.requests[0]?.request).toEqual({
      filters: [
        {
          resourceType: 'Topic',
          resourceName: 'orders',
          patternType: 'Literal',
          principal: '',
          host: '',
          operation: '',
          permission: 'Allow',
        },
      ],
    });
    expect(answer.filterResults[0]?.matchingAcls).toEqual([
      {
        errorCode: 0,
        errorMessage: null,
        resourceType: 2,
        resourceName: 'orders',
        patternType: 3,
        principal: 'User:alice',
        host: '*',
        operation: 3,
        permissionType: 3,
      },
    ]);
    expect(answer.filterResults[1]).toMatchObject({ errorCode: 42, matchingAcls: [] });
  });
});

describe('SCRAM credential APIs', () => {
  it('DescribeUserScramCredentials: null users = every user; mechanisms as Kafka codes', async () => {
    const controller = new ScriptedController({
      DescribeUserScramCredentials: {
        results: [
          {
            user: 'alice',
            errorCode: '',
            errorMessage: '',
            credentials: [{ mechanism: 'SCRAM-SHA-512', iterations: 8192 }],
          },
          { user: 'nobody', errorCode: 'RESOURCE_NOT_FOUND', errorMessage: 'no such user', credentials: [] },
        ],
      },
    });
    const answer = await exchange(
      describeUserScramCredentialsHandler(partsFor(controller)),
      DescribeUserScramCredentials,
      0,
      { users: null },
    );
    expect(controller.requests[0]?.request).toEqual({ users: [] });
    expect(answer.results).toEqual([
      {
        user: 'alice',
        errorCode: 0,
        errorMessage: null,
        credentialInfos: [{ mechanism: 2, iterations: 8192 }],
      },
      { user: 'nobody', errorCode: 91, errorMessage: 'no such user', credentialInfos: [] },
    ]);
  });

  it('AlterUserScramCredentials: deletions and upsertions with mechanism names', async () => {
    const controller = new ScriptedController({
      AlterUserScramCredentials: {
        results: [
          { user: 'alice', errorCode: '', errorMessage: '' },
          { user: 'bob', errorCode: 'UNSUPPORTED_SASL_MECHANISM', errorMessage: 'unknown' },
        ],
      },
    });
    const salt = Buffer.alloc(16, 1);
    const saltedPassword = Buffer.alloc(32, 2);
    const answer = await exchange(
      alterUserScramCredentialsHandler(partsFor(controller)),
      AlterUserScramCredentials,
      0,
      {
        deletions: [{ name: 'bob', mechanism: 9 }],
        upsertions: [{ name: 'alice', mechanism: 1, iterations: 4096, salt, saltedPassword }],
      },
    );
    expect(controller.requests[0]?.request).toEqual({
      deletions: [{ user: 'bob', mechanism: 'UNKNOWN(9)' }],
      upsertions: [{ user: 'alice', mechanism: 'SCRAM-SHA-256', iterations: 4096, salt, saltedPassword }],
    });
    expect(answer.results).toEqual([
      { user: 'alice', errorCode: 0, errorMessage: null },
      { user: 'bob', errorCode: 33, errorMessage: 'unknown' },
    ]);
  });
});

describe('client quota APIs', () => {
  it('DescribeClientQuotas: match types and entities both ways', async () => {
    const controller = new ScriptedController({
      DescribeClientQuotas: {
        entries: [
          {
            entity: { user: { name: '', isDefault: true }, clientId: { name: 'app', isDefault: false } },
            values: [{ key: 'producer_byte_rate', value: 1024 }],
          },
        ],
      },
    });
    const answer = await exchange(
      describeClientQuotasHandler(partsFor(controller)),
      DescribeClientQuotas,
      1,
      {
        components: [
          { entityType: 'user', matchType: 1, match: null },
          { entityType: 'client-id', matchType: 0, match: 'app' },
        ],
        strict: true,
      },
    );
    expect(controller.requests[0]?.request).toEqual({
      components: [
        { entityType: 'user', match: 'default', name: '' },
        { entityType: 'client-id', match: 'exact', name: 'app' },
      ],
      strict: true,
    });
    expect(answer.entries).toEqual([
      {
        entity: [
          { entityType: 'user', entityName: null },
          { entityType: 'client-id', entityName: 'app' },
        ],
        values: [{ key: 'producer_byte_rate', value: 1024 }],
      },
    ]);
    const ip = await exchange(describeClientQuotasHandler(partsFor(controller)), DescribeClientQuotas, 0, {
      components: [{ entityType: 'ip', matchType: 2, match: null }],
      strict: false,
    });
    expect(ip).toMatchObject({ errorCode: 42, entries: null });
  });

  it('AlterClientQuotas: valid entries forwarded, an ip entity refused here, results in request order', async () => {
    const controller = new ScriptedController({
      AlterClientQuotas: { results: [{ entity: null, errorCode: '', errorMessage: '' }] },
    });
    const ops = [{ key: 'consumer_byte_rate', value: 2048, remove: false }];
    const answer = await exchange(alterClientQuotasHandler(partsFor(controller)), AlterClientQuotas, 1, {
      entries: [
        { entity: [{ entityType: 'ip', entityName: '10.0.0.1' }], ops },
        { entity: [{ entityType: 'user', entityName: 'alice' }], ops },
      ],
      validateOnly: true,
    });
    expect(controller.requests[0]?.request).toEqual({
      entries: [{ entity: { user: { name: 'alice', isDefault: false } }, ops }],
      validateOnly: true,
    });
    expect(answer.entries).toEqual([
      {
        errorCode: 42,
        errorMessage: 'entity type "ip" is not user or client-id',
        entity: [{ entityType: 'ip', entityName: '10.0.0.1' }],
      },
      { errorCode: 0, errorMessage: null, entity: [{ entityType: 'user', entityName: 'alice' }] },
    ]);
  });
});
