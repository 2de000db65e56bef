/**
 * The broker node's Kafka listener (DESIGN §9), wired to the same parts as its gRPC services. Kept out
 * of broker-node.ts so that the node stays an outline: this file owns the listener's readiness (caught
 * up with the metadata log, then the cluster id asked of the controller once) and its address.
 */
import { type ProcessSecurity, type ProcessTls, unknownUserSecretFor } from '@tributary/protocol';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { KafkaListener } from '../kafka/listener.js';
import type { KafkaBrokerParts } from '../kafka/parts.js';
import { saslMetrics } from '../kafka/security/sasl-metrics.js';
import { type KafkaServerAuthentication, startKafkaServer } from '../kafka/server.js';
import type { AdminForwarder } from '../services/admin-forwarding.js';
import { advertisedAddressFor } from './addresses.js';

/** How long serving waits for the cluster id before answering with none (Metadata's cluster id is nullable). */
const CLUSTER_ID_WAIT_MS = 2_000;

export interface KafkaWiringOptions {
  readonly listen: string;
  readonly advertised: string | undefined;
  readonly parts: Omit<KafkaBrokerParts, 'clusterId'>;
  readonly admin: AdminForwarder;
  /** Resolves once the broker has caught up with the metadata log. */
  readonly caughtUp: Promise<void>;
  readonly connectionsMaxIdleMs: number | undefined;
  /** TLS on the listener (the broker's files, reloaded with them); undefined = plaintext. */
  readonly tls: ProcessTls | undefined;
  /**
   * The process's --require-authentication and --tls-principal-mapping-rules (undefined: nobody must
   * authenticate, User:CN); SCRAM users come from the broker's image.
   */
  readonly security?: Pick<ProcessSecurity, 'requireAuthentication' | 'principalMapping'> | undefined;
  /** The cluster id the unknown-user secret derives from, as for gRPC (unknownUserSecretFor). */
  readonly clusterId?: string | undefined;
  /** Where the SASL counters go (the broker's /metrics registry). */
  readonly metricsRegistry?: Registry | undefined;
  readonly logger: Logger;
}

/** The listener's authentication from the process's security settings. */
export function kafkaListenerAuthentication(options: KafkaWiringOptions): KafkaServerAuthentication {
  const security = options.security;
  return {
    ...(security === undefined
      ? {}
      : { required: security.requireAuthentication, principalMapping: security.principalMapping }),
    // The same secret as the gRPC Auth service's, so both answer an unknown user alike.
    unknownUserSecret: unknownUserSecretFor(options.clusterId),
    ...(options.metricsRegistry === undefined ? {} : { metrics: saslMetrics(options.metricsRegistry) }),
  };
}

export interface KafkaWiring {
  readonly listener: KafkaListener;
  /** host:port registered with the controller and named in Metadata answers. */
  readonly advertisedAddress: string;
}

export async function openKafkaListener(options: KafkaWiringOptions): Promise<KafkaWiring> {
  let clusterId: string | null = null;
  const fetchClusterId = async (): Promise<void> => {
    try {
      const answer = await options.admin.forward('DescribeCluster', {}, { deadlineMs: CLUSTER_ID_WAIT_MS });
      clusterId = answer.clusterId === '' ? null : answer.clusterId;
    } catch (error) {
      options.logger.warn({ err: error }, 'could not learn the cluster id; Kafka Metadata answers name none');
    }
  };
  const ready = options.caughtUp.then(fetchClusterId);
  const listener = await startKafkaServer({
    listen: options.listen,
    parts: { ...options.parts, clusterId: () => clusterId },
    ready,
    logger: options.logger,
    authentication: kafkaListenerAuthentication(options),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    ...(options.connectionsMaxIdleMs === undefined
      ? {}
      : { connectionsMaxIdleMs: options.connectionsMaxIdleMs }),
  });
  return {
    listener,
    advertisedAddress: advertisedAddressFor(options.listen, listener.port, options.advertised),
  };
}
