export {
  type AdminConnection,
  AdminForwarder,
  type AdminForwarderOptions,
  type AdminForwardingHandlersOptions,
  createAdminForwardingHandlers,
  FORWARDED_ADMIN_METHODS,
  type ForwardedAdminMethod,
  type ForwardedAdminRequest,
  type ForwardedAdminResponse,
  type ForwardOptions,
  forwardDeadlineMs,
  relayedError,
} from './admin-forwarding.js';
export {
  type AutoCreateOptions,
  type CreateTopicRequest,
  createMissingTopics,
  type ImageSource,
  waitForTopics,
} from './auto-create.js';
export {
  type BrokerDataPlane,
  type BrokerServiceOptions,
  createBrokerHandlers,
  type ProducerIdSource,
} from './broker-service.js';
export { InFlightBytes } from './in-flight-bytes.js';
export { REQUEST_LIMITS } from './limits.js';
export { brokerInfo, metadataResponse, topicInfo } from './metadata-view.js';
export { createReplicationHandlers, type ReplicationDataPlane } from './replication-service.js';
export {
  validateFetchRequest,
  validateListOffsetsRequest,
  validateMetadataRequest,
  validateProduceRequest,
  validateReplicaFetchRequest,
} from './validate.js';
