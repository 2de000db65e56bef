/**
 * The Kafka listener's SASL counters: successful authentications by mechanism, failures by mechanism and
 * reason (unknown-user, invalid-proof, invalid-password, unsupported-mechanism, illegal-state, timeout,
 * invalid-message...). Reasons are the server's own words; a client never sees them.
 */
import { Counter, type Registry } from 'prom-client';
import type { SaslMetrics } from './authentication.js';

export function saslMetrics(registry: Registry): SaslMetrics {
  const registers = [registry];
  const authenticated = new Counter({
    name: 'tributary_broker_kafka_sasl_authentications_total',
    help: 'Kafka listener connections that completed SASL, by mechanism',
    labelNames: ['mechanism'] as const,
    registers,
  });
  const failed = new Counter({
    name: 'tributary_broker_kafka_sasl_failures_total',
    help: 'Kafka listener SASL exchanges that failed, by mechanism and reason',
    labelNames: ['mechanism', 'reason'] as const,
    registers,
  });
  return {
    authenticated: (mechanism) => authenticated.inc({ mechanism }),
    failed: (mechanism, reason) => failed.inc({ mechanism, reason }),
  };
}
