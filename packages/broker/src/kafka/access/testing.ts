/**
 * The Kafka authorization tests' fixture: an AccessControl over a fixed set of ACLs (alice may use topic
 * `a` and groups `g-*`; admin is a super user; bob has nothing), callers for each, and a driver that sends
 * a request through the codec at a version as a given caller (so the tests see what that client would).
 */
import {
  type ApiDefinition,
  decodeRequestBytes,
  decodeResponseBytes,
  encodeRequestBody,
  encodeResponseBody,
  type RequestInputOf,
  type ResponseOf,
} from '@tributary/kafka-protocol';
import { AccessControl, type AclEntry, type Denial, type RequestCaller } from '@tributary/security';
import { pino } from 'pino';
import type { KafkaApiRegistry } from '../registry.js';

export const TOPIC_A_ID = '11111111-1111-4111-8111-111111111111';
export const TOPIC_B_ID = '22222222-2222-4222-8222-222222222222';

function acl(id: string, fields: Partial<AclEntry>): AclEntry {
  return {
    id,
    resourceType: 'Topic',
    resourceName: 'a',
    patternType: 'Literal',
    principal: 'User:alice',
    host: '*',
    operation: 'All',
    permission: 'Allow',
    ...fields,
  };
}

export const ALICE_ACLS: readonly AclEntry[] = [
  acl('1', {}),
  acl('2', { resourceType: 'Group', resourceName: 'g-', patternType: 'Prefixed', operation: 'Read' }),
  acl('3', { resourceType: 'Group', resourceName: 'g-', patternType: 'Prefixed', operation: 'Describe' }),
  acl('4', { resourceName: 'orders', operation: 'Read' }),
  acl('5', { resourceName: 'orders', operation: 'Describe' }),
];

export function caller(name: string): RequestCaller {
  return { principal: { type: 'User', name }, host: '127.0.0.1', authenticatedBy: 'scram' };
}

export const ALICE = caller('alice');
export const BOB = caller('bob');
export const ADMIN = caller('admin');

export function accessControl(options: { readonly enabled?: boolean } = {}): {
  readonly access: AccessControl;
  readonly denials: Denial[];
} {
  const acls = new Map(ALICE_ACLS.map((entry) => [entry.id, entry]));
  const denials: Denial[] = [];
  const access = new AccessControl(
    {
      enabled: options.enabled ?? true,
      superUsers: new Set(['User:admin']),
      allowEveryoneIfNoAclFound: false,
    },
    () => acls,
    (denial) => denials.push(denial),
  );
  return { access, denials };
}

/** Sends `body` to the registry's handler of `api` as `who`, through the codec at `version`. */
export async function exchangeAs<A extends ApiDefinition>(
  registry: KafkaApiRegistry,
  who: RequestCaller,
  api: A,
  version: number,
  body: RequestInputOf<A>,
): Promise<ResponseOf<A> | null> {
  const handler = registry.handler(api.key);
  if (handler === undefined) throw new Error(`${api.name} is not registered`);
  // `A` is generic here: the codec's field types cannot be followed through RequestInputOf<A>.
  const encoded = encodeRequestBody(api, version, body as never).toBuffer();
  const request = decodeRequestBytes(api, version, encoded);
  const response = await handler.answer(request, {
    header: { apiKey: api.key, apiVersion: version, correlationId: 1, clientId: 'test-client' },
    clientHost: who.host,
    connectionId: 'test-connection',
    logger: pino({ level: 'silent' }),
    caller: who,
  });
  if (response === null) return null;
  const bytes = encodeResponseBody(api, version, response as never).toBuffer();
  return decodeResponseBytes(api, version, bytes) as ResponseOf<A>;
}

/** `exchangeAs` for requests that always get an answer. */
export async function askAs<A extends ApiDefinition>(
  registry: KafkaApiRegistry,
  who: RequestCaller,
  api: A,
  version: number,
  body: RequestInputOf<A>,
): Promise<ResponseOf<A>> {
  const response = await exchangeAs(registry, who, api, version, body);
  if (response === null) throw new Error(`${api.name} v${version} gave no answer`);
  return response;
}
