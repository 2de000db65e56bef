/**
 * The broker's health service and /metrics endpoint, as startBroker wires them: health is SERVING
 * while the broker is registered, unfenced and not shutting down (close() calls shutdown() first).
 */
import type * as grpc from '@grpc/grpc-js';
import {
  addStandardServices,
  type MetricsServerHandle,
  type ProcessTls,
  type StandardServices,
  startMetricsServer,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { LifecycleSnapshot } from '../lifecycle/state.js';

export function addBrokerStandardServices(
  server: grpc.Server,
  parts: { readonly lifecycle: () => LifecycleSnapshot | undefined; readonly groupCoordinator: boolean },
): StandardServices {
  return addStandardServices(server, {
    serving: () => {
      const state = parts.lifecycle();
      return state?.status === 'unfenced' && !state.shuttingDown;
    },
    services: [
      'tributary.v1.Broker',
      'tributary.v1.Replication',
      // Forwarded to the active controller (services/admin-forwarding.ts).
      'tributary.v1.ControllerAdmin',
      ...(parts.groupCoordinator ? ['tributary.v1.GroupCoordinator'] : []),
    ],
  });
}

/** The /metrics endpoint on `listen`, or null when unset. */
export async function startMetricsEndpoint(
  listen: string | undefined,
  registry: Registry,
  logger: Logger,
  tls?: ProcessTls,
): Promise<MetricsServerHandle | null> {
  if (listen === undefined) return null;
  return startMetricsServer({
    listen,
    registry,
    ...(tls === undefined ? {} : { tls }),
    onError: (error) => logger.warn({ err: error }, 'metrics endpoint error'),
  });
}
