/**
 * Authorization of every Kafka API (DESIGN §10) by KAFKA_API_ACCESS: wraps the registered handlers so
 * that no handler runs unchecked, as guardServer wraps the gRPC services. A handler whose API the table
 * does not name is refused when the registry is built, with or without an authorizer (fail closed).
 */
import { assert } from '@tributary/core';
import type { AccessControl } from '@tributary/security';
import type { KafkaRequestContext, RegisteredHandler } from '../handler.js';
import { wireTopicId } from '../handlers/metadata.js';
import type { KafkaBrokerParts } from '../parts.js';
import { KAFKA_API_ACCESS } from './kafka-access.js';
import type { KafkaApiAccess, KafkaGuardContext } from './kafka-guard.js';

export interface GuardKafkaHandlersOptions {
  readonly parts: Pick<KafkaBrokerParts, 'access' | 'metadata' | 'autoCreate'>;
  /** The table; tests may pass their own. */
  readonly table?: Readonly<Record<string, KafkaApiAccess>>;
}

export function guardKafkaHandlers(
  handlers: readonly RegisteredHandler[],
  options: GuardKafkaHandlersOptions,
): RegisteredHandler[] {
  const table = options.table ?? KAFKA_API_ACCESS;
  const access = options.parts.access;
  return handlers.map((handler) => {
    const { name, key } = handler.api;
    const rule = Object.hasOwn(table, name) ? table[name] : undefined;
    assert(
      rule !== undefined,
      () => `the Kafka API ${name} has no entry in KAFKA_API_ACCESS: decide what it needs`,
    );
    assert(
      rule.kind !== 'request' || rule.apiKey === key,
      () => `KAFKA_API_ACCESS.${name} guards another API`,
    );
    // The authorizer is on or off for the process's life (--authorizer): off costs nothing per request.
    if (access === undefined || !access.enabled || rule.kind !== 'request') return handler;
    return guarded(handler, rule.guard, access, options.parts);
  });
}

function guarded(
  handler: RegisteredHandler,
  guard: Extract<KafkaApiAccess, { kind: 'request' }>['guard'],
  access: AccessControl,
  parts: GuardKafkaHandlersOptions['parts'],
): RegisteredHandler {
  return {
    api: handler.api,
    advertised: handler.advertised,
    refusedVersions: handler.refusedVersions,
    async answer(request: unknown, context: KafkaRequestContext): Promise<unknown> {
      const outcome = guard(request, guardContext(access, context, parts));
      if ('answer' in outcome) return outcome.answer;
      const response = await handler.answer(outcome.request, context);
      return response === null || outcome.finish === undefined ? response : outcome.finish(response);
    },
  };
}

function guardContext(
  access: AccessControl,
  context: KafkaRequestContext,
  parts: GuardKafkaHandlersOptions['parts'],
): KafkaGuardContext {
  const image = parts.metadata.currentImage();
  let namesById: Map<string, string> | undefined;
  return {
    access,
    caller: context.caller,
    version: context.header.apiVersion,
    topicNameOfId: (topicId) => {
      // Built on the first id asked for, once per request (requests naming topics by name never pay it).
      namesById ??= new Map([...image.topicsById.values()].map((t) => [wireTopicId(t.topicId), t.name]));
      return namesById.get(topicId);
    },
    topicExists: (name) => image.topicByName(name) !== undefined,
    autoCreateEnabled: parts.autoCreate !== null,
  };
}
