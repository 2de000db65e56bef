/**
 * What one Kafka API handler is: the API's definition, the versions advertised in ApiVersions, which of
 * those are advertised only for compatibility and refused (DESIGN §9), and the function that answers a
 * decoded request. Handlers call the broker's parts directly (replica manager, group coordinator,
 * metadata image); they never go through the broker's own gRPC API.
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  ApiDefinition,
  RequestHeader,
  RequestOf,
  ResponseInputOf,
  VersionRange,
} from '@tributary/kafka-protocol';
import type { RequestCaller } from '@tributary/security';
import type { Logger } from 'pino';
import type { SaslSession } from './security/sasl-session.js';

/** Per request: who sent it and how, for the handler and its log lines. */
export interface KafkaRequestContext {
  readonly header: RequestHeader;
  /** The client's address as seen by the listener (Kafka's client host). */
  readonly clientHost: string;
  readonly connectionId: string;
  readonly logger: Logger;
  /**
   * Who sends the request (DESIGN §10): the SASL user once SaslAuthenticate succeeded ('scram' / 'plain'),
   * else the verified client certificate's principal ('certificate'), else User:ANONYMOUS ('none'). Read
   * when the request arrives; what authorization decides on.
   */
  readonly caller: RequestCaller;
  /** The connection's SASL exchange (SaslHandshake, SaslAuthenticate); absent outside a listener (tests). */
  readonly sasl?: SaslSession;
}

/** The answer to a request; null = send nothing (Produce with acks=0). */
export type HandlerResult<A> = ResponseInputOf<A> | null;

export interface KafkaHandler<A extends ApiDefinition> {
  readonly api: A;
  /** The versions ApiVersions advertises; within the codec's implemented range. */
  readonly advertised: VersionRange;
  /**
   * Versions advertised only so that older clients keep features on (librdkafka turns off compression
   * unless Produce's minimum is 0): the request is answered with this error in every error field
   * instead of being served, as Kafka 4 does.
   */
  readonly refused?: {
    readonly versions: VersionRange;
    readonly error: (request: RequestOf<A>) => HandlerResult<A>;
  };
  handle(request: RequestOf<A>, context: KafkaRequestContext): Promise<HandlerResult<A>> | HandlerResult<A>;
}

/** A handler with its API's types erased, so handlers of different APIs can share one registry. */
export interface RegisteredHandler {
  readonly api: ApiDefinition;
  readonly advertised: VersionRange;
  readonly refusedVersions: VersionRange | undefined;
  answer(request: unknown, context: KafkaRequestContext): Promise<unknown>;
}

/**
 * The caller of the request being handled, for code far from the handler's context: the admin forwarder
 * names it to the controller (which authorizes and audits the original caller, not the broker). A store
 * per request rather than a parameter threaded through every admin helper.
 */
const handledCaller = new AsyncLocalStorage<RequestCaller>();

/** The caller of the Kafka request whose handler is running; undefined outside one. */
export function currentKafkaCaller(): RequestCaller | undefined {
  return handledCaller.getStore();
}

export function registerHandler<A extends ApiDefinition>(handler: KafkaHandler<A>): RegisteredHandler {
  const refused = handler.refused;
  return {
    api: handler.api,
    advertised: handler.advertised,
    refusedVersions: refused?.versions,
    async answer(request, context) {
      const typed = request as RequestOf<A>;
      const version = context.header.apiVersion;
      if (refused !== undefined && version >= refused.versions.min && version <= refused.versions.max) {
        return refused.error(typed);
      }
      return handledCaller.run(context.caller, () => handler.handle(typed, context));
    },
  };
}
