/** Typed grpc-js clients and service registration for the tributary.v1 services. */
import * as grpc from '@grpc/grpc-js';
import { CHANNEL_OPTIONS } from './channel.js';
import type {
  BrokerLifecycleClient,
  BrokerLifecycleHandlers,
} from './generated/tributary/v1/BrokerLifecycle.js';
import type {
  ControllerAdminClient,
  ControllerAdminHandlers,
} from './generated/tributary/v1/ControllerAdmin.js';
import type {
  MetadataStreamClient,
  MetadataStreamHandlers,
} from './generated/tributary/v1/MetadataStream.js';
import type { RaftClient, RaftHandlers } from './generated/tributary/v1/Raft.js';
import { loadTributaryProtos } from './protos.js';

export interface ClientOptions {
  /** Defaults to insecure (plaintext) credentials: Tributary runs inside a trusted network for now. */
  readonly credentials?: grpc.ChannelCredentials;
  /** Merged over CHANNEL_OPTIONS. */
  readonly channelOptions?: grpc.ChannelOptions;
}

function clientArgs(options: ClientOptions): [grpc.ChannelCredentials, grpc.ChannelOptions] {
  return [
    options.credentials ?? grpc.credentials.createInsecure(),
    { ...CHANNEL_OPTIONS, ...options.channelOptions },
  ];
}

export function createControllerAdminClient(
  address: string,
  options: ClientOptions = {},
): ControllerAdminClient {
  return new (loadTributaryProtos().ControllerAdmin)(address, ...clientArgs(options));
}

export function createBrokerLifecycleClient(
  address: string,
  options: ClientOptions = {},
): BrokerLifecycleClient {
  return new (loadTributaryProtos().BrokerLifecycle)(address, ...clientArgs(options));
}

export function createMetadataStreamClient(
  address: string,
  options: ClientOptions = {},
): MetadataStreamClient {
  return new (loadTributaryProtos().MetadataStream)(address, ...clientArgs(options));
}

export function createRaftClient(address: string, options: ClientOptions = {}): RaftClient {
  return new (loadTributaryProtos().Raft)(address, ...clientArgs(options));
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
