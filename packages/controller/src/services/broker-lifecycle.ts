/**
 * BrokerLifecycle: registration and heartbeats, served only by the active controller (a standby
 * answers NOT_CONTROLLER with the leader hint). A heartbeat with the current broker epoch renews the
 * broker's lease before the heartbeat decision runs.
 */
import { brokerEpoch, brokerId, TributaryError } from '@tributary/core';
import {
  type BrokerHeartbeatResponse,
  type BrokerLifecycleHandlers,
  handleUnary,
  type RegisterBrokerResponse,
  requireIntInRange,
  requireNonEmpty,
  requireSafeUint,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import { parseHostPort } from '../config.js';
import { brokerHeartbeat, registerBroker } from '../control/brokers.js';
import type { LeaseManager } from '../lease-manager.js';
import type { QuorumController } from '../quorum-controller.js';

/** Bounds on free-form strings a broker sends. */
export const INCARNATION_ID_LENGTH_MAX = 128;
export const ADDRESS_LENGTH_MAX = 512;
export const RACK_LENGTH_MAX = 128;

export interface BrokerLifecycleOptions {
  readonly quorum: QuorumController;
  readonly leaseManager: LeaseManager;
  readonly logger: Logger;
}

function requireLengthAtMost(value: string, field: string, max: number): string {
  if (value.length > max) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `${field} is ${value.length} characters; the limit is ${max}`,
    );
  }
  return value;
}

export function createBrokerLifecycleHandlers(options: BrokerLifecycleOptions): BrokerLifecycleHandlers {
  const { quorum, leaseManager, logger } = options;
  const leases = leaseManager.leases;
  const handleOptions = {
    onUnexpectedError: (error: unknown) => logger.error({ err: error }, 'broker lifecycle handler failed'),
  };
  return {
    RegisterBroker: handleUnary(async (request): Promise<RegisterBrokerResponse> => {
      const id = brokerId(requireIntInRange(request.brokerId, 'broker_id'));
      const incarnationId = requireLengthAtMost(
        requireNonEmpty(request.incarnationId, 'incarnation_id'),
        'incarnation_id',
        INCARNATION_ID_LENGTH_MAX,
      );
      const address = requireLengthAtMost(
        requireNonEmpty(request.address, 'address'),
        'address',
        ADDRESS_LENGTH_MAX,
      );
      try {
        parseHostPort(address, 'address');
      } catch (error) {
        throw new TributaryError('INVALID_REQUEST', error instanceof Error ? error.message : String(error));
      }
      const rack = requireLengthAtMost(request.rack, 'rack', RACK_LENGTH_MAX);
      const { response } = await quorum.runCommand((image) =>
        registerBroker(
          image,
          { brokerId: id, incarnationId, address, rack: rack === '' ? null : rack },
          { isLeaseAlive: (broker) => leases.isAlive(broker, leaseManager.now()) },
        ),
      );
      leases.heartbeat(id, leaseManager.now());
      logger.info(
        { brokerId: id, brokerEpoch: response.brokerEpoch, address, incarnationId },
        'broker registered',
      );
      return { brokerEpoch: response.brokerEpoch };
    }, handleOptions),

    BrokerHeartbeat: handleUnary(async (request): Promise<BrokerHeartbeatResponse> => {
      const id = brokerId(requireIntInRange(request.brokerId, 'broker_id'));
      const epoch = brokerEpoch(requireSafeUint(request.brokerEpoch, 'broker_epoch'));
      const metadataOffset = requireSafeUint(request.metadataOffset, 'metadata_offset');
      // Renew only the lease of the current registration: a stale incarnation must not keep it alive.
      if (quorum.latestImage().broker(id)?.brokerEpoch === epoch) leases.heartbeat(id, leaseManager.now());
      const { response } = await quorum.runCommand((image) =>
        brokerHeartbeat(image, {
          brokerId: id,
          brokerEpoch: epoch,
          metadataOffset,
          wantFence: request.wantFence,
          wantShutdown: request.wantShutdown,
        }),
      );
      return {
        fenced: response.fenced,
        caughtUp: response.caughtUp,
        shouldShutDown: response.shouldShutDown,
        leaseTimeoutMs: leases.sessionTimeoutMs,
      };
    }, handleOptions),
  };
}
