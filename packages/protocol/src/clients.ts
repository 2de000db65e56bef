/** Typed grpc-js clients and service registration for the tributary.v1 services. */
import * as grpc from '@grpc/grpc-js';
import { CHANNEL_OPTIONS } from './channel.js';
import type { AuthClient, AuthHandlers } from './generated/tributary/v1/Auth.js';
import type { BrokerClient, BrokerHandlers } from './generated/tributary/v1/Broker.js';
import type {
  BrokerLifecycleClient,
  BrokerLifecycleHandlers,
} from './generated/tributary/v1/BrokerLifecycle.js';
import type {
  ControllerAdminClient,
  ControllerAdminHandlers,
} from './generated/tributary/v1/ControllerAdmin.js';
import type {
  GroupCoordinatorClient,
  GroupCoordinatorHandlers,
} from './generated/tributary/v1/GroupCoordinator.js';
import type {
  MetadataStreamClient,
  MetadataStreamHandlers,
} from './generated/tributary/v1/MetadataStream.js';
import type { RaftClient, RaftHandlers } from './generated/tributary/v1/Raft.js';
import type { ReplicationClient, ReplicationHandlers } from './generated/tributary/v1/Replication.js';
import type {
  TransactionCoordinatorClient,
  TransactionCoordinatorHandlers,
} from './generated/tributary/v1/TransactionCoordinator.js';
import type {
  TransactionMarkersClient,
  TransactionMarkersHandlers,
} from './generated/tributary/v1/TransactionMarkers.js';
import { loadTributaryProtos } from './protos.js';

export interface ClientOptions {
  /** Defaults to insecure (plaintext) credentials: Tributary runs inside a trusted network for now. */
  readonly credentials?: grpc.ChannelCredentials;
  /** Merged over CHANNEL_OPTIONS. */
  readonly channelOptions?: grpc.ChannelOptions;
  /**
   * Authenticates every call on the channel (the SCRAM session interceptor of src/auth): its interceptor runs
   * innermost, after any in `channelOptions.interceptors`. Unset: calls carry no credentials of their own.
   */
  readonly auth?: CallAuthentication;
}

/** Adds credentials to the calls of a channel to one address (grpc-js interceptors do not see the address). */
export interface CallAuthentication {
  interceptorFor(address: string): grpc.Interceptor;
}

function clientArgs(address: string, options: ClientOptions): [grpc.ChannelCredentials, grpc.ChannelOptions] {
  const channelOptions: grpc.ChannelOptions = { ...CHANNEL_OPTIONS, ...options.channelOptions };
  if (options.auth !== undefined) {
    const given: unknown = channelOptions.interceptors;
    const interceptors = Array.isArray(given) ? (given as grpc.Interceptor[]) : [];
    channelOptions.interceptors = [...interceptors, options.auth.interceptorFor(address)];
  }
  return [options.credentials ?? grpc.credentials.createInsecure(), channelOptions];
}

export function createAuthClient(address: string, options: ClientOptions = {}): AuthClient {
  return new (loadTributaryProtos().Auth)(address, ...clientArgs(address, options));
}

export function addAuthService(server: grpc.Server, implementation: AuthHandlers): void {
  server.addService(loadTributaryProtos().Auth.service, implementation);
}

export function createControllerAdminClient(
  address: string,
  options: ClientOptions = {},
): ControllerAdminClient {
  return new (loadTributaryProtos().ControllerAdmin)(address, ...clientArgs(address, options));
}

export function createBrokerLifecycleClient(
  address: string,
  options: ClientOptions = {},
): BrokerLifecycleClient {
  return new (loadTributaryProtos().BrokerLifecycle)(address, ...clientArgs(address, options));
}

export function createMetadataStreamClient(
  address: string,
  options: ClientOptions = {},
): MetadataStreamClient {
  return new (loadTributaryProtos().MetadataStream)(address, ...clientArgs(address, options));
}

export function createRaftClient(address: string, options: ClientOptions = {}): RaftClient {
  return new (loadTributaryProtos().Raft)(address, ...clientArgs(address, options));
}

export function addControllerAdminService(
  server: grpc.Server,
  implementation: ControllerAdminHandlers,
): void {
  server.addService(loadTributaryProtos().ControllerAdmin.service, implementation);
}

export function addBrokerLifecycleService(
  server: grpc.Server,
  implementation: BrokerLifecycleHandlers,
): void {
  server.addService(loadTributaryProtos().BrokerLifecycle.service, implementation);
}

export function addMetadataStreamService(server: grpc.Server, implementation: MetadataStreamHandlers): void {
  server.addService(loadTributaryProtos().MetadataStream.service, implementation);
}

export function addRaftService(server: grpc.Server, implementation: RaftHandlers): void {
  server.addService(loadTributaryProtos().Raft.service, implementation);
}

export function createBrokerClient(address: string, options: ClientOptions = {}): BrokerClient {
  return new (loadTributaryProtos().Broker)(address, ...clientArgs(address, options));
}

export function createReplicationClient(address: string, options: ClientOptions = {}): ReplicationClient {
  return new (loadTributaryProtos().Replication)(address, ...clientArgs(address, options));
}

export function addBrokerService(server: grpc.Server, implementation: BrokerHandlers): void {
  server.addService(loadTributaryProtos().Broker.service, implementation);
}

export function addReplicationService(server: grpc.Server, implementation: ReplicationHandlers): void {
  server.addService(loadTributaryProtos().Replication.service, implementation);
}

export function createGroupCoordinatorClient(
  address: string,
  options: ClientOptions = {},
): GroupCoordinatorClient {
  return new (loadTributaryProtos().GroupCoordinator)(address, ...clientArgs(address, options));
}

export function addGroupCoordinatorService(
  server: grpc.Server,
  implementation: GroupCoordinatorHandlers,
): void {
  server.addService(loadTributaryProtos().GroupCoordinator.service, implementation);
}

export function createTransactionCoordinatorClient(
  address: string,
  options: ClientOptions = {},
): TransactionCoordinatorClient {
  return new (loadTributaryProtos().TransactionCoordinator)(address, ...clientArgs(address, options));
}

export function addTransactionCoordinatorService(
  server: grpc.Server,
  implementation: TransactionCoordinatorHandlers,
): void {
  server.addService(loadTributaryProtos().TransactionCoordinator.service, implementation);
}

export function createTransactionMarkersClient(
  address: string,
  options: ClientOptions = {},
): TransactionMarkersClient {
  return new (loadTributaryProtos().TransactionMarkers)(address, ...clientArgs(address, options));
}

export function addTransactionMarkersService(
  server: grpc.Server,
  implementation: TransactionMarkersHandlers,
): void {
  server.addService(loadTributaryProtos().TransactionMarkers.service, implementation);
}
