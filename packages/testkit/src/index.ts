export {
  AckedProducer,
  type AckedProducerOptions,
  type AckedRecord,
  checkAckedHistory,
  readBack,
  type SendOutcome,
} from './acked-history.js';
export { BrokerProcess, type BrokerProcessOptions, brokerBinPath } from './broker-process.js';
export { Cluster, type ClusterOptions, startCluster } from './cluster.js';
export {
  ControllerProcess,
  type ControllerProcessOptions,
  controllerBinPath,
} from './controller-process.js';
export {
  ControllerQuorum,
  type ControllerQuorumOptions,
  type LeaderView,
  startControllerQuorum,
  type WaitForLeaderOptions,
} from './controller-quorum.js';
export { FakeBrokerFleet, type FakeBrokerFleetOptions } from './fake-brokers.js';
export {
  type CallOptions,
  LeaderFollowingClient,
  type LeaderFollowingClientOptions,
} from './leader-client.js';
export { HARNESS_LIMITS } from './limits.js';
export { type ExitStatus, ManagedProcess, type ManagedProcessOptions } from './managed-process.js';
export { freePorts } from './ports.js';
export { LineRingBuffer } from './ring-buffer.js';
export {
  type AdminMethod,
  type AdminRequest,
  type AdminResponse,
  type BrokerInfo,
  type CreateTopicRequest,
  type DescribeQuorumResponse,
  type LifecycleMethod,
  type LifecycleRequest,
  type LifecycleResponse,
  NodeConnection,
  type PartitionInfo,
  type QuorumVoter,
  type TopicInfo,
  toTributaryError,
} from './rpc.js';
export { makeTempDir, type TempDir } from './temp-dir.js';
export { sleep, type WaitForOptions, WaitTimeoutError, waitFor } from './wait.js';
