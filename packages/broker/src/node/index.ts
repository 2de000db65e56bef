export {
  advertisedAddressFor,
  BROKER_DEFAULTS,
  type BrokerHandle,
  type BrokerOptions,
  startBroker,
} from './broker-node.js';
export {
  BROKER_CONFIG,
  type BrokerConfig,
  ConfigError as BrokerConfigError,
  parseBrokerArgs,
  USAGE as BROKER_USAGE,
} from './config.js';
export { ImageApplier } from './image-applier.js';
export type { OpenReplicaManager, ReplicaManagerDeps, ReplicaManagerPort } from './replica-port.js';
