export {
  BrokerLifecycleManager,
  type BrokerLifecycleOptions,
  LIFECYCLE_DEFAULTS,
} from './manager.js';
export {
  BrokerLifecycleState,
  type HeartbeatAnswer,
  type LifecycleAction,
  type LifecycleSnapshot,
  type LifecycleStateOptions,
  type LifecycleStatus,
} from './state.js';
